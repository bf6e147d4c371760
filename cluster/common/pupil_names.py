"""Finds people's names in free text: the clear cases to refuse, the rest to ask about.

The name lists come from Faker's per-locale given names and surnames (`NAME_LOCALES`), chosen to
cover the backgrounds of pupils in English schools: British, Irish and American English names;
romanised South Asian names (India, Pakistan); Polish, Romanian, Lithuanian, Latvian, Portuguese
and Brazilian, Turkish, Italian and Spanish names; German lists (which hold many romanised Arabic
and Turkish names); Nigerian (Yoruba, Igbo, Hausa), Ghanaian (Twi) and Kenyan/Swahili names; and
romanised Chinese names. Lists in other scripts (Arabic, Bengali, Devanagari, Cyrillic) are left
out: a name typed in an English school's form is written in Latin letters.

Lists alone cannot be complete, so the rules also use capitals and the sentence around a word:

- refused (`NameHit.clear`): a title with a capitalised word ("Mrs Patel"); a given name followed
  by a surname or by another capitalised word no dictionary knows ("Jack Smith"), or two such
  unknown capitalised words together; a given name, or a capitalised word no dictionary knows,
  in a possessive ("Olivia's reading"); a given name as the subject of a verb about a child
  ("Olivia finds it hard");
- asked about (the writer changes the words or confirms they are not a person): a capitalised
  word on the name lists; a capitalised word inside a sentence that no dictionary knows; an
  unknown capitalised word opening a sentence as the subject of such a verb.

What passes: the specialist words SENCOs use (`NEVER_NAMES`, `ALLOWED_PHRASES`: programmes,
roles, half-terms, months, days, places, conditions, assessments), ordinary English words (Faker's
English word list plus this module's own vocabulary, with common endings), words in lower case,
acronyms in capitals, and capitalised words when a whole sentence is in Title Case (a heading
tells nothing by its capitals).
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Faker locales whose given names and surnames are used (Latin script only, see the docstring).
NAME_LOCALES: tuple[str, ...] = (
    "en_GB", "en_IE", "ga_IE", "en_US", "en_IN", "en_PK", "pl_PL", "ro_RO", "lt_LT", "lv_LV",
    "pt_PT", "pt_BR", "tr_TR", "it_IT", "es_ES", "de_DE", "en_NG", "yo_NG", "ig_NG", "ha_NG",
    "tw_GH", "en_KE", "sw", "zh_CN",
)

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "master", "dr", "mstr"})

# Verbs a sentence about a child uses right after its subject ("Olivia finds ...").
CHILD_VERBS = frozenset("""
is isn't was wasn't has hasn't had does doesn't did didn't can can't cannot could couldn't will
won't would wouldn't should may might must finds found struggles struggled needs needed reads read
writes wrote enjoys enjoyed likes liked loves loved becomes became gets got goes went works worked
responds responded shows showed uses used attends attended joins joined started starts says said
seems seemed wants wanted refuses refused avoids avoided tries tried lacks lacked continues
continued makes made manages managed requires required benefits benefited benefitted presents
presented displays displayed experiences experienced lives lived arrived arrives left leaves
finds it's copes coped remains remained talks talked speaks spoke follows followed understands
understood knows knew learns learned learnt engages engaged sits sat runs ran hits hit kicks
kicked shouts shouted cries cried gets achieved achieves scored scores made makes has
""".split())

# Words that are never a name here, whatever the lists hold: the calendar, roles, subjects,
# programmes, conditions, places and the words of school life.
NEVER_NAMES = frozenset("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday autumn spring summer winter
term terms half-term year years reception nursery key stage ks ks1 ks2 ks3 ks4 eyfs sats gcse
senco sendco ta tas hlta hltas ep eps salt slt ot ots sen send ehcp ehc ehcps dsl elsa cp camhs
head headteacher deputy governor governors teacher teachers assistant assistants tutor mentor
nurse therapist therapists psychologist psychology physiotherapist physio paediatrician
consultant inclusion pastoral lead leader manager coordinator co-ordinator officer worker
english maths mathematics science phonics literacy numeracy reading writing spelling
handwriting pshe rshe pe art music computing history geography french spanish german re
numicon makaton nessy lexia clicker widgit wellcomm boxall sandwell salford yarc ngrt bpvs
celf lucid thrive elklan neli talkabout lego plus1 dyslexia dyspraxia dyscalculia autism
autistic asperger aspergers asperger's tourette tourette's tourettes irlen irlen's adhd add asd
asc slcn spld mld sld pmld semh hi vi msi pd oth nsa pda odd fasd cerebral palsy epilepsy
down's downs duchenne perthes crohn's crohns rett angelman noonan marfan klinefelter turner
prader willi digeorge stickler batten fragile ehlers danlos trisomy
norfolk norwich aylsham reepham wensum bintree costessey foulsham lyng witchingham lenwade
hockering swannington taverham dereham fakenham cromer sheringham holt wymondham attleborough
diss thetford swaffham downham king's lynn yarmouth lowestoft suffolk cambridge ipswich london
england britain uk gb europe
english british irish scottish welsh european african caribbean asian indian pakistani
bangladeshi nigerian ghanaian somali kenyan polish poland romanian romania portuguese portugal
lithuanian lithuania latvian latvia bulgarian bulgaria russian ukrainian ukraine chinese mandarin
cantonese spanish spain italian italy german germany french france turkish turkey kurdish
arabic urdu punjabi bengali gujarati hindi tamil farsi pashto dari tigrinya amharic albanian
hungarian czech slovak brazilian filipino tagalog syrian afghan iraqi iranian sudanese eritrean
roma gypsy traveller travellers muslim christian hindu sikh jewish buddhist islamic
ofsted dfe la nhs cafcass iss eha early help family cluster school schools academy trust
ce rc primary infant junior high college centre unit base hub resource council county
christmas easter october half whitsun eid diwali ramadan
monday's tuesday's st saint reserve pot award awards budget contingency
i he she we you they it him her his hers them their theirs our ours its me my mine us your
""".split())

