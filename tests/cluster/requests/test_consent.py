"""Consent to sharing decides what another school reads of a request on an agenda: without it,
only the kind, amount, area of need and need score; the host and the request's own school read it
in full. The demo's Autumn 2 meeting (11/11/2026, minutes not yet approved) carries requests 82–90,
whose pupils have no consent recorded; Spring 1's submitted requests (91–98) have it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.permissions import Actor
from cluster.models import (
    CostLine,
    Meeting,
    RequestKind,
    RequestOutcome,
    RequestPupil,
    Role,
    StatusChange,
    SupportRequest,
)
from cluster.requests.forms import PupilInput
from cluster.requests.reading import (
    agenda_requests,
    check_request,
    get_request,
    requests_for_meeting,
)
from cluster.requests.rules import Prerequisite
from cluster.requests.visibility import (
    CONSENT_NOT_RECORDED,
    consent_recorded,
    readable_parts,
)
from cluster.requests.year_setup import save_request_rules, year_settings
from tests.cluster.requests.conftest import complete_form
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings

AUTUMN_2_WITHOUT_CONSENT = [82, 83, 84, 85, 87, 88, 89, 90]
PROJECT_WITHOUT_PUPILS = 86  # Autumn 2's project buys capacity and lists no pupil
WENSUM_VALLEY_HIGH = 82  # Wensum Valley High School's (senco.hs); none is Aylsham Road's
OTHER_SCHOOL = "senco.ap"
SPRING_1_PAPERS_OUT = "2027-01-13"


def stored_texts(engine: Engine, request_id: int) -> list[str]:
    """Every piece of text the school wrote about the request and its pupils, as stored."""
    with Session(engine) as session:
        request = session.get_one(SupportRequest, request_id)
        texts = [request.title, request.need_summary, request.graduated_approach,
                 request.external_advice, request.parent_view, request.pupil_view,
                 *request.flags, *request.missing_items]
        for pupil in session.exec(select(RequestPupil).where(
                RequestPupil.request_id == request_id)).all():
            texts += [pupil.reference, pupil.year_group, pupil.profile]
        for outcome in session.exec(select(RequestOutcome).where(
                RequestOutcome.request_id == request_id)).all():
            texts += [outcome.description, outcome.measure, outcome.baseline, outcome.target]
        texts += [line.item_description or "" for line in session.exec(select(CostLine).where(
            CostLine.request_id == request_id)).all()]
        texts += [change.note for change in session.exec(select(StatusChange).where(
            StatusChange.request_id == request_id)).all()]
    # Very short values ("4", "72%") would match figures anywhere; the words are what matter.
    return [text for text in texts if len(text.strip()) >= 5]


def without_consent_on_autumn_2(engine: Engine) -> list[int]:
    with Session(engine) as session:
        meeting = session.exec(wensum_meetings().where(Meeting.half_term == "Autumn 2",
                                                     Meeting.academic_year == 2026)).one()
        refused = session.exec(select(RequestPupil.request_id).join(
            SupportRequest, col(SupportRequest.id) == RequestPupil.request_id).where(
            SupportRequest.meeting_id == meeting.id,
            col(RequestPupil.consent_given).is_(False))).all()
    return sorted(set(refused))


def test_the_demo_has_autumn_2_requests_without_consent(demo_copy: Engine) -> None:
    assert without_consent_on_autumn_2(demo_copy) == AUTUMN_2_WITHOUT_CONSENT


@pytest.mark.parametrize("request_id", AUTUMN_2_WITHOUT_CONSENT)
def test_another_school_reads_only_kind_amount_area_and_score(demo_copy: Engine,
                                                              request_id: int) -> None:
    detail = get_request(demo_copy, actor(demo_copy, OTHER_SCHOOL), request_id)
    with Session(demo_copy) as session:
        stored = session.get_one(SupportRequest, request_id)
    assert (detail.kind, detail.amount_pence, detail.main_area, detail.need_score) == \
        (stored.kind, stored.amount_pence, stored.main_area, stored.need_score)
    assert detail.withheld == CONSENT_NOT_RECORDED
    assert detail.pupils == () and detail.outcomes == () and detail.lines == ()
    assert detail.score is None and detail.flags == () and detail.form is None
    everything = repr(detail)
    texts = stored_texts(demo_copy, request_id)
    assert texts, "the demo request has text to protect"
    for text in texts:
        assert text not in everything, text


def test_the_agenda_list_shows_no_title_or_flag_of_a_request_without_consent(
        demo_copy: Engine) -> None:
    rows = {row.id: row for row in agenda_requests(demo_copy, actor(demo_copy, OTHER_SCHOOL))}
    assert set(AUTUMN_2_WITHOUT_CONSENT) <= set(rows)
    for request_id in AUTUMN_2_WITHOUT_CONSENT:
        row = rows[request_id]
        assert row.withheld == CONSENT_NOT_RECORDED and row.flags == () and row.pupils == 0
        for text in stored_texts(demo_copy, request_id):
            assert text not in repr(row), text
    assert not rows[PROJECT_WITHOUT_PUPILS].withheld


@pytest.mark.parametrize("username", ["host", "senco.hs", "head.hs"])
def test_the_host_and_the_own_school_read_it_in_full(demo_copy: Engine, username: str) -> None:
    detail = get_request(demo_copy, actor(demo_copy, username), WENSUM_VALLEY_HIGH)
    with Session(demo_copy) as session:
        stored = session.get_one(SupportRequest, WENSUM_VALLEY_HIGH)
    assert detail.withheld == ""
    assert (detail.title, detail.need_summary) == (stored.title, stored.need_summary)
    assert detail.pupils[0].reference == "WV-WV-009" and detail.outcomes


def test_the_host_list_keeps_titles_and_flags(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    with Session(demo_copy) as session:
        meeting_id = session.get_one(SupportRequest, WENSUM_VALLEY_HIGH).meeting_id
    rows = requests_for_meeting(demo_copy, host, meeting_id).rows
    assert not any(row.withheld for row in rows)
    assert "Specialist literacy intervention" in [row.title for row in rows]


def test_with_consent_another_school_reads_what_it_read_before(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", SPRING_1_PAPERS_OUT)
    reader = actor(demo_copy, OTHER_SCHOOL)
    with Session(demo_copy) as session:
        consented = session.exec(select(SupportRequest).where(
            SupportRequest.id == 91, SupportRequest.school_id != reader.school_id)).one()
    detail = get_request(demo_copy, reader, 91)
    assert detail.withheld == "" and not detail.own
    assert (detail.title, detail.need_summary) == (consented.title, consented.need_summary)
    assert detail.pupils and all(p.consent_given for p in detail.pupils)
    assert detail.outcomes and detail.score is not None
    # ...while Autumn 2's requests without consent stay withheld in the same window.
    assert get_request(demo_copy, reader, WENSUM_VALLEY_HIGH).withheld == CONSENT_NOT_RECORDED


def test_one_pupil_without_consent_withholds_a_group_request() -> None:
    assert consent_recorded(RequestKind.GROUP, True, [True, True])
    assert not consent_recorded(RequestKind.GROUP, True, [True, False])
    assert not consent_recorded(RequestKind.INDIVIDUAL, False, [True])  # the request says no
    assert not consent_recorded(RequestKind.INDIVIDUAL, True, [])  # no pupil, nothing consented
    assert consent_recorded(RequestKind.PROJECT, False, [])  # a project names no pupil


def test_only_the_host_and_the_requests_own_schools_skip_the_consent_rule() -> None:
    def who(role: Role, school_id: int | None) -> Actor:
        return Actor(user_id=1, username="x", display_name="x", role=role, cluster_id=1,
                     school_id=school_id)

    def parts(reader: Actor) -> bool:
        return readable_parts(reader, school_id=5, partner_school_ids=[6],
                              kind=RequestKind.INDIVIDUAL, consent_given=False,
                              pupil_consents=[False]).pupil_detail

    assert parts(who(Role.HOST, None))
    assert parts(who(Role.SCHOOL, 5)) and parts(who(Role.SCHOOL, 6))  # own school, partner
    assert not parts(who(Role.SCHOOL, 7))
    assert not parts(who(Role.GOVERNOR, 7)) and not parts(who(Role.LA_ADVISER, None))


def test_a_group_request_without_consent_goes_forward_when_the_cluster_allows_it(
        demo_copy: Engine) -> None:
    """Consent follows the cluster's setting for a group as for one pupil."""
    head, host = actor(demo_copy, "head.ap"), actor(demo_copy, "host")
    form = complete_form(demo_copy, kind=RequestKind.GROUP, title="Reading group", pupils=(
        PupilInput("AP-901", "Year 4", "sen_support", "SpLD", profile="Slow decoding.",
                   consent_given=True),
        PupilInput("AP-902", "Year 4", "sen_support", "SpLD", profile="Weak phonics recall.",
                   consent_given=False)))

    def consent_errors() -> list[str]:
        return [f.text for f in check_request(demo_copy, head, form).errors
                if "consent" in f.text.lower()]

    assert consent_errors() == ["Cluster prerequisite: Parent/carer consent for every pupil on "
                                "the request: consent is not recorded for every pupil"]
    settings = year_settings(demo_copy, host, 2026)
    save_request_rules(demo_copy, host, 2026,
                       replace(settings.rules, prerequisites=(Prerequisite.REVIEW_CYCLES,)),
                       expected_version=settings.rules_version)
    assert consent_errors() == []
