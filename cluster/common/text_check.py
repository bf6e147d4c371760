"""The one check every free-text field goes through before anything is written.

In order, for each field:
1. its length limit, which a form announces before it is hit (`limit_note`: "1,000 characters at
   most") and a too-long text is refused against ("1,000 characters at most, 1,240 typed");
2. control characters (a NUL, a bell, an escape pasted from another program): refused, as
   PostgreSQL cannot store a NUL and none of them shows on screen. Tabs and line breaks are text.
   (`cluster.core.db` still refuses a NUL at every flush, as the backstop for fields that are not
   free text);
3. pupil identifiers (UPN, ULN or NHS number, a date that could be a date of birth), refused
   (`cluster.common.identifiers`);
4. people's names (`cluster.common.pupil_names`): clear cases are refused; other words that may be
   a name are asked about, and the service saves only when the writer confirms that those words
   are not a person (`confirmed_not_names`), an act recorded in the audit log without the words.

The messages name the words so the writer can find them; they are shown, never stored. Flags that
travel with a record say only where a name might be (`name_flag`), never what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from cluster.common.identifiers import find_identifiers
from cluster.common.pupil_names import TITLES, NameHit, NameLists, find_person_names, fold
from cluster.core import audit
from cluster.core.errors import InvalidInput
from cluster.core.permissions import Actor

# Confirmation that the words asked about are not people: True for all of them, or the words.
ConfirmedNames = bool | Collection[str]

# Any C0 control character except tab, line feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONFIRMATION_ACTION = "names_confirmed_not_people"
NAME_REFUSAL = ("refer to a pupil only by the school's pseudonymous reference, and to staff by "
                "their role")


def limit_note(limit: int) -> str:
    """What a form shows under a field before anything is typed: "1,000 characters at most"."""
    return f"{limit:,} characters at most"


@dataclass(frozen=True)
class TextField:
    """A free-text field a form shows: its label and its limit, known before typing."""

    label: str
    limit: int

    @property
    def limit_note(self) -> str:
        return limit_note(self.limit)


@dataclass(frozen=True)
class TextVerdict:
    field: str
    refusals: tuple[str, ...]  # problems, each a sentence for the screen
    names_to_confirm: tuple[str, ...]  # words that may be a name, as typed

    @property
    def clean(self) -> bool:
        return not self.refusals and not self.names_to_confirm


def check_text(field: str, text: str, limit: int, *, on: date | None = None,
               lists: NameLists | None = None, known_people: Collection[str] = ()
               ) -> TextVerdict:
    """Everything wrong with one field's text; raises nothing. `known_people`: the display
    names of the cluster's own accounts, which the toolkit itself writes into a draft (minutes
    drafted from the record): staff who appear through their accounts are not refused."""
    text = text or ""
    if len(text) > limit:
        # Past the limit nothing else is looked at: a huge paste is refused quickly.
        return TextVerdict(field, (f"{limit_note(limit)}, {len(text):,} typed",), ())
    refusals: list[str] = []
    control = _CONTROL.search(text)
    if control:
        refusals.append(f"contains a hidden control character (U+{ord(control.group(0)):04X}) "
                        "that cannot be saved; retype the text without it")
        text = _CONTROL.sub(" ", text)
    refusals += [identifier.explanation for identifier in find_identifiers(text, on)]
    hits = person_names(text, lists=lists, known_people=known_people)
    clear = [hit.words for hit in hits if hit.clear]
    if clear:
        refusals.append(f"names a person ({_quoted(clear)}); {NAME_REFUSAL}")
    return TextVerdict(field, tuple(refusals), tuple(hit.words for hit in hits if not hit.clear))


def person_names(text: str, *, lists: NameLists | None = None,
                 known_people: Collection[str] = ()) -> list[NameHit]:
    """The words of `text` that name, or may name, a person, leaving out the cluster's own staff
    (`known_people`, as in `check_text`): the name part of the check, for text already stored."""
    known = {fold(part) for person in known_people for part in person.split()}
    return [hit for hit in find_person_names(text, lists)
            if not known or not all(fold(w) in known or fold(w) in TITLES
                                    for w in hit.words.split())]


class NamesToConfirm(InvalidInput):
    """Words that may be a person's name, waiting for the writer to change them or confirm they
    are not a person. Nothing was written. The message names the words; it is never stored."""

    def __init__(self, words_by_field: dict[str, tuple[str, ...]]) -> None:
        field, words = next(iter(words_by_field.items()))
        super().__init__(field, names_prompt(words))
        self.words_by_field = words_by_field
        self.args = ("; ".join(f"{f}: {names_prompt(w)}" for f, w in words_by_field.items()),)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(word for words in self.words_by_field.values() for word in words)


def names_prompt(words: Iterable[str]) -> str:
    words = list(words)
    verb = "may be a person's name" if len(words) == 1 else "may be people's names"
    return (f"{_quoted(words)} {verb}: change {'it' if len(words) == 1 else 'them'}, or confirm "
            f"{'it is' if len(words) == 1 else 'they are'} not a person")


def require_clean_texts(texts: Iterable[tuple[str, str, int]], *,
                        confirmed_not_names: ConfirmedNames = False,
                        on: date | None = None,
                        known_people: Collection[str] = ()) -> tuple[str, ...]:
    """Checks (field, text, limit) for each field. Raises `InvalidInput` for the first refusal,
    then `NamesToConfirm` for every word not confirmed; returns the fields whose words the writer
    confirmed, for the audit (`record_confirmation`)."""
    prompts: dict[str, tuple[str, ...]] = {}
    confirmed_fields: list[str] = []
    for field, text, limit in texts:
        verdict = check_text(field, text, limit, on=on, known_people=known_people)
        if verdict.refusals:
            raise InvalidInput(field, "; ".join(verdict.refusals))
        waiting = unconfirmed(verdict.names_to_confirm, confirmed_not_names)
        if waiting:
            prompts[field] = waiting
        elif verdict.names_to_confirm:
            confirmed_fields.append(field)
    if prompts:
        raise NamesToConfirm(prompts)
    return tuple(confirmed_fields)


def require_clean_text(field: str, text: str, limit: int, *,
                       confirmed_not_names: ConfirmedNames = False,
                       on: date | None = None,
                       known_people: Collection[str] = ()) -> tuple[str, ...]:
    """`require_clean_texts` for one field."""
    return require_clean_texts([(field, text, limit)], confirmed_not_names=confirmed_not_names,
                               on=on, known_people=known_people)


def record_confirmation(session: Session, actor: Actor | None, confirmed_fields: Collection[str],
                        *, entity: str, entity_id: int | None) -> None:
    """The audit row for a confirmation that words are not a person: which fields, never the
    words or the text."""
    if not confirmed_fields:
        return
    audit.record(session, actor, CONFIRMATION_ACTION, entity=entity, entity_id=entity_id,
                 after={"fields": ", ".join(sorted(set(confirmed_fields)))[:80],
                        "field_count": len(set(confirmed_fields))})


def name_flag(field: str, text: str) -> str | None:
    """A flag that may travel with a record (a meeting's papers): where a name might be, never
    the words. None when the text holds nothing to ask about."""
    if not find_person_names(text):
        return None
    return (f"{field}: has words the school confirmed are not a person's name; check them "
            "before the papers go out")


def unconfirmed(words: Iterable[str], confirmed: ConfirmedNames) -> tuple[str, ...]:
    """The words asked about that the writer has not confirmed are not a person."""
    return tuple(word for word in words if not _confirmed(word, confirmed))


def _confirmed(word: str, confirmed: ConfirmedNames) -> bool:
    if isinstance(confirmed, bool):
        return confirmed
    if isinstance(confirmed, str):  # one word, not a collection of its letters
        confirmed = [confirmed]
    wanted = {w.casefold() for w in confirmed}
    return word.casefold() in wanted


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)
