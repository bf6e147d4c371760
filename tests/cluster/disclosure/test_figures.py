"""A set of figures is stored and read back exactly (an issued paper keeps what it showed), and
another paper's figures join apart where a name carries another value."""

from __future__ import annotations

import json

import pytest

from cluster.disclosure.figures import Figure, FigureSet, Relation, at_most, total_of


def _pack() -> FigureSet:
    figures = FigureSet()
    figures.add(Figure("p/0/pupils", 3, protect=True, shown=False))
    figures.add(Figure("p/0/money", 2_400_00, "money", shown=False, largest_part=1_500_00))
    figures.add(Figure("p/1/pupils", 9))
    figures.add(Figure("p/all/pupils", 12, in_view=False, fixed=True))
    figures.add(Figure("p/left", -5_00, "money", signed=True, protect=False))
    figures.relate(total_of("p/all/pupils", ["p/0/pupils", "p/1/pupils"]))
    figures.relate(at_most("p/0/pupils", "p/all/pupils"))
    figures.relate(Relation((("p/left", 1), ("p/0/money", 1)), ">=", -1_000_00))
    figures.tie("p/0/pupils", "p/0/money")
    return figures


def test_a_set_is_stored_as_json_and_read_back_exactly() -> None:
    figures = _pack()
    stored = json.loads(json.dumps(figures.to_stored()))
    back = FigureSet.from_stored(stored)
    assert back.figures == figures.figures
    assert back.relations == figures.relations
    assert back.ties == figures.ties
    assert back.holds()
    back.hide(["p/0/money"])  # a tie still hides its partners
    assert not back.is_shown("p/0/pupils")


def test_renaming_a_figure_renames_it_in_relations_and_ties() -> None:
    renamed = _pack().renamed({"p/0/pupils": "p/0/pupils@v2"})
    assert "p/0/pupils" not in renamed.figures
    assert renamed.figures["p/0/pupils@v2"].value == 3
    assert ("p/0/pupils@v2", 1) in renamed.relations[0].terms
    assert "p/0/pupils@v2" in renamed.relations[1].members
    assert renamed.ties["p/0/money"] == {"p/0/pupils@v2", "p/0/money"}
    assert renamed.holds()


def test_another_version_joins_apart_only_where_its_values_differ() -> None:
    figures = _pack()
    second = FigureSet()
    second.add(Figure("p/0/pupils", 4, shown=False))  # changed: a figure of its own
    second.add(Figure("p/1/pupils", 9))  # the same number: one figure
    second.add(Figure("p/all/pupils", 13))
    second.relate(total_of("p/all/pupils", ["p/0/pupils", "p/1/pupils"]))
    figures.merge_apart(second, "@v2")
    assert figures.figures["p/0/pupils"].value == 3
    assert figures.figures["p/0/pupils@v2"].value == 4
    assert figures.figures["p/all/pupils@v2"].value == 13
    assert "p/1/pupils@v2" not in figures.figures
    assert figures.relations[-1].names() == ("p/0/pupils@v2", "p/1/pupils", "p/all/pupils@v2")
    assert figures.holds()
    third = FigureSet()
    third.add(Figure("p/0/pupils", 2, shown=False))
    figures.merge_apart(third, "@v2")  # the suffix is taken by another value
    assert figures.figures["p/0/pupils@v2.2"].value == 2


def test_a_plain_merge_still_refuses_two_values_for_one_name() -> None:
    figures = _pack()
    other = FigureSet()
    other.add(Figure("p/1/pupils", 10))
    with pytest.raises(ValueError, match="two values"):
        figures.merge(other)
