"""Names already stored: text saved before the one text check (or imported, or typed straight
into the database) that looks like it holds a person's name, for the host to confirm and remove.

`stored_names` lists, for the host of a cluster, one row per (record, field) whose text the name
check flags, with the words it found and whether each is a clear case or a possible name. The
list is for the host's eyes only (the host may read the cluster's pupil-level text): it is shown,
never logged or stored.

`remove_stored_names` takes the rows the host confirmed and replaces each confirmed word in its
field with "[name removed]", leaving the rest of the text, in one short transaction. Each field
changed leaves one audit row (`names_removed`): the record, the field and how many words were
replaced, never the text or the words. Rows that carry a version have it bumped as by any edit,
so a screen drawn before the removal cannot save over it.

Papers (the members' pack, minutes, letters) are built when they are downloaded, so a corrected
record corrects every later download.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel, col, select

from cluster.common.pupil_names import NameHit
from cluster.common.text_check import person_names
from cluster.core import audit
from cluster.core.clock import now
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotOpenToYou
from cluster.core.permissions import Actor, Permission, require
from cluster.models import (
    Action,
    Award,
    Meeting,
    Review,
    ReviewOutcome,
    Role,
    School,
    SupportRequest,
    Versioned,
)
from cluster.people import request_records as records
from cluster.people.users import staff_names

NAME_REMOVED = "[name removed]"
LIST_ACTION = "list_stored_names"
REMOVE_ACTION = "names_removed"
PAPERS_NOTE = ("Papers are built when they are downloaded, so a corrected record corrects every "
               "later download; a copy someone already downloaded is not changed.")


@dataclass(frozen=True)
class _Source:
    """One table's free-text fields, how its rows belong to a cluster, and how the host reads
    them."""

    held_in: records.RecordTable
    entity: str  # the audit log's name for the record
    kind: str  # what the host reads: "Request", "Outcome", ...
    fields: Mapping[str, str]  # column -> the label its form shows
    staff_named: bool = False  # the toolkit writes staff names into it (minutes)


# A request's, an outcome's and an impact record's free text, column -> the label its form shows:
# the form's text check, erasure under the retention policy and this search all read these.
REQUEST_FIELDS = {"title": "Title", "need_summary": "Need in plain words",
                   "graduated_approach": "What the school has already done",
                   "external_advice": "External advice", "parent_view": "Parent's or carer's view",
                   "pupil_view": "Pupil's view"}
OUTCOME_FIELDS = {"description": "Outcome", "measure": "Measure", "baseline": "Baseline",
                  "target": "Target"}
IMPACT_FIELDS = {"baseline": "Baseline", "target": "Target", "achieved": "Achieved",
                  "what_worked": "What worked", "pupil_voice": "Pupil's voice",
                  "parent_voice": "Parent's voice", "can_do_now": "What the pupil can do now"}

SOURCES: tuple[_Source, ...] = (
    _Source(records.REQUEST, "support_request", "Request", REQUEST_FIELDS),
    _Source(records.PUPILS, "request_pupil", "Pupil on request", {"profile": "Pupil profile"}),
    _Source(records.OUTCOMES, "request_outcome", "Outcome on request", OUTCOME_FIELDS),
    _Source(records.COST_LINES, "cost_line", "Costed line on request",
            {"item_description": "Item description"}),
    _Source(records.HISTORY, "status_change", "History note on request", {"note": "Note"}),
    _Source(records.AWARDS, "award", "Decision on request",
            {"reason": "Reason", "conditions": "Conditions",
             "length_reason": "Why it runs for fewer terms", "next_time": "Next time"}),
    _Source(records.URGENT_DECISIONS, "urgent_decision", "Urgent decision on request",
            {"reason": "Reason", "conditions": "Conditions",
             "ratification_note": "Ratification note"}),
    _Source(records.REVIEWS, "review", "Review", {"notes": "Notes"}),
    _Source(records.REVIEW_OUTCOMES, "review_outcome", "Review of an outcome",
            {"measure_now": "Measure now"}),
    _Source(records.IMPACT, "impact_record", "Impact record", IMPACT_FIELDS),
    _Source(records.RECONSIDERATIONS, "reconsideration", "Reconsideration",
            {"reasons": "Reasons", "outcome": "Outcome"}),
    _Source(records.RecordTable(Meeting, "cluster", "cluster_id"), "meeting", "Meeting",
            {"minutes_md": "Minutes"}, staff_named=True),
    _Source(records.RecordTable(Action, "meeting", "meeting_id"), "action", "Action",
            {"description": "Action"}),
)
_BY_ENTITY = {source.entity: source for source in SOURCES}


@dataclass(frozen=True)
class StoredName:
    """One field of one record whose text looks like it holds a name. `found` holds the words
    as stored: for the host's screen only, never for a log."""

    key: str  # "support_request:12:need_summary": what the host ticks or types
    entity: str
    record_id: int
    field: str
    record: str  # "Request 12", "Outcome on request 12", "Meeting: Autumn 1 2026/27"
    field_label: str
    found: tuple[NameHit, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(hit.words for hit in self.found)

    @property
    def clear(self) -> bool:
        """At least one clear case (a name the forms refuse today), not only possible names."""
        return any(hit.clear for hit in self.found)

    @property
    def verdict(self) -> str:
        return "clear case" if self.clear else "possible name"

    @property
    def found_text(self) -> str:
        """"'Jack Smith' (clear case), 'Rowan' (possible name)": for the host's screen."""
        return ", ".join(f"'{hit.words}' ({'clear case' if hit.clear else 'possible name'})"
                         for hit in self.found)


@dataclass(frozen=True)
class NamesRemoved:
    """What one confirmed row came to: how many words were replaced (0: nothing changed, and
    why). It names the record and field, never the words."""

    key: str
    record: str
    field_label: str
    replaced: int
    note: str = ""


def can_review_stored_names(actor: Actor | None) -> Permission:
    if actor is not None and actor.role == Role.HOST and actor.cluster_id is not None:
        return True, ""
    return False, "Only the cluster's SEN host reviews names in stored text."


@audit.refusals_logged(LIST_ACTION)
def stored_names(engine: Engine, actor: Actor) -> tuple[StoredName, ...]:
    """Every field of the host's cluster whose stored text looks like it holds a name, clear
    cases first, then in the order of the records."""
    require(can_review_stored_names(actor))
    cluster_id = actor.cluster_id or 0
    with read_session(engine) as session:
        staff = staff_names(session, cluster_id)
        rows = list(_flagged(session, cluster_id, staff))
    return tuple(sorted(rows, key=lambda row: not row.clear))


def _flagged(session: Session, cluster_id: int, staff: tuple[str, ...]) -> Iterator[StoredName]:
    labels = _RecordLabels(session)
    for source in SOURCES:
        table = source.held_in.table
        for row in session.exec(select(table).where(_in_cluster(source, cluster_id))
                                .order_by(col(table.id))).all():  # type: ignore[attr-defined]  # every source table has an id column
            for field, label in source.fields.items():
                found = _found(getattr(row, field), staff if source.staff_named else ())
                if found:
                    record_id = int(row.id)  # type: ignore[attr-defined]  # as above
                    yield StoredName(f"{source.entity}:{record_id}:{field}", source.entity,
                                     record_id, field, labels.of(source, row), label,
                                     tuple(found))


def _found(text: str | None, staff: Collection[str]) -> list[NameHit]:
    return person_names(text or "", known_people=staff)


def _in_cluster(source: _Source, cluster_id: int) -> ColumnElement[bool]:
    held_in = source.held_in
    column = col(getattr(held_in.table, held_in.link))
    if held_in.parent == "cluster":
        return column == cluster_id
    if held_in.parent == "meeting":
        return column.in_(select(col(Meeting.id)).where(Meeting.cluster_id == cluster_id))
    return held_in.of(select(col(SupportRequest.id)).where(col(SupportRequest.school_id).in_(
        select(School.id).where(School.cluster_id == cluster_id))))


class _RecordLabels:
    """How the host finds a record: everything hanging off a request names the request."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._award_request: dict[int, int] | None = None
        self._review_award: dict[int, int] | None = None

    def of(self, source: _Source, row: SQLModel) -> str:
        if isinstance(row, SupportRequest):
            return f"Request {row.id}"
        if isinstance(row, Meeting):
            following = (row.academic_year + 1) % 100
            return f"Meeting: {row.half_term} {row.academic_year}/{following:02d}"
        if isinstance(row, Action):
            return f"Action {row.id}"
        if source.held_in.parent == "request":
            return f"{source.kind} {getattr(row, source.held_in.link)}"
        award_id = getattr(row, "award_id", None)
        if isinstance(row, ReviewOutcome):
            award_id = self._reviews().get(row.review_id)
        request_id = self._awards().get(award_id or 0)
        return f"{source.kind} {row.id} (request {request_id})"  # type: ignore[attr-defined]  # every source table has an id column

    def _awards(self) -> dict[int, int]:
        if self._award_request is None:
            self._award_request = {a: r for a, r in self._session.exec(
                select(Award.id, Award.request_id)).all() if a is not None}
        return self._award_request

    def _reviews(self) -> dict[int, int]:
        if self._review_award is None:
            self._review_award = {r: a for r, a in self._session.exec(
                select(Review.id, Review.award_id)).all() if r is not None}
        return self._review_award


@audit.mutating(REMOVE_ACTION)
def remove_stored_names(engine: Engine, actor: Actor,
                        confirmed: Mapping[str, Collection[str]]) -> tuple[NamesRemoved, ...]:
    """Replaces the confirmed words (`{row key: words}`, from `stored_names`) with
    "[name removed]". Only words the name check still finds in that field are replaced, so a
    tampered or out-of-date confirmation changes nothing else; a field whose text has changed
    since the list was drawn keeps what is no longer found. When no field changes at all, it
    raises `InvalidInput` saying why for each row, and nothing is written."""
    require(can_review_stored_names(actor))
    if not confirmed:
        raise InvalidInput("Names to remove", "tick at least one row")
    cluster_id = actor.cluster_id or 0
    with write_session(engine) as session:
        staff = staff_names(session, cluster_id)
        labels = _RecordLabels(session)
        done = tuple(_remove_one(session, actor, labels, key, words, cluster_id, staff)
                     for key, words in confirmed.items())
        if not any(removed.replaced for removed in done):
            # Nothing changed: said as a refusal, so no success goes by without its audit row.
            raise InvalidInput("Names to remove", "; ".join(
                f"{removed.record}, {removed.field_label}: {removed.note}" for removed in done))
        return done


def _remove_one(session: Session, actor: Actor, labels: _RecordLabels, key: str,
                words: Collection[str], cluster_id: int, staff: tuple[str, ...]) -> NamesRemoved:
    source, record_id, field = _parse(key)
    table = source.held_in.table
    row = session.exec(select(table).where(
        col(table.id) == record_id,  # type: ignore[attr-defined]  # every source table has an id column
        _in_cluster(source, cluster_id))).first()
    if row is None:
        raise NotOpenToYou("stored text", key)
    record, label = labels.of(source, row), source.fields[field]
    text = getattr(row, field) or ""
    # The words as stored (a confirmation typed in another case still names them).
    asked = {word.casefold() for word in words}
    wanted = [hit.words for hit in _found(text, staff) if hit.words.casefold() in asked]
    new_text, replaced = _replace(text, wanted)
    if not replaced:
        return NamesRemoved(key, record, label, 0, "nothing to remove: the text has changed "
                                                   "since the list was drawn")
    limit = getattr(table.__table__.c[field].type, "length", None)  # type: ignore[attr-defined]  # a table model has __table__
    if limit is not None and len(new_text) > limit:
        return NamesRemoved(key, record, label, 0, f"not changed: with \"{NAME_REMOVED}\" the "
                            f"text would pass the field's {limit:,} characters; edit it by hand")
    versioned = row if isinstance(row, Versioned) else None
    version = versioned.version if versioned is not None else None
    setattr(row, field, new_text)
    if isinstance(row, SupportRequest):
        row.updated_at = now()
    session.add(row)
    session.flush()  # bumps a versioned row's version, which the audit row records
    before: dict[str, object] = {field: text}
    after: dict[str, object] = {field: new_text, "words_removed": replaced}
    if versioned is not None:
        before["version"], after["version"] = version, versioned.version
    audit.record(session, actor, REMOVE_ACTION, entity=source.entity, entity_id=record_id,
                 before=before, after=after, text_fields=frozenset({field}))
    return NamesRemoved(key, record, label, replaced)


def _parse(key: str) -> tuple[_Source, int, str]:
    entity, _, rest = key.partition(":")
    number, _, field = rest.partition(":")
    source = _BY_ENTITY.get(entity)
    if source is None or field not in source.fields or not number.isdigit() \
            or not number.isascii() or len(number) > 9:
        raise InvalidInput("Names to remove", f"{key[:80]!r} is not a row of the list")
    return source, int(number), field


def _replace(text: str, words: Collection[str]) -> tuple[str, int]:
    """The text with each word, as a whole word, replaced; longest first, so "Jack Smith" goes
    before a "Jack" of its own."""
    total = 0
    for word in sorted(set(words), key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])")
        text, count = pattern.subn(NAME_REMOVED, text)
        total += count
    return text, total
