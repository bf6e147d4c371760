"""The checks a request runs, each with a reason a headteacher can read.

Three kinds of finding:
- refused at any save (even a draft): pupil identifiers in the text, and values that are not valid
  at all; nothing that breaks these rules is ever written;
- refused at submission: what the meeting needs to decide (outcomes, costs, the deadline, the
  cluster's prerequisites, ...), so a draft can be saved half-done;
- flags (warnings): shown on the form and carried to the meeting, never blocking (SENCO time,
  spend under £6,000, text that looks like a name, an auxiliary aid).

Pure: everything the checks need from the database arrives in a `CheckContext`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from cluster.common.calendar import HALF_TERMS, YEAR_GROUPS, AcademicYear, format_date
from cluster.common.identifiers import find_identifiers
from cluster.common.money import format_pounds
from cluster.common.needs import AREA_CHOICES, PRIMARY_NEEDS, SenStatus, main_area_of
from cluster.common.text_check import check_text, name_flag
from cluster.core.errors import InvalidInput
from cluster.models import RequestKind
from cluster.people.stored_names import REQUEST_FIELDS
from cluster.requests.costing import (
    MAX_GROUP_SIZE,
    MAX_MINUTES_PER_WEEK,
    MAX_WEEKS,
    ProvisionMap,
    cost_provision,
    pupils_paid_for,
    rate_table,
)
from cluster.requests.forms import (
    AUXILIARY_AID,
    MAX_DURATION_TERMS,
    MAX_OUTCOMES,
    RequestForm,
    support_period,
)
from cluster.requests.rules import Prerequisite, YearSettings
from cluster.year.deadlines import deadlines_for

ERROR = "error"
WARNING = "warning"
SAVE = "save"  # refused even for a draft
SUBMIT = "submit"  # refused when submitting

ELEMENT_2_PENCE = 600_000  # the first £6,000 of a pupil's additional support, from the school
INDIVIDUAL_KINDS = frozenset({RequestKind.INDIVIDUAL, RequestKind.MEDICAL, RequestKind.FIRST_YEAR})
MONEY_KINDS = frozenset(set(RequestKind) - {RequestKind.CASE_DISCUSSION})
KINDS_WITH_REVIEW_CYCLES = frozenset({RequestKind.INDIVIDUAL, RequestKind.GROUP})
FIRST_YEAR_GROUPS = frozenset({"Nursery", "Reception"})
# The form's choices: every kind of request, and one more that only signposts the LA's fund.
KIND_LABELS: dict[str, str] = {**RequestKind.labels(),
                               AUXILIARY_AID: "Auxiliary aid or building adaptation"}
AUXILIARY_AIDS_SIGNPOST = (
    "auxiliary aids and building adaptations for disabled pupils (ramps, hoists, accessible "
    "toilets and the like) are not paid from the cluster's pot: the Schools Forum keeps a separate "
    "central fund for them (Norfolk FAQ 10). Ask the LA's SEND team how to apply to it"
)
SENCO_FLAG = (
    "includes SENCO time. The Code of Practice (2001, §5:35) calls it good practice to pay the "
    "SENCO from the school's core budget rather than from SEN funds; the cluster may still choose "
    "to fund shared SEN expertise (FAQ 20). Flagged for the meeting"
)
_AUXILIARY_WORDS = re.compile(r"\b(ramps?|hoists?|stair ?lifts?|lifts? installed|changing beds?|"
                              r"accessible toilets?|building adaptations?|auxiliary aids?|"
                              r"widen(ed|ing)? doors?)\b", re.IGNORECASE)

# The form's own limit on a sum of money (£1,000,000); far past it the database cannot store it.
MAX_FORM_PENCE = 100_000_000
TEXT_LIMITS: dict[str, int] = {"title": 200, "outcome": 500, "outcome_part": 200, "item": 200,
                               "reference": 30, "long": 4_000}


@dataclass(frozen=True)
class Finding:
    field: str
    problem: str
    level: str = ERROR
    stage: str = SUBMIT

    @property
    def text(self) -> str:
        return f"{self.field}: {self.problem}"


class ChecksFailed(InvalidInput):
    """Raised by a service when findings block the step; carries them all, names the first."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings[0].field, findings[0].problem)
        self.findings = tuple(findings)
        self.args = ("; ".join(f.text for f in findings),)


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    half_term: str
    academic_year: int
    held_on: date
    is_funding_round: bool
    closed_because: str = ""  # why it takes no new requests (cluster.year.schedule)

    @property
    def requests_due(self) -> date:
        return deadlines_for(self.held_on).requests_due

    @property
    def label(self) -> str:
        return f"the {self.half_term} meeting ({format_date(self.held_on)})"


