"""The request page in AppTest, for a request without consent to sharing (the demo's 82–90 on
Autumn 2's agenda): another school's SENCO sees its kind, amount, area of need and need score and
why nothing more; the host and Wensum Valley High (its school) see it all; with consent another
school sees it all as before."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from cluster.core.db import make_engine
from cluster.models import SupportRequest
from cluster.requests.need_score import score_text
from cluster.requests.visibility import CONSENT_NOT_RECORDED
from tests.cluster.requests.test_consent import (
    AUTUMN_2_WITHOUT_CONSENT,
    OTHER_SCHOOL,
    SPRING_1_PAPERS_OUT,
    WENSUM_VALLEY_HIGH,
    stored_texts,
)
from tests.helpers.forms import open_view
from tests.toolkit.conftest import APP
from tests.toolkit.test_views import page_text
from tests.toolkit.views.test_requests import ONE, OURS


def stored(url: str, request_id: int) -> tuple[SupportRequest, list[str]]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            request = session.get_one(SupportRequest, request_id)
            session.expunge(request)
        return request, stored_texts(engine, request_id)
    finally:
        engine.dispose()


@pytest.mark.parametrize("request_id", [WENSUM_VALLEY_HIGH, 84])  # one pupil; a group of seven
def test_another_school_sees_only_kind_amount_area_and_score(demo_database: str,
                                                             request_id: int) -> None:
    request, texts = stored(demo_database, request_id)
    at = open_view(APP, demo_database, OTHER_SCHOOL, ONE, request=str(request_id))
    shown = page_text(at)
    assert CONSENT_NOT_RECORDED in [info.value for info in at.info]
    assert request.main_area in shown and f"Need score {score_text(request.need_score)}" in shown
    assert "Amount asked £" in shown
    for text in texts:
        assert text[:30] not in shown, text  # tables cut long text: its start is enough
    assert "Pupils (pseudonymous references)" not in shown and "Outcomes sought" not in shown


@pytest.mark.parametrize("username", ["host", "senco.hs"])
def test_the_host_and_the_own_school_see_it_all(demo_database: str, username: str) -> None:
    request, _ = stored(demo_database, WENSUM_VALLEY_HIGH)
    at = open_view(APP, demo_database, username, ONE, request=str(WENSUM_VALLEY_HIGH))
    shown = page_text(at)
    assert CONSENT_NOT_RECORDED not in shown
    assert request.need_summary in shown and request.title in at.title[0].value
    assert "WV-WV-009" in shown and "Outcomes sought" in shown


def test_with_consent_another_school_sees_it_all(demo_database: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", SPRING_1_PAPERS_OUT)
    request, _ = stored(demo_database, 91)  # Wensum Valley High's, consent recorded
    at = open_view(APP, demo_database, OTHER_SCHOOL, ONE, request="91")
    shown = page_text(at)
    assert CONSENT_NOT_RECORDED not in shown
    assert request.need_summary in shown and request.title in at.title[0].value


def test_the_lists_name_no_title_of_a_request_without_consent(demo_database: str) -> None:
    at = open_view(APP, demo_database, OTHER_SCHOOL, OURS)
    labels = [str(link.proto.label) for link in at.get("page_link")]
    for request_id in AUTUMN_2_WITHOUT_CONSENT:
        label = next(x for x in labels if x.startswith(f"Request {request_id}:"))
        assert "pupil details withheld" in label
        request, _ = stored(demo_database, request_id)
        assert request.title not in label
