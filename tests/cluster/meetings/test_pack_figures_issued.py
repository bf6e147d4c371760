"""The disclosure audit checks the governors' packs its readers hold: each version as it was
issued, not the pack as it would read now (the split re-run after papers-out, an award changed
afterwards), and the live pack only for a meeting with nothing issued."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.disclosure.figures import FigureSet
from cluster.funding.finance_figures import finance_name
from cluster.meetings.context import meetings_of
from cluster.meetings.decisions import accept_split
from cluster.meetings.issue import amend_papers, papers_are_out, send_papers_out
from cluster.meetings.pack_figures import (
    issued_pack_figures,
    meeting_pack_figures,
    pack_figures,
    pack_name,
    round_ids,
)
from cluster.meetings.split import SplitSettings, meeting_suggestion
from cluster.models import Award, IssuedPaper, Meeting, PaperKind, SplitSuggestion
from cluster.papers.record import store
from cluster.reporting.disclosure_audit import audit_reader
from tests.cluster.meeting_helpers import spring_round
from tests.helpers.actors import actor
from tests.helpers.demo_la import WENSUM_VALLEY_ID
from tests.helpers.random_clusters import audit_random_year

SUGGESTED = "suggested/all/money"


def _live(engine: Engine, meeting_id: int) -> dict[str, int]:
    """The pack's tables as they would read now, by name."""
    with Session(engine) as session:
        meeting = session.get_one(Meeting, meeting_id)
        figures = meeting_pack_figures(session, meeting, FigureSet(), [])
    return {name: f.value for name, f in figures.figures.items()}


def _re_run_the_split(engine: Engine, meeting_id: int) -> None:
    """The host locks one suggested request at £0 and accepts the split again."""
    with Session(engine) as session:
        meeting = session.get_one(Meeting, meeting_id)
        funded = [r for r, line in meeting_suggestion(session, meeting).items()
                  if line.suggested_pounds]
        row = session.exec(select(SplitSuggestion).where(
            SplitSuggestion.meeting_id == meeting_id)).first()
        version = 0 if row is None else row.version
    accept_split(engine, actor(engine, "host"), meeting_id, SplitSettings(locks={funded[0]: 0}),
                 expected_version=version)


def test_the_audit_checks_the_pack_as_issued_not_as_it_reads_now(demo_copy: Engine) -> None:
    spring = spring_round(demo_copy)
    send_papers_out(demo_copy, actor(demo_copy, "host"), spring.id)
    issued = _live(demo_copy, spring.id)
    _re_run_the_split(demo_copy, spring.id)
    now = _live(demo_copy, spring.id)
    name = pack_name(spring.id, SUGGESTED)
    assert now[name] != issued[name]
    governor = actor(demo_copy, "governor")
    figures = pack_figures(demo_copy, governor)
    assert figures.figures[name].value == issued[name]
    assert not [n for n in figures.figures if n.startswith(pack_name(spring.id)) and "@" in n]
    assert figures.holds()
    assert audit_reader(demo_copy, governor).failures == ()


def test_each_version_stores_its_figures_on_every_format(demo_copy: Engine) -> None:
    spring = spring_round(demo_copy)
    send_papers_out(demo_copy, actor(demo_copy, "host"), spring.id)
    with Session(demo_copy) as session:
        rows = session.exec(select(IssuedPaper).where(IssuedPaper.meeting_id == spring.id)).all()
    packs = [r for r in rows if r.kind == PaperKind.GOVERNORS_PACK]
    assert {r.file_format for r in packs} == {"pdf", "docx"}
    assert packs[0].figures is not None and packs[0].figures == packs[1].figures
    stored = FigureSet.from_stored(packs[0].figures)
    assert stored.figures[pack_name(spring.id, SUGGESTED)].value == _live(
        demo_copy, spring.id)[pack_name(spring.id, SUGGESTED)]
    assert pack_name(spring.id, "money for this round") in stored.figures
    assert all(r.figures is None for r in rows if r.kind != PaperKind.GOVERNORS_PACK)


def test_an_amended_pack_showing_another_value_is_another_figure(demo_copy: Engine) -> None:
    spring, host = spring_round(demo_copy), actor(demo_copy, "host")
    send_papers_out(demo_copy, host, spring.id)
    first = _live(demo_copy, spring.id)
    _re_run_the_split(demo_copy, spring.id)
    second = _live(demo_copy, spring.id)
    assert amend_papers(demo_copy, host, spring.id, PaperKind.GOVERNORS_PACK,
                        "The split was re-run after papers went out.") == 2
    governor = actor(demo_copy, "governor")
    figures = pack_figures(demo_copy, governor)
    name = pack_name(spring.id, SUGGESTED)
    assert figures.figures[name].value == first[name]
    assert figures.figures[f"{name}@v2"].value == second[name]
    asked = pack_name(spring.id, "all/money")  # the same in both versions: one figure
    assert first[asked] == second[asked] and f"{asked}@v2" not in figures.figures
    assert figures.holds()
    assert audit_reader(demo_copy, governor).failures == ()