@dataclass(frozen=True)
class LiveRequest:
    """Another of the school's requests that is still live, for the duplicate check."""

    request_id: int
    reference: str
    starts: date
    ends: date


@dataclass(frozen=True)
class CheckContext:
    today: date
    school_id: int
    cluster_school_ids: frozenset[int]
    meeting: MeetingInfo | None
    academic_year: int
    settings: YearSettings
    left_to_award_pence: int | None
    live_requests: tuple[LiveRequest, ...] = ()
    school_requests_at_meeting: int = 0


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]
    provision: ProvisionMap
    main_area: str | None

    @property
    def amount_pence(self) -> int:
        return self.provision.total_pence

    @property
    def blocking_save(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR and f.stage == SAVE]

    @property
    def blocking_submit(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]


def run_checks(form: RequestForm, context: CheckContext) -> CheckReport:
    provision = cost_provision(form.staff_lines, form.item_lines,
                               rate_table(context.settings.rates),
                               pupils_paid_for=pupils_paid_for(form.kind, len(form.pupils)))
    main_area = form.main_area or main_area_of([p.primary_need for p in form.pupils])
    findings = [
        *_kind(form),
        *_text_and_identifiers(form, context),
        *_pupils(form),
        *_numbers(form, context),
        *_partners(form, context),
        *_meeting(form, context),
        *_completeness(form, main_area),
        *_outcomes(form, context),
        *_money(form, provision, context),
        *_duplicates(form, context),
        *_prerequisites(form, context),
        *_flags(form, provision),
    ]
    return CheckReport(tuple(findings), provision, main_area)


def _kind(form: RequestForm) -> Iterator[Finding]:
    if form.kind == AUXILIARY_AID:
        signpost = AUXILIARY_AIDS_SIGNPOST[0].upper() + AUXILIARY_AIDS_SIGNPOST[1:]
        yield Finding("Kind of request", signpost, stage=SAVE)
    elif form.kind not in KIND_LABELS:
        yield Finding("Kind of request", f"{form.kind!r} is not a kind of request", stage=SAVE)


def free_texts(form: RequestForm) -> list[tuple[str, str, int]]:
    """(field, text, length limit) for every free-text box on the form."""
    long = TEXT_LIMITS["long"]
    texts = [(label, getattr(form, name), TEXT_LIMITS["title"] if name == "title" else long)
             for name, label in REQUEST_FIELDS.items()]
    for n, pupil in enumerate(form.pupils, 1):
        texts.append((f"Pupil {n} profile", pupil.profile, long))
    for n, outcome in enumerate(form.outcomes, 1):
        texts += [(f"Outcome {n}", outcome.description, TEXT_LIMITS["outcome"]),
                  (f"Outcome {n} measure", outcome.measure, TEXT_LIMITS["outcome_part"]),
                  (f"Outcome {n} baseline", outcome.baseline, TEXT_LIMITS["outcome_part"]),
                  (f"Outcome {n} target", outcome.target, TEXT_LIMITS["outcome_part"])]
    for n, item in enumerate(form.item_lines, 1):
        texts.append((f"Item {n} description", item.description, TEXT_LIMITS["item"]))
    return texts


