"""A corpus for measuring the pupil-name check: sentences a SENCO, head or host writes.

Two parts:
- `NAME_FREE`: sentences with no person's name, written as requests, reviews, minutes and actions
  are written (programmes, roles, conditions, places, months, half-terms, ordinary words that are
  also names, headings in Title Case). The check should let nearly all of them through.
- `NAME_TEMPLATES`: sentences with a pupil's or a member of staff's name in it, in the shapes names
  take in such text (a full name, a title and surname, a possessive, the subject of a sentence, a
  name alone inside a sentence, a name opening a sentence before a comma). `{g}` is a given name,
  `{g2}` another, `{s}` a surname.

The names put into the templates are held out from the detector's lists (see
`held_out_names`): the measurement shows what the rules catch in names the lists have never seen,
which is the case that matters for a child whose name no list holds.
"""

from __future__ import annotations

import importlib
import zlib

from cluster.common.pupil_names import NEVER_NAMES, NameLists, fold, is_english, name_lists

NAME_TEMPLATES: tuple[str, ...] = (
    "{g} {s} reads well below age expectation and needs daily phonics.",
    "{g} {s} (Year 4) has a reading age of 6 years 2 months.",
    "Request for {g} {s}: SEMH support at lunchtimes.",
    "We have been working with {g} {s} since Reception.",
    "Mrs {s} will run the sessions three times a week.",
    "Mr {s} (class teacher) reports better focus in maths.",
    "Sessions led by Miss {s}, HLTA, on Tuesday afternoons.",
    "Ms {s} from the EP service observed in class in October.",
    "{g}'s reading has improved since Autumn 1.",
    "Parents are worried about {g}'s attendance.",
    "The group supports {g}'s speech and language targets.",
    "{g}'s EHCP annual review is due in March.",
    "{g} finds unstructured times very hard.",
    "{g} struggles to start written tasks without an adult.",
    "{g} has had two fixed-term suspensions this term.",
    "{g} is working at Year 1 standard in maths.",
    "{g} needs a movement break every twenty minutes.",
    "{g} can now blend CVC words independently.",
    "{g} enjoys Lego therapy and talks about it at home.",
    "{g} was referred to CAMHS in the summer.",
    "Since September {g} has refused to enter the classroom.",
    "Parents report that {g} is anxious before school each morning.",
    "The TA works with {g} three times a week on Numicon.",
    "Staff have noticed that {g} becomes dysregulated after playtime.",
    "In Year 3 {g} made little progress despite Precision Teaching.",
    "The SENCO met {g} and his mother to agree the targets.",
    "Provision map for {g} attached.",
    "Outcome: {g} will read 40 words a minute by July.",
    "{g}, in Year 5, has a diagnosis of autism.",
    "{g}, who joined us in Year 2, speaks Polish at home.",
    "{g} and {g2} will join the social skills group.",
    "Group: {g}, {g2} and two other pupils from Year 6.",
    "Action: {g2} {s} to send the referral by Friday.",
    "Apologies were received from {g2} {s}.",
    "Her brother {g2} also attends the school.",
    "Review with {g}'s mum booked for Spring 2.",
    "According to {g} the sessions are fun.",
    "When {g} arrives late the day goes badly.",
    "Because {g} cannot read the board, a copy is provided.",
    "Advice from Dr {s} (paediatrician) is attached.",
)

