"""Numbers written the way a meeting reads them: £1,234, 62%, 1.25 need per £1,000."""

from __future__ import annotations

import math

from cluster.common.money import format_pounds, pence_from_pounds, pounds_from_figure


def pounds(value: float) -> str:
    """Whole pounds with thousands separators; the one money format of the toolkit."""
    return format_pounds(pence_from_pounds(pounds_from_figure(value)))


def about_pounds(value: float) -> str:
    """Estimates read better rounded: to £1 under £100, £10 under £1,000, £100 above."""
    step = 1 if value < 100 else 10 if value < 1_000 else 100
    return pounds(max(1, math.floor(value / step + 0.5) * step))


def percent(part: float, whole: float) -> str:
    if whole <= 0:
        return "0%"
    share = 100.0 * part / whole
    # Never print 100% for a part-funded request, nor 0% for one that got something.
    if 0 < share < 1:
        return "under 1%"
    if 99 < share < 100:
        return "over 99%"
    return f"{share:.0f}%"


def need_number(value: float) -> str:
    """Need scores and need met: at most two decimals, no trailing zeros."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def per_thousand(need_per_pound: float) -> str:
    """Need per pound is a tiny number; per £1,000 is one a host can say aloud."""
    value = need_per_pound * 1_000
    if value == 0:
        return "0"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 0.1:
        return need_number(value)
    return f"{value:.2g}"


def count(number: int, singular: str, plural: str | None = None) -> str:
    word = singular if number == 1 else (plural or singular + "s")
    return f"{number:,} {word}"