def _text_and_identifiers(form: RequestForm, context: CheckContext) -> Iterator[Finding]:
    if not form.title.strip():
        yield Finding("Title", "give the request a short title (never a pupil's name)", stage=SAVE)
    # The one text check (cluster.common.text_check): its refusals block even a draft and are
    # shown, never stored; words it asks about are confirmed at saving (the service), and the
    # flag that travels to the meeting says where, never what was typed.
    for field, text, limit in free_texts(form):
        verdict = check_text(field, text, limit, on=context.today)
        for problem in verdict.refusals:
            yield Finding(field, problem, stage=SAVE)
        flag = name_flag(field, text) if verdict.names_to_confirm else None
        if flag is not None:
            yield Finding(field, flag.removeprefix(f"{field}: "), level=WARNING)


def _pupils(form: RequestForm) -> Iterator[Finding]:
    seen: set[str] = set()
    for n, pupil in enumerate(form.pupils, 1):
        field = f"Pupil {n} reference"
        reference = pupil.reference.strip()
        if not reference:
            yield Finding(field, "give the school's pseudonymous reference (never a name)",
                          stage=SAVE)
        elif find_identifiers(reference):
            yield Finding(field, "looks like a UPN, ULN, NHS number or date; use the school's "
                                 "own pseudonymous reference", stage=SAVE)
        elif len(reference) > TEXT_LIMITS["reference"] or not any(c.isdigit() for c in reference) \
                or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._/\-]*", reference):
            yield Finding(field, "use the school's pseudonymous code: up to 30 letters and digits "
                                 "with at least one digit, such as AP-017; never a name",
                          stage=SAVE)
        elif reference.lower() in seen:
            yield Finding(field, f"{reference} is on this request twice", stage=SAVE)
        seen.add(reference.lower())
        if pupil.year_group not in YEAR_GROUPS:
            yield Finding(f"Pupil {n} year group", f"{pupil.year_group!r} is not a year group",
                          stage=SAVE)
        if pupil.sen_status not in SenStatus.labels():
            yield Finding(f"Pupil {n} SEN status", "choose SEN support or EHC plan", stage=SAVE)
        if pupil.primary_need not in PRIMARY_NEEDS:
            yield Finding(f"Pupil {n} primary need",
                          f"{pupil.primary_need!r} is not a school census primary-need code",
                          stage=SAVE)


def _numbers(form: RequestForm, context: CheckContext) -> Iterator[Finding]:
    rates = rate_table(context.settings.rates)
    if form.school_spend_pence < 0:
        yield Finding("School's own spend", "cannot be negative", stage=SAVE)
    elif form.school_spend_pence > MAX_FORM_PENCE:
        yield Finding("School's own spend", f"is more than {format_pounds(MAX_FORM_PENCE)} a "
                                            "year: check the figure", stage=SAVE)
    if form.minimum_pence < 0:
        yield Finding("Minimum viable amount", "cannot be negative", stage=SAVE)
    elif form.minimum_pence > MAX_FORM_PENCE:
        yield Finding("Minimum viable amount", f"is more than {format_pounds(MAX_FORM_PENCE)}: "
                                               "check the figure", stage=SAVE)
    if not 0 <= form.review_cycles <= 20:
        yield Finding("Review cycles", "give the number of assess-plan-do-review cycles, 0 to 20",
                      stage=SAVE)
    if not 0 <= form.pupils_helped <= 5_000:
        yield Finding("Pupils helped", "give an estimate between 0 and 5,000", stage=SAVE)
    if not 1 <= form.duration_terms <= MAX_DURATION_TERMS:
        yield Finding("Duration", f"give 1 to {MAX_DURATION_TERMS} terms (a term is two "
                                  "half-terms; three terms is one academic year)", stage=SAVE)
    if form.start_term not in HALF_TERMS:
        yield Finding("Start term", f"{form.start_term!r} is not a half-term", stage=SAVE)
    if form.main_area is not None and form.main_area not in AREA_CHOICES:
        yield Finding("Main area of need", f"{form.main_area!r} is not an area of need", stage=SAVE)
    for area, band in form.severity.items():
        if area not in AREA_CHOICES or not 0 <= band <= 4:
            yield Finding("Severity", f"{area}: choose a band from 0 to 4", stage=SAVE)
    if len(form.outcomes) > MAX_OUTCOMES:
        yield Finding("Outcomes", f"give at most {MAX_OUTCOMES} outcomes", stage=SAVE)
    positions = range(1, len(form.outcomes) + 1)
    for n, line in enumerate(form.staff_lines, 1):
        field = f"Support line {n}"
        if line.grade not in rates:
            yield Finding(field, f"{line.grade!r} is not in the cluster's staff rate table for "
                                 f"{AcademicYear(context.academic_year).label}", stage=SAVE)
        if not 1 <= line.minutes_per_week <= MAX_MINUTES_PER_WEEK:
            yield Finding(field, f"minutes a week must be 1 to {MAX_MINUTES_PER_WEEK:,}",
                          stage=SAVE)
        if not 1 <= line.group_size <= MAX_GROUP_SIZE:
            yield Finding(field, f"group size must be 1 to {MAX_GROUP_SIZE}", stage=SAVE)
        if not 1 <= line.weeks <= MAX_WEEKS:
            yield Finding(field, f"weeks must be 1 to {MAX_WEEKS}", stage=SAVE)
        if line.outcome is not None and line.outcome not in positions:
            yield Finding(field, f"there is no outcome {line.outcome}")
    for n, item in enumerate(form.item_lines, 1):
        field = f"Item {n}"
        if not item.description.strip():
            yield Finding(field, "say what the money buys", stage=SAVE)
        if not 1 <= item.cost_pence <= 100_000_00:
            yield Finding(field, "the cost must be more than £0 and at most £100,000", stage=SAVE)
        if item.outcome is not None and item.outcome not in positions:
            yield Finding(field, f"there is no outcome {item.outcome}")


