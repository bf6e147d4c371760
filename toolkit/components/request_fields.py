"""The request form's fields, defined once: each field's name and default, how a stored request
fills them (`values_of`) and how they are read back into a `RequestForm` (`form_of`). The New
request view draws its widgets from `default` and reads them through `form_of`, so widgets,
reading and prefill cannot drift: `form_of(values_of(form)) == form` for every stored request
(tests/toolkit/components/test_request_fields.py).

Names are flat ("title", "pupil.0.year_group"); a row's number is replaced by "*" to find its
default ("pupil.*.year_group").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from cluster.common.calendar import HALF_TERMS, YEAR_GROUPS
from cluster.common.money import pence_from_entry, pounds_figure
from cluster.common.needs import AREA_CHOICES, PRIMARY_NEEDS, SenStatus
from cluster.models import RequestKind
from cluster.requests.costing import DEFAULT_WEEKS, ItemLine, StaffLine
from cluster.requests.forms import OutcomeInput, PupilInput, RequestForm

FROM_PUPILS = "(worked out from the pupils' primary needs)"
ONE_PUPIL_KINDS = (RequestKind.INDIVIDUAL, RequestKind.MEDICAL, RequestKind.FIRST_YEAR)

# Every field's starting value when nothing is stored: the one place each default lives.
DEFAULTS: dict[str, Any] = {
    "kind": RequestKind.INDIVIDUAL, "title": "", "meeting": None, "main_area": FROM_PUPILS,
    "partners": [], "pupils_helped": 0, "need_summary": "", "graduated_approach": "",
    "cycles": 0, "assessed_on": None, "spend": 0.0, "advice": "", "parents_involved": False,
    "minimum": 0.0, "start_term": HALF_TERMS[0], "duration": 3, "parent_view": "",
    "pupil_view": "",
    "n_pupils": 4, "n_pupils_case": 1, "n_outcomes": 1, "n_outcomes_case": 0, "n_staff": 1,
    "n_items": 0,
    "pupil.*.reference": "", "pupil.*.year_group": YEAR_GROUPS[5],  # Year 3: most requests
    "pupil.*.sen_status": next(iter(SenStatus.labels())),
    "pupil.*.need": next(iter(PRIMARY_NEEDS)), "pupil.*.assessment": False,
    "pupil.*.profile": "", "pupil.*.consent": False,
    "outcome.*.description": "", "outcome.*.measure": "", "outcome.*.baseline": "",
    "outcome.*.target": "", "outcome.*.date": None,
    "staff.*.grade": "", "staff.*.minutes": 60, "staff.*.group": 1,
    "staff.*.weeks": DEFAULT_WEEKS, "staff.*.outcome": 1,
    "item.*.description": "", "item.*.pounds": 0.0, "item.*.outcome": 1,
    "severity.*": 0,
}
_ROW = re.compile(r"\.\d+\.")


def pattern(name: str) -> str:
    """"pupil.2.year_group" → "pupil.*.year_group"; "severity.Cognition and learning" →
    "severity.*"."""
    if name.startswith("severity."):
        return "severity.*"
    return _ROW.sub(".*.", name, count=1)


def default(name: str, overrides: Mapping[str, Any] | None = None) -> Any:
    """A field's default: the year's own (`overrides`: meeting, start term, grade, outcome
    date) before the fixed one."""
    key = pattern(name)
    if overrides and key in overrides:
        return overrides[key]
    value = DEFAULTS[key]
    return list(value) if isinstance(value, list) else value


Get = Callable[[str], Any]


def counts_of(kind: str, get: Get) -> dict[str, int]:
    """How many pupils, outcomes, staff lines and items the form holds."""
    case = kind == RequestKind.CASE_DISCUSSION
    if kind in ONE_PUPIL_KINDS:
        pupils = 1
    elif kind == RequestKind.GROUP:
        pupils = int(get("n_pupils"))
    elif case:
        pupils = int(get("n_pupils_case"))
    else:
        pupils = 0
    return {"pupils": pupils, "outcomes": int(get("n_outcomes_case" if case else "n_outcomes")),
            "staff": 0 if case else int(get("n_staff")),
            "items": 0 if case else int(get("n_items"))}


def lines_of(counts: Mapping[str, int], get: Get) -> tuple[list[StaffLine], list[ItemLine]]:
    """The provision map's lines: staff lines with time, items with a description or a cost."""
    staff = [StaffLine(str(get(f"staff.{n}.grade")), int(get(f"staff.{n}.minutes")),
                       int(get(f"staff.{n}.group")), int(get(f"staff.{n}.weeks")),
                       get(f"staff.{n}.outcome"))
             for n in range(counts["staff"]) if get(f"staff.{n}.minutes")]
    items = [ItemLine(str(get(f"item.{n}.description")),
                      pence_from_entry(get(f"item.{n}.pounds")), get(f"item.{n}.outcome"))
             for n in range(counts["items"])
             if str(get(f"item.{n}.description")).strip() or get(f"item.{n}.pounds")]
    return staff, items


