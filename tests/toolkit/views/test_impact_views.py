"""The impact dashboard for each role, the reviews screens (a school drafts, the host confirms),
the parents' extract and the LA's clusters-and-need page, through Streamlit's AppTest."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from cluster.models import Award, Review, ReviewRecommendation, School, SupportRequest, User
from tests.cluster.meeting_helpers import on_meeting_day
from tests.helpers.forms import open_view
from tests.toolkit.conftest import APP
from tests.toolkit.test_views import page_text
from toolkit import state

IMPACT = "toolkit/views/governor/impact.py"
HOST_REVIEWS = "toolkit/views/host/reviews.py"
SCHOOL_REVIEWS = "toolkit/views/school/reviews.py"
SEN_REPORT = "toolkit/views/school/sen_report.py"
LA_CLUSTERS = "toolkit/views/la/clusters.py"
REFERENCE = re.compile(r"\bWV-[A-Z]+-\d{3}\b")


def charts(at: AppTest) -> int:
    return len(at.get("vega_lite_chart"))


def downloads(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


@pytest.mark.parametrize(("username", "scope"), [
    ("host", "The whole cluster"), ("senco.ap", "Aylsham Road Primary School"),
    ("governor", "The whole cluster"), ("governor.ap", "Aylsham Road Primary School"),
    ("la.adviser", "The whole cluster")])
def test_the_impact_dashboard_for_each_role(demo_database: str, username: str,
                                            scope: str) -> None:
    at = open_view(APP, demo_database, username, IMPACT)
    text = page_text(at)
    assert "Impact and outcomes" in text and "In a minute" in text
    assert f"Wensum Valley Cluster · {scope}" in text
    assert charts(at) >= 3
    assert {"Download the impact report (PDF)", "Download the impact report (Word)"} <= set(
        downloads(at))
    assert "fewer than 5" in text
    assert not REFERENCE.search(text)


def test_a_governor_chooses_a_school_and_a_year(demo_database: str) -> None:
    engine = make_engine(demo_database)
    with Session(engine) as session:
        great = session.exec(select(School.id).where(
            School.name == "Great Witchingham Primary")).one()
    engine.dispose()
    at = open_view(APP, demo_database, "governor", IMPACT)
    at.selectbox(key=state.IMPACT_YEAR).set_value(2025).run()
    at.selectbox(key=state.IMPACT_SCOPE).set_value(great).run()
    assert not at.exception
    text = page_text(at)
    assert "Wensum Valley Cluster · Great Witchingham Primary · 2025/26" in text
    figures = {m.label: m.value for m in at.metric}
    assert figures["Awarded in 2025/26"] == "£2,762"
    assert "Trends across years (our school)" in text


def test_a_school_drafts_a_review_and_the_host_confirms_it(demo_database: str) -> None:
    engine = make_engine(demo_database)
    with Session(engine) as session:
        host_school = session.exec(select(User.school_id).where(User.username == "host")).one()
        review = session.exec(  # a school whose reviews the host chairs (not the host's own)
            select(Review).join(Award, col(Award.id) == Review.award_id)
            .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
            .where(Review.status == "due", SupportRequest.school_id != host_school)
            .order_by(col(Review.due_on).desc(), col(Review.id))).first()
        award = session.get(Award, review.award_id)
        request = session.get(SupportRequest, award.request_id)
        senco = session.exec(select(User).where(User.school_id == request.school_id,
                                                User.title == "SENCO")).one()
        review_id, amount, booked_at = review.id, award.amount_pence, review.meeting_id
    assert booked_at is not None
    at = open_view(APP, demo_database, senco.username, SCHOOL_REVIEWS)
    at.selectbox(key=state.REVIEW_CHOSEN).set_value(review_id).run()
    at.radio[0].set_value("some")
    next(t for t in at.text_input if t.label.startswith("The measure now")).input("6 of 10")
    next(n for n in at.number_input if n.label.startswith("Spend to date")).set_value(300.0)
    next(s for s in at.selectbox if s.label == "Recommendation").set_value("continue")
    next(b for b in at.button if b.label == "Save the draft for the meeting").click().run()
    assert not at.exception
    assert any("Draft saved" in s.value for s in at.success), page_text(at)

    on_meeting_day(engine, booked_at)  # the school drafts before; the meeting confirms on its day
    at = open_view(APP, demo_database, "host", HOST_REVIEWS)
    at.selectbox(key=state.REVIEW_CHOSEN).set_value(review_id).run()
    next(s for s in at.selectbox if s.label == "Recommendation").set_value("stop")
    next(t for t in at.text_area if t.label.startswith("Notes")).input(
        "Little progress: the school will try a different approach.")
    next(b for b in at.button if b.label == "Confirm at the meeting").click().run()
    assert not at.exception
    returned = f"£{(amount - 30_000) // 100:,}"
    assert any(f"{returned} goes back to the cluster" in s.value for s in at.success), \
        page_text(at)
    with Session(engine) as session:
        assert session.get(Review, review_id).status == "confirmed"
        assert session.get(Award, award.id).end_reason == "stopped"
    engine.dispose()


def test_the_host_sees_the_next_agenda_with_overdue_reviews_carried_forward(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", HOST_REVIEWS)
    text = page_text(at)
    figures = {m.label: m.value for m in at.metric}
    assert int(figures["Reviews overdue"]) > 0
    assert "Spring 1 2026/27 meeting (20/01/2027)" in text
    assert f"{figures['Reviews overdue']} overdue review(s) carried forward" in text
    assert any("carried forward" in c.value for c in at.code)
    agenda = at.dataframe[0].value
    # What the host decides by comes before the meeting's long name, and in words, not codes.
    assert list(agenda.columns) == ["School", "Request", "Due", "Status", "Awarded",
                                    "Recommendation", "Meeting"]
    drafted = set(agenda["Recommendation"]) - {""}
    assert drafted and drafted <= set(ReviewRecommendation.labels().values()), drafted
    earlier = [c.value for c in at.caption if c.value.startswith("Earlier review")]
    assert earlier and all(
        any(f"recommendation: {words}." in c for words in ReviewRecommendation.labels().values())
        for c in earlier), earlier


def test_the_sen_information_report_extract_can_be_copied(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.cp", SEN_REPORT)
    text = page_text(at)
    assert "Costessey Park Primary School is one of the 12 schools" in text
    blocks = [c.value for c in at.code]
    assert any(block.startswith("## Support from the Wensum Valley Cluster") for block in blocks)
    assert any(block.startswith("Support from the Wensum Valley Cluster") for block in blocks)
    assert {"Download (Markdown)", "Download (plain text)"} <= set(downloads(at))
    assert not REFERENCE.search(text)


def test_the_la_adviser_compares_clusters_and_tries_a_need_element(demo_database: str) -> None:
    at = open_view(APP, demo_database, "la.adviser", LA_CLUSTERS)
    text = page_text(at)
    assert "Wensum Valley Cluster" in text and "20/01/2027" in text
    assert "Does the formula follow need?" in text
    assert "The total is unchanged; money follows need." in text
    assert charts(at) >= 3
    at.number_input(key=state.NEED_SUPPORT_RATE).set_value(80).run()
    assert not at.exception
    assert "**£80 per SEN-support pupil**" in page_text(at)
    at.number_input(key=state.NEED_SUPPORT_RATE).set_value(100_000).run()
    assert any("lower the rates" in e.value for e in at.error)