# Name-free sentences. Written before the detector was tuned against them; any rule change they
# caused is in the report that came with the check.
NAME_FREE: tuple[str, ...] = (
    "Reads well below age expectation and needs daily phonics.",
    "The pupil has a reading age of 6 years 2 months.",
    "SEMH support at lunchtimes for a Year 4 pupil.",
    "The school has run three assess-plan-do-review cycles since September.",
    "Sessions will be run three times a week by an HLTA.",
    "The class teacher reports better focus in maths.",
    "We use Read Write Inc and Fresh Start for phonics.",
    "Lego therapy twice a week with two peers.",
    "Numicon and Precision Teaching for number bonds to 10.",
    "Makaton signing is used across the class.",
    "Nessy at home and in school for spelling.",
    "Toe by Toe every morning for ten minutes.",
    "Talkabout group for social communication in Year 6.",
    "ELSA sessions weekly for emotional literacy.",
    "Zones of Regulation used across Key Stage 2.",
    "The SENCO, TA and HLTA met with the EP in Autumn 2.",
    "SALT and OT reports are attached.",
    "Advice from the Educational Psychologist recommends a visual timetable.",
    "The pupil has a diagnosis of Down syndrome.",
    "Tourette syndrome diagnosed by the paediatrician in 2024.",
    "The family report a diagnosis of Asperger syndrome in Year 5.",
    "Irlen overlays have helped with reading.",
    "Referral to CAMHS made in January; waiting list is 18 months.",
    "Cluster meeting held at Aylsham Road Primary School.",
    "Training for all TAs in Norwich in the Spring term.",
    "Norfolk County Council guidance on the Local Offer was shared.",
    "The EP visits Reepham Meadow Primary every half-term.",
    "The pupil will need support in Summer 1 and Summer 2.",
    "May half-term is a good time to review progress.",
    "Hope is that the pupil will be ready for Year 7 by July.",
    "Will the cluster fund a second term?",
    "Grace and courtesy are part of the school's values.",
    "Mark the pupil's work with green pen for positives.",
    "The bill for the speech therapy sessions was £1,200.",
    "Rose from 3 to 7 on the Boxall Profile.",
    "Victoria Road entrance is used for a calm start.",
    "The pupil will attend Forest School on Wednesdays.",
    "Sensory Circuits every morning before registration.",
    "Colourful Semantics for sentence building.",
    "Attention Autism stage 3 in small groups.",
    "Intensive Interaction with a key adult.",
    "Social Stories prepared for the move to high school.",
    "Drawing and Talking therapy for twelve weeks.",
    "Speech and language therapy every fortnight.",
    "Precision Teaching of high-frequency words.",
    "WellComm screening shows a red score in understanding.",
    "BPVS standardised score of 72.",
    "YARC accuracy below the 5th percentile.",
    "Sandwell Early Numeracy test repeated in March.",
    "Boxall Profile completed in October and again in March.",
    "Thrive assessments show gaps in the 'being' stage.",
    "The Incredible 5 Point Scale helps with anger.",
    "A nurture group runs each afternoon in the library.",
    "Clicker for writing on a laptop.",
    "Widgit symbols on every door.",
    "Lexia for twenty minutes a day.",
    "Plan: daily phonics, weekly review, half-termly report to parents.",
    "Outcome: to read 40 words a minute by July.",
    "Measure: words read correctly in a minute.",
    "Baseline: 12 words a minute in September.",
    "Target: 40 words a minute.",
    "Target met: the pupil reads 43 words a minute.",
    "Partly met; more time is needed.",
    "Not met; the pupil was absent for six weeks.",
    "The sessions were disrupted by staff absence in November.",
    "What worked: short daily sessions with the same adult.",
    "The pupil says the sessions are fun.",
    "Parents say reading at home is easier now.",
    "The parent's view: she is happier coming to school.",
    "The pupil's view: I like the quiet room.",
    "Attendance rose from 82% to 94% over the year.",
    "No suspensions since the support started.",
    "The cluster agreed to fund £3,500 for two terms.",
    "Part-funded: the pot ran out.",
    "Deferred to the Spring 1 meeting for more evidence.",
    "Declined: the request did not show the school's own spend.",
    "Condition: a review report to the Summer 1 meeting.",
    "Reason: the need is significant and well evidenced.",
    "Urgent: sudden medical need after an operation in October.",
    "Urgent decision agreed by the chair and two heads by email.",
    "Minutes of the Autumn 2 meeting were approved.",
    "Apologies were received from two schools.",
    "The meeting was quorate with 9 of 12 schools present.",
    "Action: the host to circulate the budget before Christmas.",
    "Action: each SENCO to update the provision map by Friday.",
    "Action: governors to receive the impact report in July.",
    "The LA adviser explained the new funding formula.",
    "The host reported £12,400 left to award this year.",
    "Governors asked how impact is measured.",
    "The chair thanked staff for the clear requests.",
    "Schools were reminded that requests are due two weeks before the meeting.",
    "Costs are based on the cluster's staff rate table.",
    "A TA at grade 3 for 5 hours a week for 36 weeks.",
    "Specialist teacher for dyslexia, one hour a week.",
    "Equipment: a writing slope, pencil grips and ear defenders.",
    "Laptop with speech-to-text software.",
    "A weighted blanket and a sensory tent.",
    "Support for transition to Wensum Valley High School in Summer 2.",
    "Transition visits to the high school in June and July.",
    "The pupil moved from Costessey Park Primary in Year 3.",
    "The pupil joined the school in Year 2 from Poland.",
    "English is an additional language; Polish is spoken at home.",
    "The family speaks Romanian and Portuguese.",
    "Arabic is the home language.",
    "The pupil observes Ramadan and is tired in the afternoons.",
    "Eid falls during the assessment week.",
    "Christmas and Easter holidays were hard for the family.",
    "Monday mornings are the hardest.",
    "Sessions on Tuesday, Thursday and Friday.",
    "Early Help assessment is open.",
    "Just One Norfolk resources were shared with parents.",
    "Virtual School funding has also been requested.",
    "The Code of Practice expects a graduated approach.",
    "Quality First Teaching adaptations are in place.",
    "Pupil Premium funds a breakfast club place.",
    "EHCP needs assessment requested in November.",
    "EHC plan issued in February.",
    "Annual review held in December.",
    "The pupil has cerebral palsy and uses a walking frame.",
    "Spina bifida; toileting support is needed.",
    "Epilepsy care plan in place; staff trained.",
    "ADHD diagnosed; medication started in October.",
    "ASD diagnosis in Year 1.",
    "Dyslexia screening shows a high likelihood.",
    "Dyspraxia affects handwriting and PE.",
    "Hearing impairment; radio aid in class.",
    "Visual impairment; enlarged print needed.",
    "Fragile X syndrome diagnosed at age 3.",
    "Selective mutism; speaks to one adult only.",
    "School refusal has increased since half-term.",
    "Anxiety at drop-off; a key adult meets the pupil at the gate.",
    "Dysregulation after lunchtime; a calm space is used.",
    "Self-harm risk assessment in place.",
    "The pupil is a young carer.",
    "Looked-after child; the social worker attended.",
    "Family Support Worker involved since Spring 1.",
    "School Nurse completed a health plan.",
    "Learning Mentor sessions after school.",
    "Head of Year 7 is the key contact.",
    "Speech Link screening for all of Reception.",
    "Language Link shows receptive language difficulties.",
    "NELI for six pupils in Reception.",
    "Talk Boost for a Key Stage 1 group.",
    "Catch Up Numeracy for three pupils.",
    "Reading Recovery trained teacher leads the sessions.",
    "White Rose Maths scheme with extra pre-teaching.",
    "Little Wandle keep-up sessions daily.",
    "Jolly Phonics actions support memory.",
    "Oxford Reading Tree books at home.",
    "Nurture Group twice a week.",
    "Circle of Friends set up in class.",
    "Emotion Coaching training for all staff.",
    "Protective Behaviours sessions with the school nurse.",
    "Lego Therapy Group For Year 3",
    "Speech And Language Support For Year 4",
    "Reading Intervention Autumn Term",
    "Shared Specialist Teacher For Dyslexia",
    "Cluster Training: Zones Of Regulation",
    "Small-group maths for Year 5",
    "One-to-one support at lunchtimes",
    "Transition support, Year 6 to Year 7",
    "Sensory equipment for the nurture room",
    "Emotional literacy support (ELSA)",
    "Medical needs after surgery",
    "First year of school: Reception support",
    "The pupil finds it hard to settle after playtime.",
    "The pupil struggles with writing and spelling.",
    "She enjoys drawing and talks about it at home.",
    "He is working at Year 1 standard in maths.",
    "They need a movement break every twenty minutes.",
    "Our pupil can now blend CVC words independently.",
    "This child was referred to CAMHS in the summer.",
    "Staff have noticed more calm since the sessions started.",
    "In Year 3 little progress was made despite support.",
    "The SENCO met the family to agree the targets.",
    "Previously the pupil had support from the Specialist Resource Base.",
    "The Short Stay School offered outreach.",
    "Educational Psychology consultation in Autumn 1.",
    "The Norfolk and Norwich hospital follow-up is in June.",
    "The Jenny Lind children's hospital saw the pupil in May.",
    "Appointment at Great Yarmouth in April.",
    "Swannington, Taverham and Bintree share a specialist teacher.",
    "Costs shared by Foulsham and Lyng and Great Witchingham.",
    "The project covers Lenwade and Hockering and Reepham.",
    "Aylsham, Reepham and Costessey schools took part.",
    "The Norfolk SEND team was consulted.",
    "Ofsted noted the strong SEND provision.",
    "The DfE guidance on cluster funding was read.",
    "NHS waiting lists are long in Norfolk.",
    "A Makaton tutor trained six TAs.",
    "British Sign Language lessons for the class.",
    "PECS for requesting at snack time.",
    "Comic Strip Conversations after incidents.",
    "Friday afternoon reward time works well.",
    "September to December: daily sessions.",
    "January: baseline repeated.",
    "Spring 2 review: progress is steady.",
    "Autumn 1: 12 words a minute; Spring 1: 30 words a minute.",
    "Summer term transition plan agreed.",
    "During Autumn the pupil was absent for three weeks.",
    "The pupil responds well to praise and clear routines.",
    "Behaviour points fell from 40 to 12.",
    "The plan is reviewed every six weeks.",
    "Overall the support has worked and should continue.",
    "More evidence is needed before the cluster can decide.",
    "The host will write to the school with the decision.",
    "The pot for the year is £180,000.",
    "Half of the request was funded.",
    "Reconsideration asked for: the amount is not enough for a full term.",
    "New evidence: an OT report from February.",
    "The school has spent £6,000 from its notional SEN budget.",
    "Element 2 spend is shown in the provision map.",
)

