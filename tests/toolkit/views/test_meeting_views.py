"""AppTest for running a meeting, suggesting a split, urgent decisions, papers and payments,
against the demo cluster's next funding round (Spring 1, 20/01/2027)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from cluster.funding.ledger import MONEY_FOR_ROUND
from cluster.meetings.decisions import meeting_decisions
from tests.cluster.meeting_helpers import spring_round, take_register
from tests.helpers.actors import actor, demo_actor
from tests.helpers.browser import SPRING_1_DAY
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from toolkit import state

RUN = str(ROOT / "toolkit/views/host/run_meeting.py")
SPLIT = str(ROOT / "toolkit/views/host/suggest_split.py")
URGENT = str(ROOT / "toolkit/views/host/urgent_decisions.py")
PAPERS = str(ROOT / "toolkit/views/common/papers.py")
PAYMENTS = str(ROOT / "toolkit/views/common/payments.py")
DECISIONS = "Requests and decisions"


def open_page(url: str, username: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.ACTOR] = demo_actor(url, username)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def agenda_item(at: AppTest, item: str) -> AppTest:
    at.radio(key=state.RUN_MEETING_ITEM).set_value(item).run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def test_the_host_opens_the_next_funding_round_and_takes_the_register(
        demo_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", SPRING_1_DAY)  # the register is taken on the day
    at = open_page(demo_database, "host", RUN)
    engine = make_engine(demo_database)
    spring = spring_round(engine)
    assert at.selectbox(key=state.RUN_MEETING_CHOSEN).value == spring.id
    assert "Take attendance first" in page_text(at)
    click(at, "Mark every headteacher and SENCO present")
    for seat in ("Headteacher", "SENCO"):
        next(s for s in at.selectbox
             if s.label.startswith(f"Swannington St Margaret's CE: {seat}")).set_value("Apologies")
    click(at, "Save attendance")
    assert "Attendance saved. Quorate: 11 of 12 schools represented" in page_text(at)
    agenda_item(at, DECISIONS)
    assert not errors(at)
    assert "Priya Okafor chairs this item" in page_text(at)  # the host's own school's request
    engine.dispose()


def test_before_its_day_the_meeting_says_when_and_takes_no_register(demo_database: str) -> None:
    at = open_page(demo_database, "host", RUN)
    assert ("The meeting is on 20/01/2027: attendance, decisions, reviews and ratifications are "
            "recorded from that day.") in page_text(at)
    assert "Save attendance" not in [b.label for b in at.button]
    assert at.expander and "Open this meeting early" in at.expander[0].label
    agenda_item(at, DECISIONS)
    assert not errors(at)  # a state, not a mistake
    assert "Save decisions" not in [b.label for b in at.button]


def test_without_quorum_the_decisions_screen_says_so_and_offers_no_save(
        demo_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", SPRING_1_DAY)
    at = agenda_item(open_page(demo_database, "host", RUN), DECISIONS)
    # Said once, by the quorum line heading the page; not again by the item or its button.
    said = [str(e.value) for kind in (at.warning, at.error, at.info, at.caption) for e in kind
            if "Take attendance first" in str(e.value)]
    assert said == [str(at.warning[0].value)]
    assert not at.data_editor
    assert "Save decisions" not in [b.label for b in at.button]


def ready(url: str) -> int:
    engine = make_engine(url)
    spring = spring_round(engine)
    take_register(engine, actor(engine, "host"), spring.id)
    engine.dispose()
    return spring.id


def test_the_table_saves_every_row_at_once_and_a_changed_award_needs_a_reason(
        demo_database: str) -> None:
    meeting_id = ready(demo_database)
    at = agenda_item(open_page(demo_database, "host", RUN), DECISIONS)
    [editor] = at.data_editor
    table = editor.value
    assert len(table) == 7 and list(table.columns[:5]) == ["No.", "School", "Asked (£)",
                                                            "Suggested (£)", "Agreed (£)"]
    # A decision by consensus has no votes: the cells are empty, never a grey "None".
    votes = table[["For", "Against", "Abstaining"]]
    assert votes.notna().all().all() and set(votes.to_numpy().ravel()) == {""}
    at.session_state[editor.key] = {"edited_rows": {"6": {"Agreed (£)": 9000}},
                                    "added_rows": [], "deleted_rows": []}
    click(at, "Save decisions")
    assert any("reason" in e and "differs from the suggested" in e for e in errors(at))
    assert "Nothing was saved." in page_text(at)
    at.session_state[editor.key] = {"edited_rows": {"6": {
        "Agreed (£)": 9000, "Reason": "A smaller programme agreed with the school."}},
        "added_rows": [], "deleted_rows": []}
    click(at, "Save decisions")
    assert not errors(at)
    assert "Saved the decisions on request(s)" in page_text(at)
    engine = make_engine(demo_database)
    saved = meeting_decisions(engine, actor(engine, "host"), meeting_id)
    engine.dispose()
    assert len([r for r in saved.rows if r.award_id]) == 7
    assert sorted(r.agreed_pence for r in saved.rows if r.agreed_pence)[0] > 0
    assert any(r.agreed_pence == 900_000 for r in saved.rows)


def test_each_requests_details_are_drawn_only_when_the_host_opens_them(
        demo_database: str) -> None:
    meeting_id = ready(demo_database)
    at = agenda_item(open_page(demo_database, "host", RUN), DECISIONS)
    heading = "Each request: pupils, flags and why the suggestion is what it is"
    assert heading in [e.label for e in at.expander]
    assert "Stand aside:" not in page_text(at)
    at.session_state[f"{state.DECISION_DETAILS_OPEN}.{meeting_id}"] = True
    at.run()
    engine = make_engine(demo_database)
    rows = meeting_decisions(engine, actor(engine, "host"), meeting_id).rows
    engine.dispose()
    text = page_text(at)
    assert all(f"Request {row.request_id}: {row.title}" in text for row in rows)
    assert text.count("Stand aside:") == len(rows)


def test_a_stale_screen_in_another_session_cannot_overwrite_a_decision(
        demo_database: str) -> None:
    ready(demo_database)
    first = agenda_item(open_page(demo_database, "host", RUN), DECISIONS)
    second = agenda_item(open_page(demo_database, "host", RUN), DECISIONS)
    # The second session records one decision with the keyboard form.
    request_box = next(s for s in second.selectbox if s.label == "Request to decide")
    chosen = request_box.value
    next(n for n in second.number_input if n.label == "Agreed (£)").set_value(1500)
    next(t for t in second.text_area if t.label == "Reason").input(
        "The minimum viable amount for one term, agreed with the school.")
    click(second, "Save this decision")
    assert "Saved the decisions on request(s)" in page_text(second), errors(second)
    # The first session still shows what it drew: its Save is refused and says why.
    assert "Someone saved decisions after this screen was drawn" in page_text(first.run())
    click(first, "Save decisions")
    message = " ".join(errors(first))
    assert "Not saved: host changed this since your screen was drawn" in message
    assert f"request {chosen}:" in message and "→ £1,500" in message


def test_suggest_a_split_runs_locks_and_accepts(demo_database: str) -> None:
    ready(demo_database)
    at = open_page(demo_database, "host", SPLIT)
    assert "Wensum Valley Cluster" in page_text(at)
    assert f"{MONEY_FOR_ROUND.lower()} £51,713" in page_text(at)
    click(at, "Run the suggestion")
    text = page_text(at)
    assert "Suggested split of £51,713" in text and "Ran in" in text
    assert "The marginal value of the pot" in text
    assert "What if the pot were bigger or smaller?" in text
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    result = next(f.value for f in at.dataframe if "Locked" in f.value.columns)
    assert len(result) == 8
    assert "Why each figure" in page_text(at)
    # Each reason in full under the table, wrapped, never cut off in a narrow cell (issue 20).
    assert "Why" not in result.columns
    for number in result["No."]:
        assert f"Request {int(number)} (" in page_text(at), number
    request_id = int(result.iloc[0]["No."])
    next(n for n in at.number_input if n.label == "Lock at (£)").set_value(2000)
    next(s for s in at.selectbox if s.label == "Request to lock").set_value(request_id)
    click(at, "Lock this amount")
    locked = next(f.value for f in at.dataframe if "Locked" in f.value.columns)
    assert locked.iloc[0]["Locked"] == "£2,000" and locked.iloc[0]["Suggested"] == "£2,000"
    click(at, "Accept into the meeting's draft decisions")
    # Seven requests the host chairs start as drafts; the host's own school's waits for the deputy.
    assert "Suggestion accepted: 7 draft decision(s) started from it." in page_text(at)
    assert "Priya Okafor chairs this item" in page_text(at)


def test_papers_are_offered_by_role(demo_database: str) -> None:
    host = open_page(demo_database, "host", PAPERS)
    labels = [b.proto.label for b in host.get("download_button")]
    for label in ("Download the members' pack (PDF)", "Download the members' pack (Word)",
                  "Download the governors' pack (PDF)",
                  "Download the allocations workbook (Excel)"):
        assert label in labels, label
    # Spring 1 is not held yet: no minutes listing every school "Absent".
    assert "Download the minutes (PDF)" not in labels
    assert "Download the governors' minutes (Word)" not in labels
    assert "The minutes of the Spring 1 meeting exist once it is held, on 20/01/2027." in (
        page_text(host))
    assert "Decision letters are sent once the meeting has confirmed its decisions." in (
        page_text(host))
    governor = open_page(demo_database, "governor", PAPERS)
    labels = [b.proto.label for b in governor.get("download_button")]
    assert "Download the members' pack (PDF)" not in labels
    assert "Download the governors' pack (PDF)" in labels
    assert "governors' edition" in page_text(governor)
    school = open_page(demo_database, "senco.ap", PAPERS)
    assert "The members' papers go out on 13/01/2027." in page_text(school)


def test_the_host_sends_the_papers_out_and_the_page_shows_each_files_sha256(
        demo_database: str) -> None:
    host = open_page(demo_database, "host", PAPERS)
    text = page_text(host)
    assert "Draft: made from the record when you download it. It is issued at papers-out, " \
        "13/01/2027" in text
    assert "SHA-256" not in text
    click(host, "Send the papers out now")
    text = page_text(host)
    assert "The papers are out:" in text and "copies stored." in text
    assert "Version 1, issued at papers-out on 23/11/2026 by Sam Hardy." in text
    assert text.count("SHA-256") >= 4  # the members' and governors' packs, PDF and Word
    assert "Send the papers out now" not in [b.label for b in host.button]
    assert "Correct an issued paper (an amendment)" in [e.label for e in host.expander]
    governor = open_page(demo_database, "governor", PAPERS)
    assert "Version 1, issued at papers-out" in page_text(governor)


def test_urgent_decisions_take_two_people(demo_database: str) -> None:
    at = open_page(demo_database, "host", URGENT)
    assert "Emergency reserve this year **£5,517.50**" in page_text(at)
    box = next(s for s in at.selectbox if s.label == "Request")
    bintree = next(o for o in box.options if "Bintree Junior School" in o)
    request_id = int(bintree.split(":")[0].removeprefix("Request "))
    box.set_value(request_id)
    next(n for n in at.number_input if n.label == "Amount (£)").set_value(2500)
    next(t for t in at.text_area if t.label.startswith("Why it cannot wait")).input(
        "A newly arrived pupil with complex needs; the next round is too late.")
    click(at, "Propose it")
    assert "Proposed. The other host" in page_text(at), errors(at)
    deputy = open_page(demo_database, "deputy", URGENT)
    label = next(b.label for b in deputy.button if b.label.startswith("Agree urgent decision"))
    click(deputy, label)
    assert f"Agreed: request {request_id} is funded from the reserve" in page_text(deputy), \
        errors(deputy)


def test_a_school_sees_its_own_payment_schedule(demo_database: str) -> None:
    at = open_page(demo_database, "senco.bi", PAYMENTS)
    table = next(f.value for f in at.dataframe if "Instalment" in f.value.columns)
    assert set(table["School"]) == {"Bintree Infant School"}


def test_every_agenda_item_opens_and_the_minutes_can_be_drafted_and_saved(
        demo_database: str) -> None:
    ready(demo_database)
    at = open_page(demo_database, "host", RUN)
    for item in ("Minutes of the last meeting", "Budget position", "Reviews due",
                 "Urgent decisions", "Actions", "Minutes of this meeting"):
        agenda_item(at, item)
        assert not errors(at), (item, errors(at))
    assert "Draft: to be approved at the Spring 2 meeting on 03/03/2027." in page_text(at)
    click(at, "Draft the minutes again from the record")
    assert "Minutes redrafted." in page_text(at)
    minutes = next(t for t in at.text_area if t.label.startswith("Minutes"))
    assert "## 1. Attendance and apologies" in minutes.value
    minutes.input(minutes.value + "\n## 9. Any other business\n\nNone.\n")
    click(at, "Save the minutes")
    assert "Minutes saved." in page_text(at)
    agenda_item(at, "Minutes of the last meeting")
    click(at, "Approve the Autumn 2 funding round minutes as a true record")
    assert "The Autumn 2 funding round minutes are approved and locked." in page_text(at)


def test_the_instalments_table_leaves_out_why_stopped_when_nothing_was_stopped(
        demo_database: str) -> None:
    at = open_page(demo_database, "host", PAYMENTS)
    table = next(f.value for f in at.dataframe if "Instalment" in f.value.columns)
    assert "Why stopped" not in table.columns
    assert {"School", "Request", "Title", "Due", "Amount", "State"} <= set(table.columns)


def test_the_instalments_table_says_why_when_a_review_stopped_some(demo_database: str) -> None:
    at = open_page(demo_database, "host", PAYMENTS)
    at.selectbox(key=state.PAYMENTS_YEAR).select(0).run()
    table = next(f.value for f in at.dataframe if "Instalment" in f.value.columns)
    stopped = table[table["State"] == "stopped"]
    assert len(stopped) > 0
    assert all(reason for reason in stopped["Why stopped"])