def _partners(form: RequestForm, context: CheckContext) -> Iterator[Finding]:
    if form.partner_school_ids and form.kind != RequestKind.PROJECT:
        yield Finding("Partner schools", "only a project can be joint between schools", stage=SAVE)
    for school_id in form.partner_school_ids:
        if school_id == context.school_id or school_id not in context.cluster_school_ids:
            yield Finding("Partner schools", "choose other schools of this cluster", stage=SAVE)
            break


def _meeting(form: RequestForm, context: CheckContext) -> Iterator[Finding]:
    meeting = context.meeting
    if form.meeting_id is not None and meeting is None:
        yield Finding("Meeting", "that meeting is not one of this cluster's", stage=SAVE)
        return
    if meeting is None:
        yield Finding("Meeting", "choose the meeting the request is for")
        return
    if meeting.closed_because:
        yield Finding("Meeting", f"{meeting.closed_because}; choose a later meeting")
    elif context.today > meeting.requests_due:
        yield Finding("Meeting", f"requests for {meeting.label} were due by "
                                 f"{format_date(meeting.requests_due)}; choose a later meeting")
    if form.kind in MONEY_KINDS and not meeting.is_funding_round:
        yield Finding("Meeting", f"{meeting.label} is a review meeting; requests for money go to "
                                 "a funding round")
    if form.start_term in HALF_TERMS and \
            HALF_TERMS.index(form.start_term) < HALF_TERMS.index(meeting.half_term):
        yield Finding("Start term", f"{form.start_term} is before {meeting.label} that decides "
                                    f"the request; start in {meeting.half_term} or later")


def _completeness(form: RequestForm, main_area: str | None) -> Iterator[Finding]:
    if not form.need_summary.strip():
        yield Finding("Need in plain words", "describe the need the support is for")
    if main_area is None:
        yield Finding("Main area of need", "choose the main area of need")
    elif form.kind != RequestKind.CASE_DISCUSSION and form.severity.get(main_area, 0) < 1:
        yield Finding("Severity", f"choose how severe the need is in {main_area}, the main area")
    count = len(form.pupils)
    if form.kind in INDIVIDUAL_KINDS and count != 1:
        yield Finding("Pupils", f"a request for one pupil needs exactly one pupil, not {count}",
                      stage=SAVE if count > 1 else SUBMIT)
    if form.kind == RequestKind.GROUP:
        if count < 2:
            yield Finding("Pupils", "a group request needs at least two pupils")
        for n, pupil in enumerate(form.pupils, 1):
            if not pupil.profile.strip():
                yield Finding(f"Pupil {n} profile", "a group request needs a short profile of "
                                                    "each pupil")
        # Consent is the cluster's call (its parent-consent prerequisite, in `_prerequisites`),
        # for a group as for one pupil; without it other schools read no pupil-level text.
    if form.kind == RequestKind.PROJECT:
        if count:
            yield Finding("Pupils", "a project buys capacity: list no pupils, estimate the "
                                    "number helped instead", stage=SAVE)
        if form.pupils_helped < 1:
            yield Finding("Pupils helped", "estimate how many pupils the project will help")


