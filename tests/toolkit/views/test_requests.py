"""The request views in AppTest: the New request form's happy path and each refusal, Our requests,
the host's list, and one request opened by ?request=ID (bad and foreign numbers included)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from cluster.models import SupportRequest
from tests.cluster.requests.conftest import written_rows
from tests.helpers.forms import open_view
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from toolkit import state

NEW = str(ROOT / "toolkit/views/school/new_request.py")
OURS = str(ROOT / "toolkit/views/school/our_requests.py")
ONE = str(ROOT / "toolkit/views/common/request.py")
HOST_LIST = str(ROOT / "toolkit/views/host/requests.py")
K = state.REQUEST_FORM + "."


def fill_complete(at: AppTest) -> None:
    """A complete one-pupil request for Aylsham Road Primary: £1,307.20 of TA time."""
    at.text_input(key=K + "title").input("Reading support")
    at.text_input(key=K + "pupil.0.reference").input("AP-900")
    at.selectbox(key=K + "pupil.0.need").select("SpLD")
    at.checkbox(key=K + "pupil.0.consent").check()
    at.text_area(key=K + "need_summary").input("Reading well below age-related expectations.")
    at.text_area(key=K + "graduated_approach").input("Two cycles of daily phonics.")
    at.number_input(key=K + "cycles").set_value(2)
    at.number_input(key=K + "spend").set_value(6_500.0)
    at.text_input(key=K + "outcome.0.description").input("Reads with 90% accuracy")
    at.text_input(key=K + "outcome.0.measure").input("Accuracy on a benchmarked text")
    at.text_input(key=K + "outcome.0.baseline").input("70%")
    at.text_input(key=K + "outcome.0.target").input("90%")
    at.number_input(key=K + "staff.0.minutes").set_value(120)
    at.selectbox(key=K + "severity.Cognition and learning").select(3)
    at.number_input(key=K + "minimum").set_value(1_000.0)
    # No run here: AppTest keeps a form's values only until a run that does not submit it.


def press(at: AppTest, button: str) -> AppTest:
    at.button(key=K + button).click().run()
    assert not at.exception, at.exception
    return at


def stored(url: str) -> list[SupportRequest]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = list(session.exec(select(SupportRequest).where(
            SupportRequest.title == "Reading support")).all())
    engine.dispose()
    return rows


def rows_written(url: str) -> dict[str, int]:
    engine = make_engine(url)
    counts = written_rows(engine)
    engine.dispose()
    return counts


def test_the_happy_path_checks_then_submits(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    fill_complete(at)
    press(at, "check")
    assert "£1,307.20" in [m.value for m in at.metric]  # the provision map's total
    assert "Every check passes." in [s.value for s in at.success]
    assert "Need score" in page_text(at)
    press(at, "submit")
    assert any("submitted to the cluster: £1,307.20 asked" in s.value for s in at.success)
    [request] = stored(demo_database)
    assert (request.status, request.amount_pence) == ("submitted", 130_720)
    # The page says what was sent and where it is, then a button opens a fresh form.
    assert at.title[0].value == f"Request {request.id} submitted"
    links = {link.label: link for link in at.get("page_link")}
    assert {f"Open request {request.id}", "See it in Our requests"} <= set(links)
    assert not [box for box in at.text_input if str(box.key).startswith(K)]
    next(b for b in at.button if b.label == "Start a new request").click().run()
    assert at.title[0].value == "New request"
    assert at.text_input(key=K + "title").value == ""


def test_a_draft_is_saved_then_opened_again_for_editing(demo_database: str) -> None:
    at = open_view(APP, demo_database, "head.ap", NEW)
    fill_complete(at)
    press(at, "save")
    [request] = stored(demo_database)
    assert request.status == "draft"
    assert any(f"Draft saved as request {request.id}" in s.value for s in at.success)
    again = open_view(APP, demo_database, "senco.ap", NEW, edit=str(request.id))
    assert again.title[0].value == f"Edit request {request.id}"
    assert again.text_input(key=K + "pupil.0.reference").value == "AP-900"
    assert again.number_input(key=K + "minimum").value == 1_000.0
    press(again, "submit")
    assert stored(demo_database)[0].status == "submitted"


Spoil = Callable[[AppTest], None]

REFUSALS: list[tuple[str, Spoil, str]] = [
    ("upn", lambda at: at.text_area(key=K + "need_summary").input("UPN A" "12345678901" "B."),
     "**Need in plain words**: contains what looks like a UPN"),
    ("date-of-birth", lambda at: at.text_area(key=K + "parent_view").input("Born 03/05/2018."),
     "**Parent's or carer's view**: contains a full date that could be a date of birth"),
    ("outcome-missing", lambda at: at.text_input(key=K + "outcome.0.description").input(""),
     "**Outcome 1**: is missing"),
    ("minimum-above-amount", lambda at: at.number_input(key=K + "minimum").set_value(5_000.0),
     "**Minimum viable amount**: £5,000 is more than the amount asked (£1,307.20)"),
    ("no-consent", lambda at: at.checkbox(key=K + "pupil.0.consent").uncheck(),
     "**Cluster prerequisite**: Parent/carer consent for every pupil on the request"),
    ("one-cycle", lambda at: at.number_input(key=K + "cycles").set_value(1),
     "**Cluster prerequisite**: At least 2 cycles of assess-plan-do-review"),
    ("duplicate", lambda at: at.text_input(key=K + "pupil.0.reference").input("WV-002"),
     "**Pupil 1 reference**: WV-002 is already on request"),
    ("outside-the-year", lambda at: at.date_input(key=K + "outcome.0.date").set_value(
        date(2027, 10, 1)), "**Outcome 1 date**: 01/10/2027 is outside the academic year"),
    ("name-as-reference", lambda at: at.text_input(key=K + "pupil.0.reference").input("Jack S"),
     "**Pupil 1 reference**: use the school's pseudonymous code"),
    ("start-before-meeting", lambda at: at.selectbox(key=K + "start_term").select("Autumn 2"),
     "**Start term**: Autumn 2 is before the Spring 1 meeting"),
    ("no-need", lambda at: at.text_area(key=K + "need_summary").input(""),
     "**Need in plain words**: describe the need"),
    ("no-costs", lambda at: at.number_input(key=K + "staff.0.minutes").set_value(0),
     "**Provision map**: add at least one line"),
]


@pytest.mark.parametrize(("spoil", "message"), [(s, m) for _, s, m in REFUSALS],
                         ids=[name for name, _, _ in REFUSALS])
def test_each_refusal_is_shown_and_nothing_is_written(demo_database: str, spoil: Spoil,
                                                      message: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    fill_complete(at)
    spoil(at)
    before = rows_written(demo_database)
    press(at, "submit")
    errors = "\n".join(e.value for e in at.error)
    assert message in errors, errors
    assert rows_written(demo_database) == before


def test_more_than_is_left_to_award_is_refused(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    at.number_input(key=K + "n_items").set_value(1).run()
    fill_complete(at)
    at.text_input(key=K + "item.0.description").input("Specialist provision")
    at.number_input(key=K + "item.0.pounds").set_value(95_000.0)
    press(at, "submit")
    assert "£96,307.20" in [m.value for m in at.metric]
    assert "**Amount asked**: £96,307.20 is more than the cluster has left to award" in \
        "\n".join(e.value for e in at.error)
    assert stored(demo_database) == []


def test_flags_show_before_submit_and_do_not_block(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    at.number_input(key=K + "n_staff").set_value(2).run()
    fill_complete(at)
    at.selectbox(key=K + "staff.1.grade").select("SENCO")
    at.number_input(key=K + "staff.1.minutes").set_value(30)
    at.number_input(key=K + "spend").set_value(4_000.0)
    press(at, "check")
    warnings = "\n".join(w.value for w in at.warning)
    assert "Code of Practice (2001, §5:35)" in warnings
    assert "£4,000 a year is under £6,000" in warnings
    press(at, "submit")
    assert stored(demo_database)[0].status == "submitted"


def test_auxiliary_aids_are_signposted_not_accepted(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    at.selectbox(key=K + "kind").select("auxiliary_aid").run()
    assert "central fund" in "\n".join(w.value for w in at.warning)
    assert not [b for b in at.button if b.key == K + "submit"]


def test_a_closed_meeting_is_not_offered(demo_database: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", "2027-01-07")
    at = open_view(APP, demo_database, "senco.ap", NEW)
    labels = at.selectbox(key=K + "meeting").options
    assert labels and not any("Spring 1" in label for label in labels)
    assert any("Summer 1" in label and "funding round" in label for label in labels)


def test_our_requests_lists_status_asked_and_awarded(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", OURS)
    table = at.dataframe[0].value
    # What a school follows comes first, so a laptop shows it without scrolling sideways.
    assert list(table.columns)[:7] == ["No.", "Title", "Status", "Meeting", "Asked", "Awarded",
                                       "Next review due"]
    assert "Submitted" in set(table["Status"]) and "Decided" in set(table["Status"])
    assert "Kind" in table.columns
    assert "Other schools' requests on an agenda" in page_text(at)


def test_the_host_lists_the_next_meetings_requests_with_filters(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", HOST_LIST)
    table = at.dataframe[0].value
    # eight submitted, one returned, one withdrawn; drafts stay with their schools
    assert len(table) == 10
    assert {"Need score", "Band", "Flags"} <= set(table.columns)
    at.multiselect[1].select("Cognition and learning").run()
    assert set(at.dataframe[0].value["Area"]) == {"Cognition and learning"}
    at.multiselect[2].select("returned").run()
    assert list(at.dataframe[0].value["School"]) == ["Reepham Meadow Primary"]


def own_request_id(url: str, school_reference: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        from cluster.models import RequestPupil

        pupil = session.exec(select(RequestPupil).where(
            RequestPupil.reference == school_reference)).one()
    engine.dispose()
    return pupil.request_id


def test_one_request_by_its_number(demo_database: str) -> None:
    request_id = own_request_id(demo_database, "WV-002")  # Aylsham Road's submitted request
    own = open_view(APP, demo_database, "senco.ap", ONE, request=str(request_id))
    assert own.title[0].value.startswith(f"Request {request_id}:")
    assert "Provision map" in page_text(own) and "Need score" in page_text(own)
    foreign = open_view(APP, demo_database, "senco.bi", ONE, request=str(request_id))
    assert foreign.error[0].value == f"There is no request {request_id} that you can open."
    assert "13/01/2027" not in page_text(foreign) and "WV-002" not in page_text(foreign)


def test_another_schools_request_reads_on_screen_like_a_number_never_used(
        demo_database: str) -> None:
    """Before its papers go out, another school's request and a number never used get the same
    screen: the same heading and the same words, the number as typed the only difference."""
    request_id = own_request_id(demo_database, "WV-002")
    never_used = request_id + 100_000

    def refusal(number: int) -> tuple[list[str], list[str]]:
        at = open_view(APP, demo_database, "senco.bi", ONE, request=str(number))
        return ([t.value for t in at.title],
                [e.value.replace(str(number), "N") for e in at.error])

    assert refusal(request_id) == refusal(never_used) == (
        ["Open a request"], ["There is no request N that you can open."])


@pytest.mark.parametrize(("number", "message"), [
    ("abc", "is not a request number"), ("99999", "There is no request 99999 that you can open"),
    ("-3", "is not a request number")])
def test_a_bad_number_gets_a_clean_message(demo_database: str, number: str, message: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", ONE, request=number)
    assert message in at.error[0].value


def test_the_host_returns_a_request_with_what_is_missing(demo_database: str) -> None:
    request_id = own_request_id(demo_database, "WV-002")
    at = open_view(APP, demo_database, "host", ONE, request=str(request_id))
    at.text_area[0].input("A dated specialist assessment\nThe baseline for outcome 1")
    next(b for b in at.button if b.label == "Return to the school").click().run()
    assert not at.exception
    assert any("returned to Aylsham Road Primary School" in s.value for s in at.success)
    school = open_view(APP, demo_database, "senco.ap", ONE, request=str(request_id))
    assert "A dated specialist assessment" in page_text(school)



SETTINGS = str(ROOT / "toolkit/views/host/request_settings.py")


def test_the_host_sets_the_rules_and_the_matrix(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", SETTINGS)
    assert "The points add up to 10" in page_text(at)
    at.number_input(key="rules-2026-limit").set_value(1)
    at.button[1].click().run()  # the rules form's save button
    assert not at.exception
    assert any("Rules for 2026/27 saved" in s.value for s in at.success)
    at.number_input(key="m-2026-sev").set_value(3.0)
    at.button[2].click().run()
    assert not at.exception
    assert any("Need matrix for 2026/27 saved" in s.value for s in at.success)
    assert "The points add up to 9" in page_text(at)
    school = open_view(APP, demo_database, "senco.ap", NEW)
    fill_complete(school)
    press(school, "submit")
    assert "at most 1 request per school per meeting" in "\n".join(e.value for e in school.error)
