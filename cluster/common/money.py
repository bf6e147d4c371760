"""Money: integer pence in the database and in every sum; pounds only at the edges.

Every change of unit lives here, so no other module multiplies or divides by 100 or rounds a sum of
money itself (tests/test_vocabulary.py checks that over `cluster/` and `toolkit/`). Awards are whole
pounds; a typed amount with pence is read to the nearest penny through `Decimal`, because
`0.29 * 100` is 28.999999999999996 in floating point.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

PENCE_PER_POUND = 100


def format_pounds(pence: int | None) -> str:
    """£1,234 for whole pounds, £1,234.56 otherwise; "" for no figure."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, remainder = divmod(abs(pence), PENCE_PER_POUND)
    if remainder:
        return f"{sign}£{pounds:,}.{remainder:02d}"
    return f"{sign}£{pounds:,}"


def pence_from_pounds(pounds: int) -> int:
    """Whole pounds (an award, a locked figure, a rate typed in pounds) as pence."""
    return int(pounds) * PENCE_PER_POUND


def whole_pounds(pence: int) -> int:
    """The whole pounds in a sum, the odd pence dropped (what the optimiser may hand out)."""
    return pence // PENCE_PER_POUND


def pounds_up(pence: int) -> int:
    """Whole pounds, rounded up: an ask with pence is funded in full by the next whole pound."""
    return -(-pence // PENCE_PER_POUND)


def is_whole_pounds(pence: int) -> bool:
    return pence % PENCE_PER_POUND == 0


def odd_pence(pence: int) -> int:
    """The pence over the last whole pound."""
    return pence % PENCE_PER_POUND


def pence_from_entry(pounds: float | int | str | Decimal) -> int:
    """A typed amount in pounds (a number box, an editor cell), to the nearest penny.

    Raises ValueError for something that is not a number, so a form can say so."""
    try:
        exact = Decimal(str(pounds))
    except InvalidOperation as error:
        raise ValueError(f"{pounds!r} is not an amount in pounds") from error
    if not exact.is_finite():
        raise ValueError(f"{pounds!r} is not an amount in pounds")
    return int((exact * PENCE_PER_POUND).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pounds_figure(pence: int) -> float:
    """Pounds as a plain number, for a chart's axis, a number box's starting value or a
    spreadsheet cell: never for arithmetic on money."""
    return pence / PENCE_PER_POUND


def exact_pounds(pence: int) -> Decimal:
    """Pounds as an exact decimal (12.34, never 12.339999…): a spreadsheet's money cell."""
    return Decimal(pence) / PENCE_PER_POUND


def share_of(amount: int, part: float, whole: float) -> int:
    """`part / whole` of a sum, to the nearest unit it is in (pence, or the optimiser's whole
    pounds); 0 when there is nothing to share by."""
    if not whole:
        return 0
    return int((Decimal(amount) * Decimal(str(part)) / Decimal(str(whole)))
               .quantize(Decimal(1), rounding=ROUND_HALF_EVEN))  # as round() did


def percent_of(pence: int, percent: float) -> int:
    """`percent`% of a sum, to the nearest penny (the reserve, an underspend)."""
    return share_of(pence, percent, 100)


def round_down_to(pence: int, step_pence: int) -> int:
    """Down to a multiple of `step_pence` (the demo's round figures: whole pounds, £10s)."""
    return pence // step_pence * step_pence


def pounds_from_figure(pounds: float) -> int:
    """A figure the optimiser worked out in pounds (a share, a what-if), as whole pounds."""
    return int(Decimal(str(pounds)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def share_points(share: float) -> float:
    """A share of what was asked (0.57) as points of the ask (57.0), for the screen."""
    return share * 100