def _outcomes(form: RequestForm, context: CheckContext) -> Iterator[Finding]:
    if form.kind in MONEY_KINDS and not form.outcomes:
        yield Finding("Outcomes", "add at least one outcome (up to three), each with a measure, "
                                  "a baseline, a target and a date")
    year = AcademicYear(context.academic_year)
    starts = None
    if form.start_term in HALF_TERMS:
        starts, _ = support_period(context.academic_year, form.start_term, 1)
    for n, outcome in enumerate(form.outcomes, 1):
        for label, value in (("", outcome.description), (" measure", outcome.measure),
                             (" baseline", outcome.baseline), (" target", outcome.target)):
            if not value.strip():
                yield Finding(f"Outcome {n}{label}", "is missing")
        if outcome.target_on is None:
            yield Finding(f"Outcome {n} date", "is missing: when should the target be reached?",
                          stage=SAVE)
        elif not year.contains(outcome.target_on):
            yield Finding(f"Outcome {n} date", f"{format_date(outcome.target_on)} is outside the "
                                               f"academic year {year.label} "
                                               f"({format_date(year.starts)} to "
                                               f"{format_date(year.ends)})")
        elif starts is not None and outcome.target_on < starts:
            yield Finding(f"Outcome {n} date", f"{format_date(outcome.target_on)} is before the "
                                               f"support starts ({format_date(starts)})")


def _money(form: RequestForm, provision: ProvisionMap, context: CheckContext) -> Iterator[Finding]:
    amount = provision.total_pence
    if form.kind == RequestKind.CASE_DISCUSSION:
        if form.staff_lines or form.item_lines:
            yield Finding("Provision map", "a case discussion asks for advice, not money: remove "
                                           "the cost lines", stage=SAVE)
        return
    if not form.staff_lines and not form.item_lines:
        yield Finding("Provision map", "add at least one line of support or an item: the lines "
                                       "make up the amount asked")
    if form.minimum_pence <= 0:
        yield Finding("Minimum viable amount", "give the amount below which the support is not "
                                               "worth starting")
    elif form.minimum_pence > amount:
        yield Finding("Minimum viable amount", f"{format_pounds(form.minimum_pence)} is more than "
                                               f"the amount asked ({format_pounds(amount)})")
    left = context.left_to_award_pence
    if left is None:
        yield Finding("Amount asked", f"the cluster's pot for "
                                      f"{AcademicYear(context.academic_year).label} is not set up, "
                                      "so the amount could not be compared with it", level=WARNING)
    elif amount > left:
        yield Finding("Amount asked", f"{format_pounds(amount)} is more than the cluster has left "
                                      f"to award this year ({format_pounds(max(0, left))})")


def _duplicates(form: RequestForm, context: CheckContext) -> Iterator[Finding]:
    if form.start_term not in HALF_TERMS or not 1 <= form.duration_terms <= MAX_DURATION_TERMS:
        return
    starts, ends = support_period(context.academic_year, form.start_term, form.duration_terms)
    for n, pupil in enumerate(form.pupils, 1):
        reference = pupil.reference.strip().lower()
        for other in context.live_requests:
            if other.reference == reference and other.starts <= ends and starts <= other.ends:
                yield Finding(f"Pupil {n} reference",
                              f"{pupil.reference.strip()} is already on request {other.request_id} "
                              f"for {format_date(other.starts)} to {format_date(other.ends)}, "
                              "which overlaps this one; add to that request or wait for its review")
                break


