"""The headteacher's send-back form, round-tripped: the head opens a request waiting for sign-off,
writes a note, sends it back; the stored request is a draft again and the SENCO reads the note."""

from __future__ import annotations

from tests.helpers.forms import round_trip
from tests.toolkit.test_views import page_text
from tests.toolkit.views.test_head_sign_off import _open, _status, _waiting


@round_trip("send_back")
def test_the_head_sends_it_back_with_a_note(demo_database: str) -> None:
    engine, request_id = _waiting(demo_database)
    head = _open(demo_database, "head.ap", request_id)
    head.text_area[0].input("Add the therapist's costs.")
    next(b for b in head.button if b.label == "Send back to the SENCO").click().run()
    assert not head.exception
    assert _status(engine, request_id)[0] == "draft"
    senco = _open(demo_database, "senco.ap", request_id)
    assert "Sent back by the headteacher: Add the therapist's costs." in page_text(senco)
    engine.dispose()
