"""Round trip of opening a meeting early: the host gives a reason, the meeting opens and says so
on the meeting screen (and in the minutes' draft); the stored reason is what was typed."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from cluster.core.db import make_engine
from cluster.models import Meeting
from tests.cluster.meeting_helpers import spring_round
from tests.helpers.forms import round_trip, texts
from tests.toolkit.test_views import page_text
from tests.toolkit.views.test_meeting_views import RUN, click, open_page

REASON = "Moved forward a week for the snow closure."


@round_trip("meeting.open-early")
def test_the_host_opens_the_meeting_early_with_a_reason(demo_database: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", "2027-01-15")
    at = open_page(demo_database, "host", RUN)
    assert "Save attendance" not in [b.label for b in at.button]
    next(t for t in at.text_input if t.label.startswith("Why it opens early")).input("early")
    click(at, "Open the meeting now")
    assert "Not saved: Reason: say why the meeting opens early" in texts(at, "error")
    next(t for t in at.text_input if t.label.startswith("Why it opens early")).input(REASON)
    click(at, "Open the meeting now")
    note = f"Opened early on 15/01/2027 (the meeting was dated 20/01/2027): {REASON}"
    assert note in page_text(at)
    assert "Save attendance" in [b.label for b in at.button]
    engine = make_engine(demo_database)
    with Session(engine) as session:
        stored = session.get(Meeting, spring_round(engine).id)
        assert stored is not None
        assert (stored.opened_early_reason, str(stored.opened_early_on)) == (REASON, "2027-01-15")
    engine.dispose()