def _prerequisites(form: RequestForm, context: CheckContext) -> Iterator[Finding]:
    rules = context.settings.rules
    limit = rules.max_requests_per_school_per_meeting
    if limit is not None and context.meeting is not None \
            and context.school_requests_at_meeting >= limit:
        yield Finding("Meeting", f"the cluster takes at most {limit} request"
                                 f"{'s' if limit != 1 else ''} per school per meeting, and your "
                                 f"school already has {context.school_requests_at_meeting} for "
                                 f"{context.meeting.label}")
    if form.kind == RequestKind.PROJECT:
        return  # the prerequisites are about pupils
    required = set(rules.prerequisites)
    field = "Cluster prerequisite"
    if Prerequisite.REVIEW_CYCLES in required and form.kind in KINDS_WITH_REVIEW_CYCLES \
            and form.review_cycles < rules.min_review_cycles:
        yield Finding(field, f"{rules.label(Prerequisite.REVIEW_CYCLES)}: the request shows "
                             f"{form.review_cycles}")
    if Prerequisite.SPECIALIST_ASSESSMENT in required and form.kind != RequestKind.CASE_DISCUSSION:
        yield from _assessment(form, context)
    if Prerequisite.PARENT_CONSENT in required and form.pupils \
            and not all(p.consent_given for p in form.pupils):
        yield Finding(field, f"{rules.label(Prerequisite.PARENT_CONSENT)}: consent is not "
                             "recorded for every pupil")
    if Prerequisite.PARENTS_INVOLVED in required and not form.parents_involved:
        yield Finding(field, f"{rules.label(Prerequisite.PARENTS_INVOLVED)}: not recorded")
    if (Prerequisite.SCHOOL_SPEND in required
            and form.kind in INDIVIDUAL_KINDS | {RequestKind.GROUP}
            and form.school_spend_pence <= 0):
        yield Finding(field, f"{rules.label(Prerequisite.SCHOOL_SPEND)}: not recorded")


def _assessment(form: RequestForm, context: CheckContext) -> Iterator[Finding]:
    rules = context.settings.rules
    label = rules.label(Prerequisite.SPECIALIST_ASSESSMENT)
    assessed = form.specialist_assessment_on
    if assessed is None:
        yield Finding("Cluster prerequisite", f"{label}: no assessment date given")
    elif assessed > context.today:
        yield Finding("Specialist assessment date", f"{format_date(assessed)} is in the future")
    elif not is_recent_assessment(assessed, context.today, rules.assessment_within_months):
        yield Finding("Cluster prerequisite", f"{label}: the assessment on {format_date(assessed)} "
                                              "is older than that")


def is_recent_assessment(assessed: date | None, on: date, months: int) -> bool:
    if assessed is None or assessed > on:
        return False
    month_index = on.year * 12 + on.month - 1 - months
    earliest_year, earliest_month = divmod(month_index, 12)
    day = min(on.day, 28)
    return assessed >= date(earliest_year, earliest_month + 1, day)


def _flags(form: RequestForm, provision: ProvisionMap) -> Iterator[Finding]:
    if provision.senco_lines:
        yield Finding("Provision map", SENCO_FLAG, level=WARNING)
    if form.kind in INDIVIDUAL_KINDS and form.school_spend_pence < ELEMENT_2_PENCE:
        yield Finding("School's own spend",
                      f"{format_pounds(form.school_spend_pence)} a year is under £6,000: the "
                      "national funding system expects a school to meet the first £6,000 of a "
                      "pupil's additional support from its notional SEN budget. Flagged for the "
                      "meeting", level=WARNING)
    if form.kind == RequestKind.FIRST_YEAR and any(
            p.year_group not in FIRST_YEAR_GROUPS for p in form.pupils):
        yield Finding("Pupil 1 year group", "first-year-of-school funding is for a pupil starting "
                                            "school (Nursery or Reception); check the kind of "
                                            "request", level=WARNING)
    if any(_AUXILIARY_WORDS.search(text) for _, text, _ in free_texts(form)):
        yield Finding("Provision map", "mentions an aid or adaptation: "
                      + AUXILIARY_AIDS_SIGNPOST, level=WARNING)