# Phrases that are let through whole (matched in any case) before words are looked at.
ALLOWED_PHRASES: tuple[str, ...] = (
    "Read Write Inc", "Fresh Start", "Lego therapy", "Lego-based therapy", "Lego based therapy",
    "Precision Teaching", "Toe by Toe", "Zones of Regulation", "Colourful Semantics",
    "Attention Autism", "Intensive Interaction", "Social Stories", "Comic Strip Conversations",
    "Drawing and Talking", "Sensory Circuits", "Jump Ahead", "Beat Dyslexia", "Dancing Bears",
    "Stareway to Spelling", "Power of 2", "Catch Up", "Switch-on", "Reading Recovery",
    "Every Child a Reader", "Talk Boost", "Language for Thinking", "Black Sheep Press",
    "Word Aware", "Socially Speaking", "Incredible 5 Point Scale", "Emotion Coaching",
    "Protective Behaviours", "Circle of Friends", "Five Minute Box", "Maths Recovery",
    "Numbers Count", "White Rose", "Oxford Reading Tree", "Bug Club", "Phonics Bug",
    "Little Wandle", "Letters and Sounds", "Jolly Phonics", "Sounds-Write", "Project X",
    "Rapid Readers", "Nurture Group", "Forest School", "Speech Link", "Language Link",
    "Time to Talk", "Draw and Talk", "Box Clever", "Memory Magic", "Cool Kids",
    "Talking Partners", "Better Reading Partnership", "Dyslexia Portfolio", "Nessy Fingers",
    "Rainbow Reading", "Wellcomm", "Boxall Profile", "Sandwell Early Numeracy",
    "Down syndrome", "Down's syndrome", "Downs syndrome", "Williams syndrome",
    "Tourette syndrome", "Tourette's syndrome", "Asperger syndrome", "Asperger's syndrome",
    "Irlen syndrome", "Pierre Robin", "Spina bifida", "Cerebral palsy", "Fragile X",
    "Prader-Willi", "Ehlers-Danlos", "Marfan syndrome", "Noonan syndrome", "Rett syndrome",
    "Angelman syndrome", "Turner syndrome", "Klinefelter syndrome", "Perthes disease",
    "Crohn's disease", "Duchenne muscular dystrophy", "Hirschsprung's disease",
    "Code of Practice", "Local Offer", "Early Help", "Just One Norfolk", "Point 1",
    "Virtual School", "Children's Services", "Educational Psychology", "Short Stay School",
    "Specialist Resource Base", "Norfolk County Council", "Wensum Valley", "Aylsham Road",
    "Costessey Park", "Reepham Meadow", "Great Witchingham", "Bintree Infant", "Bintree Junior",
    "Taverham Infant", "Taverham Junior", "Foulsham and Lyng", "Lenwade and Hockering",
    "Swannington", "Great Yarmouth", "King's Lynn", "Jenny Lind", "Norfolk and Norwich",
    "Pupil Premium", "Quality First Teaching", "Assess Plan Do Review", "British Sign Language",
    "Key Stage", "Year group", "Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1",
    "Summer 2", "Speech and Language", "Educational Psychologist", "Teaching Assistant",
    "Family Support Worker", "Learning Mentor", "School Nurse", "Head of Year",
)

