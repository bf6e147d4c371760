"""A table of decisions by kind on its own: which lines and whether the total it shows."""

from __future__ import annotations

from cluster.disclosure.audit import audit
from cluster.meetings.grouped import group_figures, table_pattern

# A second demo cluster's Autumn 2 2023/24: 26 pupils fully funded, one part-funded (£1,501),
# one declined and one deferred. The total less the funded line is the part-funded £1,501 (the
# other two lines hold no money), and no figure beside it was left to hide: the minutes crashed.
GIVES_ITSELF_AWAY = [
    [(1, 1, 113_000), (1, 7, 145_700), (1, 1, 301_400), (1, 16, 276_400), (1, 1, 130_700)],
    [(1, 1, 150_100)], [(1, 1, 0)], [(1, 1, 0)]]


def test_a_table_that_would_give_a_line_away_shows_nothing_rather_than_crashing() -> None:
    lines, total = table_pattern(GIVES_ITSELF_AWAY)
    assert (lines, total) == ([False] * 4, False)
    assert audit(group_figures(GIVES_ITSELF_AWAY, lines, total)).failures == ()


def test_a_table_of_large_lines_shows_every_line_and_its_total() -> None:
    members = [[(1, 5, 100_000)] * 2, [(1, 6, 50_000)], [], []]
    assert table_pattern(members) == ([True, True, True, True], True)


def test_a_line_named_by_its_area_keeps_its_name_when_an_area_before_it_empties() -> None:
    # An issued pack and its amendment after the only Communication request was withdrawn: by
    # place, the amendment's line 0 (Cognition, 2 pupils) would share "0/pupils" with the first
    # version's line 0 (Communication, 3 pupils) — two areas under one name.
    first = group_figures([[(1, 3, 100)], [(1, 2, 200)]], [False, False], True,
                          prefix="v1/", lines=["Communication and interaction",
                                               "Cognition and learning"])
    amended = group_figures([[(1, 2, 200)]], [False], False, prefix="v1/",
                            lines=["Cognition and learning"])
    for name, figure in amended.figures.items():
        if "/all/" not in name:  # the totals differ, as they should
            assert first.figures[name].value == figure.value, name
    assert first.figures["v1/Cognition and learning/pupils"].value == 2
