"""Every figure a reader sees for a period, as named figures and the arithmetic that links them.

A producer (the protected-funding forecast, say) registers what it publishes here: each figure
with its true value and whether it is shown, and each relation a reader could use on it — a total
is the sum of its parts, next year's pupils are this year's less those leaving. The audit
(`audit.py`) then asks, for each hidden figure, what values the shown ones still allow; the joint
suppression (`joint.py`) hides more until none is given away. Figures are keyed by name, so the
same figure published on two pages (a governor's home and the forecast) is one figure: shown if
any page shows it.

Pure data, no database and no solver here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal, cast

Kind = Literal["count", "money"]
Sense = Literal["==", "<=", ">="]


@dataclass(frozen=True)
class Figure:
    """One published number. `value` is the truth (pence for money); `largest_part` is, for
    money, the largest single award (or annual amount) it contains: a hidden amount is safe only
    when what is shown leaves it a range wider than that."""

    name: str
    value: int
    kind: Kind = "count"
    shown: bool = True
    largest_part: int = 0
    # False for a figure the reader simply does not see (another school's row) that is not about
    # 1 to 4 pupils: unknown to the reader, yet nothing to protect.
    protect: bool = True
    in_view: bool = True  # on this reader's pages (hidden or not), rather than unknown to them
    # A difference that can fall below 0 (what is left of an overspent pot); other figures never do.
    signed: bool = False
    # Published by another page on its own rule, or known to the reader some other way: shown,
    # and never one that joint suppression may hide.
    fixed: bool = False


@dataclass(frozen=True)
class Relation:
    """sum(coefficient × figure) <sense> constant — what a reader knows links the figures."""

    terms: tuple[tuple[str, int], ...]
    sense: Sense = "=="
    constant: int = 0
    members: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up for every relation in every round of joint suppression: worked out once.
        object.__setattr__(self, "members", frozenset(name for name, _ in self.terms))

    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.terms)


def total_of(total: str, parts: Iterable[str]) -> Relation:
    """The total is the sum of its parts."""
    return Relation(tuple((p, 1) for p in parts) + ((total, -1),))


def difference(later: str, earlier: str, leaving: str) -> Relation:
    """later = earlier − leaving (next year's pupils are this year's less those who leave)."""
    return Relation(((later, 1), (earlier, -1), (leaving, 1)))


def at_most(part: str, whole: str) -> Relation:
    """A part of a group of distinct pupils is never more than the group."""
    return Relation(((part, 1), (whole, -1)), "<=")


@dataclass
class FigureSet:
    """The figures and relations of one reader's pages, merged by name."""

    figures: dict[str, Figure] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    # Figures hidden together: money and percentages about a group go with the group's count.
    ties: dict[str, set[str]] = field(default_factory=dict)

    def add(self, figure: Figure) -> None:
        known = self.figures.get(figure.name)
        if known is None:
            self.figures[figure.name] = figure
            return
        if known.value != figure.value:
            raise ValueError(f"{figure.name} is published with two values")
        self.figures[figure.name] = replace(
            known, shown=known.shown or figure.shown,
            largest_part=max(known.largest_part, figure.largest_part))

    def relate(self, relation: Relation) -> None:
        missing = [n for n in relation.names() if n not in self.figures]
        if missing:
            raise ValueError(f"A relation names figures not registered: {missing}")
        self.relations.append(relation)

    def tie(self, *names: str) -> None:
        """These figures are shown or hidden together."""
        together = set(names).union(*(self.ties.get(n, set()) for n in names))
        for name in together:
            self.ties[name] = together

    def merge(self, other: FigureSet) -> None:
        for figure in other.figures.values():
            self.add(figure)
        self.relations.extend(other.relations)
        for together in other.ties.values():
            self.tie(*together)

    def hide(self, names: Iterable[str]) -> None:
        for name in names:
            for each in self.ties.get(name, {name}) | {name}:
                self.figures[each] = replace(self.figures[each], shown=False)

    def is_shown(self, name: str) -> bool:
        return self.figures[name].shown

    def hidden(self) -> list[Figure]:
        return [f for f in self.figures.values() if not f.shown]

    def shown(self) -> list[Figure]:
        return [f for f in self.figures.values() if f.shown]

    def holds(self) -> bool:
        """Every relation holds for the true values (a producer registered them right)."""
        return all(_holds(r, self.figures) for r in self.relations)

    def to_stored(self) -> dict[str, Any]:
        """The set as JSON-able data, read back exactly by `from_stored` (an issued paper keeps
        the figures it showed, whatever the live data does later)."""
        groups = {tuple(sorted(together)) for together in self.ties.values()}
        return {"figures": [asdict(f) for f in self.figures.values()],
                "relations": [{"terms": [[n, c] for n, c in r.terms], "sense": r.sense,
                               "constant": r.constant} for r in self.relations],
                "ties": [list(group) for group in sorted(groups)]}

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> FigureSet:
        known = {f.name for f in fields(Figure)}
        figures = cls()
        for each in data.get("figures", []):
            figures.add(Figure(**{k: v for k, v in each.items() if k in known}))
        for relation in data.get("relations", []):
            figures.relate(Relation(tuple((str(n), int(c)) for n, c in relation["terms"]),
                                    cast(Sense, relation["sense"]), int(relation["constant"])))
        for group in data.get("ties", []):
            figures.tie(*group)
        return figures

    def renamed(self, names: Mapping[str, str]) -> FigureSet:
        """A copy with figures renamed (`names`: old to new; others keep theirs), in its
        relations and ties too."""
        def new(name: str) -> str:
            return names.get(name, name)

        out = FigureSet()
        for figure in self.figures.values():
            out.add(replace(figure, name=new(figure.name)))
        for relation in self.relations:
            out.relate(replace(relation, terms=tuple((new(n), c) for n, c in relation.terms)))
        for together in self.ties.values():
            out.tie(*(new(n) for n in together))
        return out

    def merge_apart(self, other: FigureSet, suffix: str) -> None:
        """Merges `other` (another paper, or another version of one), where a name this set
        already has with another value is a different figure to the reader: it joins as
        name + suffix (name + suffix + .2 … if that is taken too). Equal values stay one figure,
        as a reader sees it is the same number."""
        names: dict[str, str] = {}
        for figure in other.figures.values():
            name, n = figure.name, 1
            while name in self.figures and self.figures[name].value != figure.value:
                n += 1
                name = f"{figure.name}{suffix}" + ("" if n == 2 else f".{n - 1}")
            if name != figure.name:
                names[figure.name] = name
        self.merge(other.renamed(names) if names else other)


def _holds(relation: Relation, figures: Mapping[str, Figure]) -> bool:
    left = sum(c * figures[n].value for n, c in relation.terms)
    if relation.sense == "==":
        return left == relation.constant
    return left <= relation.constant if relation.sense == "<=" else left >= relation.constant