# Place and institution words: a capitalised word before one of these names a place ("Victoria
# Road", "Park Primary"), not a person.
PLACE_WORDS = frozenset("""
road street lane avenue park primary school academy infant junior high college centre center
hospital library station house hall close way court drive crescent gardens square church
surgery clinic trust federation council county village town city
""".split())

# Ordinary words SENCOs write that Faker's English list lacks (its list is short); with the
# endings below they keep a capitalised word at the start of a sentence from looking unknown.
_VOCABULARY = frozenset("""
pupil pupils child children's young person people parent parents carer carers mum dad mother
father family staff class classroom group groups session sessions support supported supports
need needs provision plan plans target targets outcome outcomes review reviews assessment
assessments baseline progress attainment attendance behaviour behaviours emotional social
speech language communication interaction cognition learning sensory physical medical mental
health wellbeing anxiety anxious regulation dysregulation meltdown meltdowns transition
transitions lunchtime lunchtimes playtime playtimes break breaks morning afternoon weekly daily
termly fortnightly minutes minute hours hour weeks week days intervention interventions
programme programmes therapy therapies strategy strategies resources resource equipment
training trained specialist advice referral referrals report reports recommendations
recommended recommends observed observation observations evidence data scores score age
expectation expectations standardised chronological spelling phonics decoding comprehension
fluency vocabulary number numbers counting calculation fractions times tables handwriting
motor fine gross coordination balance toileting feeding eating sleep sleeping hearing vision
visual auditory processing memory working attention concentration focus listening
following instructions routine routines visual timetable timetables now next first then
small smaller whole individual individually one-to-one 1:1 adult adults peer peers friend
friends friendship friendships playground dining hall corridor lessons lesson curriculum
homework home school's cluster's meeting meetings panel request requests award awards funding
funded fund funds budget cost costs pounds spend spent money hourly rate rates salary hours
difficulties difficulty difficult challenges challenging barriers barrier strengths strength
ehcp annual interim reviewed reviewing agreed agree agrees agreement decision decisions
deferred declined approved draft condition conditions reason reasons minute minuted action actions
owner due done outstanding update updates updated governor governors chair chaired apologies
present absent quorum quorate item items agenda papers paper impact impacts achieved achieve
achieving met partly exceeded not yet working towards baseline target measure measures
measured measuring following whilst although because however therefore also currently
recently previously since during across throughout despite within without alongside
including included includes include improvement improvements improved improving increase
increased decrease decreased reduce reduced reduction fewer more less most least many much
several some each every both either neither none all any other others another same different
new old older younger current previous next last first second third fourth fifth sixth
this that these those there here where when while whilst who whom whose which what why how
very quite rather often sometimes usually always never rarely frequently regularly
independently independent confident confidence calm calmer settled unsettled happy sad angry
upset worried tired able unable willing reluctant keen eager positive negative good better
best poor weak weaker strong stronger significant significantly limited mild moderate severe
profound complex multiple additional extra further full part partial half quarter
parent's carer's pupil's child's teacher's class's
welcome released dates upn upns uln ulns venue venues video link links
grace rose mark will bill jack hope faith joy dawn sky holly ivy daisy poppy ruby amber jasmine
lily iris violet heather hazel willow robin sunny rich frank
""".split())

_ENDINGS = ("ing", "ed", "es", "s", "er", "ers", "ly", "ies", "ied", "ment", "ments", "ness",
            "tion", "tions", "sion", "sions", "ity", "ities", "al", "ally", "ful", "less",
            "ous", "ive", "ise", "ised", "ize", "ized", "able", "ible")
# Endings English words have and given names almost never do.
_UNNAMELIKE = ("tion", "sion", "ness", "ment", "ity", "ics", "ship", "ful", "less", "ous",
               "ology", "ism", "ing", "ings", "ies", "ally", "ised", "ized", "ise", "ize")

