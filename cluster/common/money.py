"""Money as the screens and papers write it: integer pence in, £1,234 or £1,234.56 out."""

from __future__ import annotations


def format_pounds(pence: int | None) -> str:
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds = abs(pence) // 100
    remainder = abs(pence) % 100
    if remainder:
        return f"{sign}£{pounds:,}.{remainder:02d}"
    return f"{sign}£{pounds:,}"