def form_of(kind: str, get: Get, *, has_meetings: bool) -> RequestForm:
    """The request as the form's fields hold it (`get(name)`: the field's value or default)."""
    counts = counts_of(kind, get)
    staff, items = lines_of(counts, get)
    area = get("main_area")
    assessed = get("assessed_on")
    return RequestForm(
        kind=kind, title=str(get("title")),
        meeting_id=get("meeting") if has_meetings else None,
        main_area=None if area in (None, FROM_PUPILS) else area,
        partner_school_ids=tuple(get("partners") or ()),
        pupils=tuple(_pupil(n, get) for n in range(counts["pupils"])),
        pupils_helped=int(get("pupils_helped") or 0),
        need_summary=str(get("need_summary")), graduated_approach=str(get("graduated_approach")),
        review_cycles=int(get("cycles")), external_advice=str(get("advice")),
        specialist_assessment_on=assessed if isinstance(assessed, date) else None,
        school_spend_pence=pence_from_entry(get("spend")),
        parents_involved=bool(get("parents_involved")),
        outcomes=tuple(_outcome(n, get) for n in range(counts["outcomes"])),
        staff_lines=tuple(staff), item_lines=tuple(items),
        minimum_pence=pence_from_entry(get("minimum")),
        start_term=str(get("start_term")), duration_terms=int(get("duration")),
        severity={area_name: int(get(f"severity.{area_name}")) for area_name in AREA_CHOICES
                  if int(get(f"severity.{area_name}"))},
        parent_view=str(get("parent_view")), pupil_view=str(get("pupil_view")),
    )


def _pupil(n: int, get: Get) -> PupilInput:
    return PupilInput(str(get(f"pupil.{n}.reference")), str(get(f"pupil.{n}.year_group")),
                      str(get(f"pupil.{n}.sen_status")), str(get(f"pupil.{n}.need")),
                      bool(get(f"pupil.{n}.assessment")), str(get(f"pupil.{n}.profile")),
                      bool(get(f"pupil.{n}.consent")))


def _outcome(n: int, get: Get) -> OutcomeInput:
    return OutcomeInput(str(get(f"outcome.{n}.description")), str(get(f"outcome.{n}.measure")),
                        str(get(f"outcome.{n}.baseline")), str(get(f"outcome.{n}.target")),
                        get(f"outcome.{n}.date"))


def values_of(form: RequestForm) -> dict[str, Any]:
    """Every field's value for a stored request: what the form shows when it is opened."""
    case = form.kind == RequestKind.CASE_DISCUSSION
    values: dict[str, Any] = {
        "kind": form.kind, "title": form.title, "meeting": form.meeting_id,
        "main_area": form.main_area or FROM_PUPILS, "partners": list(form.partner_school_ids),
        "pupils_helped": form.pupils_helped, "need_summary": form.need_summary,
        "graduated_approach": form.graduated_approach, "cycles": form.review_cycles,
        "assessed_on": form.specialist_assessment_on,
        "spend": pounds_figure(form.school_spend_pence),
        "advice": form.external_advice, "parents_involved": form.parents_involved,
        "minimum": pounds_figure(form.minimum_pence), "start_term": form.start_term,
        "duration": form.duration_terms, "parent_view": form.parent_view,
        "pupil_view": form.pupil_view,
        "n_outcomes_case" if case else "n_outcomes": len(form.outcomes),
        "n_staff": len(form.staff_lines), "n_items": len(form.item_lines),
    }
    if form.kind == RequestKind.GROUP:
        values["n_pupils"] = len(form.pupils)
    elif case:
        values["n_pupils_case"] = len(form.pupils)
    for n, pupil in enumerate(form.pupils):
        values.update({f"pupil.{n}.reference": pupil.reference,
                       f"pupil.{n}.year_group": pupil.year_group,
                       f"pupil.{n}.sen_status": pupil.sen_status,
                       f"pupil.{n}.need": pupil.primary_need,
                       f"pupil.{n}.assessment": pupil.ehc_assessment_requested,
                       f"pupil.{n}.profile": pupil.profile,
                       f"pupil.{n}.consent": pupil.consent_given})
    for n, outcome in enumerate(form.outcomes):
        values.update({f"outcome.{n}.description": outcome.description,
                       f"outcome.{n}.measure": outcome.measure,
                       f"outcome.{n}.baseline": outcome.baseline,
                       f"outcome.{n}.target": outcome.target,
                       f"outcome.{n}.date": outcome.target_on})
    for n, line in enumerate(form.staff_lines):
        values.update({f"staff.{n}.grade": line.grade, f"staff.{n}.minutes": line.minutes_per_week,
                       f"staff.{n}.group": line.group_size, f"staff.{n}.weeks": line.weeks,
                       f"staff.{n}.outcome": line.outcome})
    for n, item in enumerate(form.item_lines):
        values.update({f"item.{n}.description": item.description,
                       f"item.{n}.pounds": pounds_figure(item.cost_pence),
                       f"item.{n}.outcome": item.outcome})
    for area_name, band in form.severity.items():
        values[f"severity.{area_name}"] = band
    return values