_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿĀ-ſ"
_WORD = re.compile(rf"[{_LETTERS}]+(?:[-'’][{_LETTERS}]+)*")
_SENTENCE_BREAK = re.compile(r"[.!?:;•*\n\r\t(\"“‘\[–—>|]")
_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to with".split())


@dataclass(frozen=True)
class NameLists:
    given: frozenset[str]
    surnames: frozenset[str]

    def minus(self, held_out: Iterable[str]) -> NameLists:
        """These lists without some names: how the measurement holds names out."""
        out = {fold(n) for n in held_out}
        return NameLists(self.given - out, self.surnames - out)


@dataclass(frozen=True)
class NameHit:
    words: str  # as typed; shown to the writer only, never stored
    clear: bool  # a clear case (refused) or a word to confirm


def fold(word: str) -> str:
    """Lower case without accents: "Zoë" and "zoe" are the same word."""
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    """Every given name and surname of `NAME_LOCALES`, folded; loaded once per process."""
    given: set[str] = set()
    surnames: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in dir(provider):
            if locale == "zh_CN" and "romanized" not in attribute:
                continue  # the Chinese lists are in Chinese characters; their romanised twins
            if not attribute.endswith("names") or attribute.startswith("_"):
                continue
            target = given if "first" in attribute else surnames if "last" in attribute else None
            values = getattr(provider, attribute)
            if target is None or not isinstance(values, tuple | list | dict | set | frozenset):
                continue
            for name in values:
                for part in re.split(r"[\s]+", str(name)):
                    folded = fold(part)
                    if len(folded) >= 2 and re.fullmatch(r"[a-z]+(?:[-'][a-z]+)*", folded):
                        target.add(folded)
    return NameLists(frozenset(given), frozenset(surnames))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Faker's English word list with this module's vocabulary and the words let through."""
    lorem = importlib.import_module("faker.providers.lorem.en_US").Provider.word_list
    return frozenset(lorem) | _VOCABULARY | NEVER_NAMES | PLACE_WORDS | CHILD_VERBS \
        | _SMALL_WORDS


@lru_cache(maxsize=1)
def _allowed_phrase_pattern() -> re.Pattern[str]:
    phrases = sorted(ALLOWED_PHRASES, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w])",
                      re.IGNORECASE)


def is_english(word: str) -> bool:
    """An ordinary word: in the vocabulary, or one of its forms (reads, reading, readers)."""
    folded = fold(word).removesuffix("'s")
    vocabulary = english_words()
    if folded in vocabulary or folded.endswith(_UNNAMELIKE):
        return True
    for ending in _ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            stem = folded[: -len(ending)]
            if stem in vocabulary or stem + "e" in vocabulary or stem + "y" in vocabulary \
                    or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in vocabulary):
                return True
    return "-" in folded and all(is_english(part) for part in folded.split("-") if part)


@dataclass(frozen=True)
class _Token:
    text: str  # without a possessive ending
    start: int
    end: int
    possessive: bool
    opens_sentence: bool
    comma_after: bool

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper() and not self.acronym

    @property
    def acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def find_person_names(text: str, lists: NameLists | None = None) -> list[NameHit]:
    """Words that name, or may name, a person, in the order typed; a word found as part of a
    clear case is not asked about again."""
    if not text or not text.strip():
        return []
    lists = lists or name_lists()
    masked = _allowed_phrase_pattern().sub(lambda m: re.sub(r"\w", "x", m.group(0)), text)
    tokens = _tokens(masked)
    hits: list[NameHit] = []
    used: set[int] = set()
    title_case = _title_case_sentences(tokens)
    for i, token in enumerate(tokens):
        if i in used or token.folded.strip("x") == "":
            continue
        if i > 0 and tokens[i - 1].folded in {"st", "saint"}:
            continue  # a saint names a church or a school ("St Margaret's CE"), not a pupil
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        adjacent = following is not None and masked[token.end:following.start].strip() == "" \
            and not token.possessive
        hit = _clear_case(token, following if adjacent else None, lists, i in title_case)
        if hit is not None:
            words, width = hit
            hits.append(NameHit(words if words else text[token.start:token.end], True))
            used.update(range(i, i + width))
            continue
        if _worth_asking(token, following, lists, i in title_case):
            hits.append(NameHit(text[token.start:token.end], False))
    return _unique(hits, text)


def _clear_case(token: _Token, following: _Token | None, lists: NameLists,
                title_case: bool) -> tuple[str, int] | None:
    """(the words, how many tokens) when the token starts a clear case, else None."""
    word = token.folded
    shown_pair = f"{token.text} {following.text}" if following is not None else ""
    if word in TITLES and following is not None and _capitalised_or_caps(following) \
            and following.folded not in NEVER_NAMES:
        return shown_pair, 2
    if not _capitalised_or_caps(token) or word in NEVER_NAMES:
        return None
    given = word in lists.given
    unknown = not given and word not in lists.surnames and not is_english(word)
    if following is not None and _capitalised_or_caps(following) \
            and following.folded not in NEVER_NAMES and following.folded not in PLACE_WORDS:
        other = following.folded
        other_is_surname = other in lists.surnames and not is_english(other)
        other_unknown = other not in lists.given and other not in lists.surnames \
            and not is_english(other) and not following.acronym
        if given and (other in lists.surnames or other_unknown):
            return shown_pair, 2
        if unknown and not token.acronym \
                and (other_is_surname or (other_unknown and not title_case)):
            return shown_pair, 2
        if given and other in lists.given and not is_english(word) and not is_english(other):
            return shown_pair, 2  # two given names: "Mary Ann"
    if token.possessive and (given or (unknown and not token.acronym)):
        return token.text, 1
    if given and following is not None and following.folded in CHILD_VERBS \
            and not following.capitalised and not (token.opens_sentence and is_english(word)):
        # "Hope is that ..." opens a sentence with an ordinary word: asked about, not refused.
        return token.text, 1
    return None


def _worth_asking(token: _Token, following: _Token | None, lists: NameLists,
                  title_case: bool) -> bool:
    if not _capitalised_or_caps(token):
        return False
    word = token.folded
    if word in NEVER_NAMES or word in TITLES or (following is not None
                                                 and following.folded in PLACE_WORDS
                                                 and following.capitalised):
        return False
    on_lists = word in lists.given or word in lists.surnames
    if token.acronym:
        return on_lists and len(word) > 3 and not is_english(word)
    before_verb = following is not None and following.folded in CHILD_VERBS \
        and not following.capitalised
    if token.opens_sentence:
        if on_lists:
            return not is_english(word) or before_verb
        # An unknown word opening a sentence about a child ("Zofia finds ...", "Zofia, in
        # Year 5, ...").
        return (not title_case and not is_english(word) and following is not None
                and (token.comma_after or (following.folded in CHILD_VERBS
                                           and not following.capitalised)))
    # In a Title Case heading capitals tell nothing, but a word no dictionary knows still may be
    # a name ("Request for Korede Puska").
    return on_lists or not is_english(word)


def _capitalised_or_caps(token: _Token) -> bool:
    return token.text[:1].isupper()


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        raw = match.group(0)
        possessive = False
        if re.search(r"['’]s$", raw):
            raw, possessive = raw[:-2], True
        elif raw.endswith("s") and text[match.end():match.end() + 1] in {"'", "’"}:
            possessive = True
        between = text[previous_end:match.start()]
        opens = not tokens or bool(_SENTENCE_BREAK.search(between)) \
            or bool(re.search(r"(?:^|\s)[-–]\s*$", between))
        comma = text[match.end():match.end() + 1] == ","
        tokens.append(_Token(raw, match.start(), match.start() + len(raw), possessive, opens,
                             comma))
        previous_end = match.end()
    return tokens


def _title_case_sentences(tokens: list[_Token]) -> set[int]:
    """Indexes of tokens in sentences written in Title Case (headings, titles)."""
    inside: set[int] = set()
    sentence: list[int] = []

    def close() -> None:
        words = [tokens[i] for i in sentence if tokens[i].folded not in _SMALL_WORDS]
        if len(words) >= 3 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words):
            inside.update(sentence)

    for i, token in enumerate(tokens):
        if token.opens_sentence and sentence:
            close()
            sentence = []
        sentence.append(i)
    if sentence:
        close()
    return inside


def _unique(hits: list[NameHit], text: str) -> list[NameHit]:
    seen: dict[str, NameHit] = {}
    for hit in hits:
        key = hit.words.casefold()
        if key not in seen or (hit.clear and not seen[key].clear):
            seen[key] = hit
    return list(seen.values())
