"""Secondary suppression chosen jointly across every table, year and page a reader sees.

Primary suppression (counts of 1 to 4, and what goes with them) is the producer's; here, while
the audit (`audit.py`) finds a hidden figure that the shown ones give away or narrow down too far,
one more figure is hidden beside it: a shown figure in a relation with it, preferring a part to a
total, a non-zero figure to a zero, and the smallest. A figure that the other shown figures fix
exactly (another table pins it, often to 0) is never taken as the partner — hiding it would hide
nothing. The classic lone-hidden rule runs first, without a solver; then each round audits
only groups not yet found safe, stopping at a group's first failure.
"""

from __future__ import annotations

from cluster.disclosure.audit import Range, first_failures, linked_groups
from cluster.disclosure.figures import FigureSet, Relation

# A bound on the loop: each round hides at least one figure, so it ends anyway; this only guards
# against a producer registering a relation that no hiding can satisfy.
_MOST_ROUNDS = 2_000


class CannotProtectError(ValueError):
    """A hidden figure that the shown ones give away, with no shown figure beside it left to hide
    (every one around it is hidden, fixed by another page, or pinned)."""


def protect(figures: FigureSet) -> None:
    """Hide more figures in `figures` until the audit would pass (`audit` tells the ranges)."""
    _lone_partners(figures)
    safe: set[str] = set()
    for _ in range(_MOST_ROUNDS):
        failures = first_failures(figures, safe)
        if not failures:
            return
        for failing in failures:
            partner = _partner(figures, failing)
            if partner is None:
                raise CannotProtectError(f"No figure can be hidden to protect {failing.name}")
            figures.hide([partner])
    raise ValueError("Secondary suppression did not settle")


def _lone_partners(figures: FigureSet) -> None:
    """The classic rule first, without a solver: a sum with one hidden member gives it away, so a
    second member is hidden. The solver then only has the cases the rule does not see."""
    changed = True
    while changed:
        changed = False
        for relation in figures.relations:
            hidden = [n for n in relation.names() if not figures.is_shown(n)]
            if relation.sense != "==" or len(hidden) != 1:
                continue
            partner = _best(figures, [relation])
            if partner is not None:
                figures.hide([partner])
                changed = True


def _partner(figures: FigureSet, failing: Range) -> str | None:
    """Beside the failing figure if any relation through it has a shown member; else anywhere
    around its group of linked hidden figures (it is pinned through a chain of them)."""
    direct = [r for r in figures.relations if failing.name in r.members]
    found = _best(figures, direct)
    if found is not None:
        return found
    group = next(set(g) for g in linked_groups(figures) if failing.name in g)
    return _best(figures, [r for r in figures.relations if group & r.members])


def _best(figures: FigureSet, relations: list[Relation]) -> str | None:
    candidates: list[tuple[bool, bool, bool, int, str]] = []
    for relation in relations:
        for name, coefficient in relation.terms:
            figure = figures.figures[name]
            if not figure.shown or figure.fixed:
                continue
            candidates.append((_is_total(relation, coefficient), _pinned(figures, name),
                               figure.value == 0, figure.value, name))
    return min(candidates)[4] if candidates else None


def _is_total(relation: Relation, coefficient: int) -> bool:
    """The sum of a total relation, or the whole of an "at most" bound (hiding a whole to widen
    one part's bound would hide far more than the part)."""
    if relation.sense == "<=":
        return coefficient < 0
    return relation.sense == "==" and coefficient < 0 and sum(c < 0 for _, c in relation.terms) == 1


def _pinned(figures: FigureSet, name: str) -> bool:
    """Would the shown figures give this one away if it were hidden alone? (A sum whose other
    members are all shown fixes it; longer chains are left to the audit's next round.)"""
    return any(r.sense == "==" and all(figures.is_shown(n) for n in r.names() if n != name)
               for r in figures.relations if name in r.members)
