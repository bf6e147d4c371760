"""The cluster pot: the LA formula and the lines a governor can follow down to "available"."""

from cluster.funding.pot import PotLine, PotBreakdown, SchoolShare, build_pot

__all__ = ["PotBreakdown", "PotLine", "SchoolShare", "build_pot"]