# Locales whose names the detector never uses: their names (minus any on its lists) are held out.
HELD_OUT_LOCALES: tuple[str, ...] = (
    "fr_FR", "nl_NL", "hu_HU", "cs_CZ", "sk_SK", "fi_FI", "sv_SE", "da_DK", "no_NO", "hr_HR",
    "sl_SI", "et_EE", "id_ID", "fr_BE", "de_AT",
)
HOLD_OUT_ONE_IN = 10  # and one name in ten of the detector's own lists, chosen by a hash


def _locale_names(locale: str, kind: str) -> set[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names: set[str] = set()
    for attribute in dir(provider):
        if attribute.startswith("_") or not attribute.endswith("names") or kind not in attribute:
            continue
        values = getattr(provider, attribute)
        if isinstance(values, tuple | list | dict | set | frozenset):
            names.update(str(v) for v in values if " " not in str(v))
    return {n for n in names if n[:1].isupper() and n.replace("-", "").replace("'", "").isalpha()}


def _usable(name: str) -> bool:
    """A held-out name must look like a name, not like an English word or a school word: no rule
    could (or should) find "Hope" with no list, and such words are tested in `NAME_FREE`."""
    folded = fold(name)
    return len(folded) >= 3 and folded not in NEVER_NAMES and not is_english(folded)


def _hashed_out(name: str) -> bool:
    return zlib.crc32(fold(name).encode()) % HOLD_OUT_ONE_IN == 0


def held_out_names() -> tuple[list[str], list[str], NameLists]:
    """(given names, surnames, the detector's lists without them). Every name returned is on
    none of the lists the measured detector uses."""
    lists = name_lists()
    in_lists = lists.given | lists.surnames
    given = {n for loc in HELD_OUT_LOCALES for n in _locale_names(loc, "first")}
    surnames = {n for loc in HELD_OUT_LOCALES for n in _locale_names(loc, "last")}
    given = {n for n in given if fold(n) not in in_lists}
    surnames = {n for n in surnames if fold(n) not in in_lists}
    from_lists_given = {n.title() for n in lists.given if _hashed_out(n)}
    from_lists_surnames = {n.title() for n in lists.surnames if _hashed_out(n)}
    given |= from_lists_given
    surnames |= from_lists_surnames
    given = {n for n in given if _usable(n)}
    surnames = {n for n in surnames if _usable(n)}
    measured = lists.minus(given | surnames)
    return sorted(given), sorted(surnames), measured


def name_sentences(given: list[str], surnames: list[str], per_template: int) -> list[str]:
    """Each template filled `per_template` times with names taken in a fixed stride through the
    held-out lists (deterministic, spread over every locale)."""
    sentences: list[str] = []
    for t, template in enumerate(NAME_TEMPLATES):
        for k in range(per_template):
            n = t * per_template + k
            g = given[(n * 7919) % len(given)]
            g2 = given[(n * 104_729 + 13) % len(given)]
            s = surnames[(n * 7907) % len(surnames)]
            sentences.append(template.format(g=g, g2=g2, s=s))
    return sentences
