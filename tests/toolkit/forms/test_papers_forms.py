"""Round trip of the papers page's one form: the host's amendment of an issued paper. The new
version is stored with the reason as typed, the first is kept, and the page lists both."""

from __future__ import annotations

from cluster.core.db import make_engine
from cluster.meetings.issue import paper_status, send_papers_out
from cluster.models import PaperKind
from tests.cluster.meeting_helpers import spring_round
from tests.helpers.actors import demo_actor
from tests.helpers.forms import round_trip, texts
from tests.toolkit.test_views import page_text
from tests.toolkit.views.test_meeting_views import PAPERS, click, open_page

REASON = "The agenda's item 4 named the wrong meeting; corrected."


@round_trip("papers.amend")
def test_an_amendment_is_stored_with_its_reason_and_both_versions_are_listed(
        demo_database: str) -> None:
    engine = make_engine(demo_database)
    host = demo_actor(demo_database, "host")
    try:
        meeting_id = spring_round(engine).id
        assert meeting_id is not None
        send_papers_out(engine, host, meeting_id)
        at = open_page(demo_database, "host", PAPERS)
        box = next(t for t in at.text_area if t.label == "Why it is amended")
        assert box.value == ""  # an amendment starts empty: nothing is stored until it is issued
        box.input(REASON)
        next(s for s in at.selectbox if s.label == "Paper").set_value(PaperKind.GOVERNORS_PACK)
        click(at, "Issue the amendment")
        assert "Version 2 issued; the earlier versions are kept and listed." in texts(at)
        status = paper_status(engine, host, meeting_id, PaperKind.GOVERNORS_PACK)
        assert [(v.version, v.reason) for v in status.versions if v.file_format == "pdf"] == \
            [(2, REASON), (1, "")]
        assert paper_status(engine, host, meeting_id,
                            PaperKind.MEMBERS_PACK).versions[0].version == 1
        assert "Every version (2)" in [e.label for e in at.expander]
        assert REASON in page_text(at)
    finally:
        engine.dispose()