def test_a_pack_whose_finance_figure_changed_since_keeps_what_it_showed(
        demo_copy: Engine) -> None:
    """Spring 1's pack went out; then an Autumn 2 award was changed, so Finance's awarded so far
    after Autumn 2 (the pack's awarded before) reads another value now: two figures."""
    spring = spring_round(demo_copy)
    send_papers_out(demo_copy, actor(demo_copy, "host"), spring.id)
    with Session(demo_copy) as session:
        meeting = session.get_one(Meeting, spring.id)
        rounds = round_ids(session, meeting.cluster_id, meeting.academic_year)
        earlier = rounds[rounds.index(spring.id) - 1]
        award = session.exec(select(Award).where(Award.meeting_id == earlier,
                                                 Award.amount_pence > 0)).first()
        assert award is not None
        award.amount_pence += 10_000
        session.add(award)
        session.commit()
    governor = actor(demo_copy, "governor")
    figures = pack_figures(demo_copy, governor)
    before = finance_name(spring.academic_year, "budget", earlier, "awarded so far")
    assert figures.figures[f"{before}@v1"].value != figures.figures[before].value
    assert figures.holds()
    assert audit_reader(demo_copy, governor).failures == ()


def test_a_meeting_with_nothing_issued_is_audited_as_its_pack_reads_now(
        demo_copy: Engine) -> None:
    spring = spring_round(demo_copy)
    _re_run_the_split(demo_copy, spring.id)
    now = _live(demo_copy, spring.id)
    governor = actor(demo_copy, "governor")
    figures = pack_figures(demo_copy, governor)
    with Session(demo_copy) as session:
        assert session.exec(select(IssuedPaper).where(
            IssuedPaper.meeting_id == spring.id,
            IssuedPaper.kind == PaperKind.GOVERNORS_PACK)).first() is None
        every = [m.id or 0 for m in meetings_of(session, spring.cluster_id)]
    name = pack_name(spring.id, SUGGESTED)
    assert figures.figures[name].value == now[name]
    assert all(pack_name(m, "all/money") in figures.figures for m in every)


def issue_governors_packs_now(engine: Engine) -> int:
    """Stores the governors' pack of every meeting past papers-out, as issued now (the file's
    bytes do not matter here, only the figures stored with it); returns how many."""
    with Session(engine) as session:
        due = [m for m in meetings_of(session, WENSUM_VALLEY_ID) if papers_are_out(m)]
        for meeting in due:
            store(session, cluster_id=meeting.cluster_id, meeting_id=meeting.id or 0,
                  kind=PaperKind.GOVERNORS_PACK, edition="", files={"pdf": ("p.pdf", b"%PDF")},
                  occasion="papers_out", issued_by="test",
                  figures=issued_pack_figures(session, meeting))
        session.commit()
    return len(due)


@pytest.mark.parametrize("seed", range(3))
def test_packs_issued_before_a_random_year_s_awards_give_nothing_away(demo_copy: Engine,
                                                                     seed: int) -> None:
    """The year's packs so far went out; then the rest of the year's awards were made at random:
    what the packs showed stays as issued, beside Finance's figures as they read now."""
    assert issue_governors_packs_now(demo_copy) > 0
    for check in audit_random_year(demo_copy, seed):
        assert check.result.failures == (), (seed, check.reader, check.result.failures)


def test_a_pack_issued_before_versions_stored_figures_is_audited_as_it_reads_now(
        demo_copy: Engine) -> None:
    """A version from before this record carries no figures: the pack as it reads now stands in
    for it (the best the audit has), beside any version that did store them."""
    spring = spring_round(demo_copy)
    with Session(demo_copy) as session:
        store(session, cluster_id=spring.cluster_id, meeting_id=spring.id,
              kind=PaperKind.GOVERNORS_PACK, edition="", files={"pdf": ("p.pdf", b"%PDF")},
              occasion="papers_out", issued_by="test")
        session.commit()
    _re_run_the_split(demo_copy, spring.id)
    name = pack_name(spring.id, SUGGESTED)
    assert pack_figures(demo_copy, actor(demo_copy, "governor")).figures[name].value == _live(
        demo_copy, spring.id)[name]
