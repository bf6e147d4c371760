"""Governors' figures: aggregates only, small groups hidden with secondary suppression (so nothing
hidden can be worked out by subtraction, across the cluster's and every school's views), figures
of 5 or more still shown; and the parents' SEN information report extract."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

import pytest
from sqlalchemy.engine import Engine

from cluster.common.needs import AREA_CHOICES
from cluster.common.provision import ONE_TO_ONE, SMALL_GROUP
from cluster.core.errors import NotAllowed
from cluster.disclosure.audit import audit
from cluster.disclosure.suppression import NOT_PUBLISHED, SuppressedTable
from cluster.outcomes.dashboard import (
    ClusterFigures,
    Dashboard,
    cluster_figures,
    money_audit_figures,
)
from cluster.outcomes.impact import AwardFact
from cluster.reporting.impact_report import (
    impact_dashboard,
    impact_report_figures,
    sen_information_extract,
)
from tests.helpers.actors import actor

REFERENCE = re.compile(r"\bWV-[A-Z]+-\d{3}\b|\b[A-Z]{2}-\d{3}\b")
PUPIL_TEXT = ("Says the sessions help", "Family report more confidence", "different approach",
              "Daily, short, consistent sessions")
C_AND_I, C_AND_L, SEMH = (str(a) for a in AREA_CHOICES[:3])


# --- an independent check: can a hidden figure be worked out from what is shown? ----------------


def determined(published: SuppressedTable) -> list[str]:
    """Hidden figures pinned down by the published cells, row, column and grand totals (exact
    rational elimination; a hidden figure is determined when its unit vector lies in the row space
    of the equations restricted to the hidden figures)."""
    height, width = len(published.cells), len(published.column_totals)
    names: list[tuple[str, int, int]] = []
    index: dict[tuple[str, int, int], int] = {}

    def var(kind: str, r: int, c: int) -> None:
        index[(kind, r, c)] = len(names)
        names.append((kind, r, c))

    values: dict[tuple[str, int, int], int | None] = {}
    for r in range(height):
        for c in range(width):
            values[("cell", r, c)] = published.cells[r][c]
        values[("row", r, 0)] = published.row_totals[r]
    for c in range(width):
        values[("column", 0, c)] = published.column_totals[c]
    values[("grand", 0, 0)] = published.grand_total
    for key, value in values.items():
        if value is None:
            var(*key)
    equations: list[list[Fraction]] = []

    def equation(members: Sequence[tuple[str, int, int]], total: tuple[str, int, int]) -> None:
        row = [Fraction(0)] * len(names)
        for m in members:
            if m in index:
                row[index[m]] += 1
        if total in index:
            row[index[total]] -= 1
        if any(row):
            equations.append(row)

    for r in range(height):
        equation([("cell", r, c) for c in range(width)], ("row", r, 0))
    for c in range(width):
        equation([("cell", r, c) for r in range(height)], ("column", 0, c))
    equation([("row", r, 0) for r in range(height)], ("grand", 0, 0))
    equation([("column", 0, c) for c in range(width)], ("grand", 0, 0))
    base = rank(equations)
    found = []
    for i, name in enumerate(names):
        unit = [Fraction(int(j == i)) for j in range(len(names))]
        if rank(equations + [unit]) == base:
            found.append(f"{name}")
    return found


def rank(rows: list[list[Fraction]]) -> int:
    matrix = [list(r) for r in rows]
    count = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((i for i in range(count, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[count], matrix[pivot] = matrix[pivot], matrix[count]
        for i in range(len(matrix)):
            if i != count and matrix[i][column] != 0:
                factor = matrix[i][column] / matrix[count][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[count], strict=True)]
        count += 1
    return count


# --- hand-built facts ----------------------------------------------------------------------------


def fact(award_id: int, school: int, area: str, pupils: int, pence: int, *, kind: str = ONE_TO_ONE,
         year: int = 2025, judgements: tuple[str, ...] = ()) -> AwardFact:
    return AwardFact(award_id, school, f"School {school}", year, area, kind, "group", "full",
                     pence + 10_000, pence, 0,
                     frozenset(f"{school}:{award_id}-{n}" for n in range(pupils)), True, judgements)


SCHOOLS = [(1, "School 1"), (2, "School 2"), (3, "School 3")]


def figures_for(facts: list[AwardFact]) -> ClusterFigures:
    return cluster_figures(facts, 1, "Test Cluster", SCHOOLS, [2025])


def test_a_group_of_one_to_four_pupils_is_hidden_with_its_money_and_stays_hidden() -> None:
    facts = [fact(1, 1, C_AND_I, 3, 300_000), fact(2, 2, C_AND_L, 6, 600_000),
             fact(3, 2, C_AND_I, 7, 700_000), fact(4, 3, SEMH, 9, 900_000),
             fact(5, 3, C_AND_I, 12, 500_000)]
    board = figures_for(facts)
    table = board.by_area[2025]
    # School 1's three pupils: count and money hidden.
    assert table.pupils.row_totals[0] is None and table.received.row_totals[0] is None
    # Secondary suppression: nothing hidden can be worked out, nor narrowed down to within an
    # award (the audit of everything the report publishes).
    assert determined(table.received) == []
    assert determined(table.asked) == [] and determined(table.unmet) == []
    assert audit(money_audit_figures(board)).failures == ()
    # No school's money is split by area of need: those cells are about few pupils.
    assert all(v is None for row in table.pupils.cells for v in row)
    # The cluster's totals by area about 5 or more pupils still show, and so does the total.
    assert table.received.grand_total == 3_000_000 and table.pupils.grand_total == 37
    assert table.received.column_totals[list(table.categories).index(C_AND_I)] == 1_500_000


def test_figures_about_five_or_more_pupils_all_show() -> None:
    facts = [fact(1, 1, C_AND_I, 5, 100_000), fact(2, 2, C_AND_L, 6, 200_000),
             fact(3, 3, SEMH, 12, 300_000, kind=SMALL_GROUP)]
    board = figures_for(facts)
    table = board.by_area[2025]
    assert table.received.row_totals == (100_000, 200_000, 300_000)
    assert None not in table.received.column_totals and table.received.grand_total == 600_000
    kinds = board.by_kind[2025]
    assert kinds.received.grand_total == 600_000 and None not in kinds.received.column_totals
    assert audit(money_audit_figures(board)).hidden == 0


def test_a_pupil_on_two_awards_is_one_pupil_in_the_totals() -> None:
    twice = frozenset({"1:same"})
    first = fact(1, 1, C_AND_I, 0, 100_000)
    second = fact(2, 1, C_AND_L, 0, 100_000)
    facts = [AwardFact(**{**first.__dict__, "pupils": twice | {"1:a", "1:b"}}),
             AwardFact(**{**second.__dict__, "pupils": twice | {"1:c", "1:d"}}),
             fact(3, 2, C_AND_I, 9, 300_000)]
    table = figures_for(facts).by_area[2025]
    # School 1: 3 + 3 pupil places but only 5 pupils; the row counts 5, not 6.
    assert table.pupils.row_totals[0] in (5, None)


def test_outcomes_about_few_pupils_hide_the_count_the_percentage_and_the_cost() -> None:
    facts = [fact(1, 1, C_AND_I, 2, 100_000, judgements=("met",)),
             fact(2, 2, C_AND_L, 6, 200_000, kind=SMALL_GROUP, judgements=("met", "not met")),
             fact(3, 3, C_AND_L, 7, 300_000, kind=SMALL_GROUP, judgements=("exceeded",))]
    figures = figures_for(facts)
    board = _board(figures)
    one = next(r for r in board.outcomes_by_kind if r.label == ONE_TO_ONE)
    assert one.pupils is None and one.outcomes is None and one.met_pct is None
    assert one.spend_pence is None and one.cost_per_met_pence is None
    for table in figures.outcomes.values():
        assert determined(table.outcomes) == []


def test_a_group_under_5_shows_no_split_even_when_none_of_them_met() -> None:
    """School 1's three pupils all missed their outcome: "Met or exceeded: 0" beside a hidden
    group would tell that; so the whole split is hidden, in every table it appears in."""
    facts = [fact(1, 1, C_AND_I, 3, 100_000, judgements=("not met",)),
             fact(2, 2, C_AND_L, 6, 200_000, kind=SMALL_GROUP, judgements=("met", "not met")),
             fact(3, 3, C_AND_L, 7, 300_000, kind=SMALL_GROUP, judgements=("exceeded",))]
    figures = figures_for(facts)
    board = _board(figures)
    school_1 = next(r for r in board.outcomes_by_school if r.label == "School 1")
    assert (school_1.pupils, school_1.outcomes, school_1.met) == (None, None, None)
    one = next(r for r in board.outcomes_by_kind if r.label == ONE_TO_ONE)
    assert (one.pupils, one.met, one.met_pct) == (None, None, None)
    for table in figures.outcomes.values():
        for c, group in enumerate(table.pupils.column_totals):
            if group is None:
                assert table.outcomes.cells[0][c] is None and table.outcomes.cells[1][c] is None
        assert determined(table.outcomes) == []


def _board(figures: ClusterFigures) -> Dashboard:
    from datetime import date

    from cluster.core.permissions import Actor
    from cluster.outcomes.dashboard import dashboard_from

    host = Actor(1, "host", "Host", "host", 1, None)
    return dashboard_from(figures, host, 2025, None, date(2026, 11, 23))


# --- the demo, as governors see it ----------------------------------------------------------------


def assert_no_small_group(board: Dashboard) -> None:
    for row in board.by_school + board.by_area + board.by_kind:
        if row.pupils is None:
            assert (row.asked_pence, row.received_pence, row.unmet_pence, row.share_pct) == (
                None, None, None, None), row
        else:
            assert row.pupils == 0 or row.pupils >= 5, row
    for row in board.outcomes_by_kind + board.outcomes_by_area + board.outcomes_by_school:
        if row.pupils is None:
            # No met / not met split for a hidden group, not even "0 met".
            assert (row.outcomes, row.met, row.met_pct, row.spend_pence,
                    row.cost_per_met_pence) == (None, None, None, None, None), row
        else:
            assert row.pupils == 0 or row.pupils >= 5, row
    for trend in board.trends:
        if trend.pupils is None:
            assert trend.received_pence is None and trend.unmet_pence is None
        if trend.outcomes is None:
            assert trend.met is None and trend.met_pct is None, trend


def test_governors_see_no_group_of_one_to_four_pupils_in_any_view(demo_copy: Engine) -> None:
    governor = actor(demo_copy, "governor")
    cluster = impact_dashboard(demo_copy, governor)
    assert cluster.total is not None and cluster.total.received_pence  # 5+ pupils: shown
    for year in cluster.years:
        board = impact_dashboard(demo_copy, governor, academic_year=year)
        assert_no_small_group(board)
        schools = [impact_dashboard(demo_copy, governor, academic_year=year, school_id=s)
                   for s, _ in board.schools]
        for school in schools:
            assert_no_small_group(school)
        # A school's governors see the cluster's money by area and kind, not their own school's.
        for school in schools:
            assert school.by_area == board.by_area and school.by_kind == board.by_kind
    # Everything the report publishes, every year: nothing hidden can be worked out.
    assert audit(impact_report_figures(demo_copy, governor)).failures == ()


def test_no_pupil_level_data_reaches_a_governor_or_the_public(demo_copy: Engine) -> None:
    governor = actor(demo_copy, "governor")
    board = impact_dashboard(demo_copy, governor)
    text = repr(board)
    assert not REFERENCE.search(text)
    assert not any(phrase in text for phrase in PUPIL_TEXT)
    extract = sen_information_extract(demo_copy, governor, board.schools[0][0], 2025)
    assert not REFERENCE.search(extract.markdown)
    assert not any(phrase in extract.markdown for phrase in PUPIL_TEXT)


def test_each_reader_sees_their_own_school_or_the_cluster(demo_copy: Engine) -> None:
    school_governor = actor(demo_copy, "governor.ap")
    mine = impact_dashboard(demo_copy, school_governor)
    assert [name for _, name in mine.schools] == ["Aylsham Road Primary School"]
    other = next(s for s, n in impact_dashboard(demo_copy, actor(demo_copy, "governor")).schools
                 if n != "Aylsham Road Primary School")
    with pytest.raises(NotAllowed):
        impact_dashboard(demo_copy, school_governor, school_id=other)
    with pytest.raises(NotAllowed):
        impact_dashboard(demo_copy, actor(demo_copy, "senco.ap"), school_id=other)
    assert impact_dashboard(demo_copy, actor(demo_copy, "governor"), school_id=other).school_id \
        == other
    assert impact_dashboard(demo_copy, actor(demo_copy, "la.adviser"), school_id=other).school_id \
        == other
    # The same figures for every reader: this is the governors' (public) edition.
    host = impact_dashboard(demo_copy, actor(demo_copy, "host"))
    assert host.by_school == impact_dashboard(demo_copy, actor(demo_copy, "governor")).by_school


def test_the_written_summary_gives_the_headline_figures(demo_copy: Engine) -> None:
    board = impact_dashboard(demo_copy, actor(demo_copy, "governor"), academic_year=2025)
    assert board.total is not None
    summary = " ".join(board.summary)
    assert f"£{board.total.received_pence // 100:,}" in summary
    outcome = board.outcomes_total
    assert outcome is not None and f"{outcome.met} ({outcome.met_pct:.0f}%)" in summary
    assert 3 <= len(board.summary) <= 5


def test_the_sen_information_report_extract_is_ready_to_paste(demo_copy: Engine) -> None:
    senco = actor(demo_copy, "senco.cp")
    board = impact_dashboard(demo_copy, senco, school_id=senco.school_id)
    row = board.school_row
    assert row is not None and row.received_pence  # 7 pupils this year: shown
    extract = sen_information_extract(demo_copy, senco, senco.school_id)
    assert extract.school_name == "Costessey Park Primary School"
    assert f"**£{row.received_pence // 100:,}**" in extract.markdown
    assert "one of the 12 schools in the Wensum Valley Cluster" in extract.markdown
    assert "### How we checked that it worked" in extract.markdown
    assert "**" not in extract.plain_text and "#" not in extract.plain_text
    # A year in which the school's figures are hidden says why, without amounts.
    for year in board.years:
        text = sen_information_extract(demo_copy, senco, senco.school_id, year).markdown
        line = next(line for line in text.splitlines() if line.startswith(("In ", "By ")))
        assert "£" in line or NOT_PUBLISHED in line or "not yet decided" in line
    with pytest.raises(NotAllowed):
        sen_information_extract(demo_copy, actor(demo_copy, "la.adviser"), senco.school_id)
    with pytest.raises(NotAllowed):
        sen_information_extract(demo_copy, actor(demo_copy, "senco.ap"), senco.school_id)


def test_a_school_name_carrying_html_is_escaped_in_the_extract(demo_copy: Engine) -> None:
    """The extract is pasted into school websites, whose Markdown may pass raw HTML through: a
    name the host typed (or a schools list imported) must arrive as text, never as a tag, a link
    or emphasis. The plain-text copy keeps the characters as typed."""
    from sqlmodel import Session

    from cluster.models import School

    senco = actor(demo_copy, "senco.cp")
    name = "<script>alert(1)</script> & [Park](javascript:alert(2)) *Primary*"
    with Session(demo_copy) as session:
        school = session.get(School, senco.school_id)
        assert school is not None
        school.name = name
        session.add(school)
        session.commit()
    extract = sen_information_extract(demo_copy, senco, senco.school_id)
    assert "<script>" not in extract.markdown and "<" not in extract.markdown
    assert ("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\[Park\\](javascript:alert(2)) "
            "\\*Primary\\* is one of the 12 schools") in extract.markdown
    assert f"{name} is one of the 12 schools" in extract.plain_text


def test_the_sen_report_says_how_many_pupils_hidden_results_concern(demo_copy: Engine) -> None:
    """Aylsham Road's results are about 10 pupils: hidden, because one pupil's outcome was not
    met, yet never said to concern "fewer than 5 pupils". (Great Witchingham's 14 pupils are now
    hidden too: its years would give a hidden year away.)"""
    host = actor(demo_copy, "host")
    board = impact_dashboard(demo_copy, host)
    schools = {name: school_id for school_id, name in board.schools}
    split_hidden = [r for r in board.outcomes_by_school
                    if not r.is_total and r.pupils is not None and r.met is None]
    assert "Aylsham Road Primary School" in {r.label for r in split_hidden}
    for row in split_hidden:
        name, pupils = row.label, row.pupils
        text = sen_information_extract(demo_copy, host, schools[name]).markdown
        assert "concern fewer than 5" not in text
        line = next(line for line in text.splitlines() if line.startswith("Results ("))
        assert f"concern {pupils} pupils and {row.outcomes} outcomes" in line
        assert "we do not publish how many were met" in line and NOT_PUBLISHED in line
    # A school whose judged pupils are hidden says nothing about how many they are.
    hidden = next(r for r in board.outcomes_by_school if r.pupils is None)
    text = sen_information_extract(demo_copy, host, schools[hidden.label]).markdown
    line = next(line for line in text.splitlines() if "the results" in line)
    assert "fewer than 5" not in line.replace(NOT_PUBLISHED, "") and NOT_PUBLISHED in line
