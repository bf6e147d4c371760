"""How the screens write dates and money: DD/MM/YYYY and £1,234."""

from cluster.calendar import format_date, format_pounds

__all__ = ["format_date", "format_pounds"]
