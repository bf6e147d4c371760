"""Names for the files the toolkit hands out (papers, letters, reports, calendars, extracts): one
rule, so every download names a school, a meeting or a year the same way."""

from __future__ import annotations

import re

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def file_slug(text: str) -> str:
    """Lower-case letters and digits, each run of anything else one hyphen, none at either end:
    "Swannington St Margaret's CE" -> "swannington-st-margaret-s-ce", "2026/27" -> "2026-27"."""
    return _NOT_LETTER_OR_DIGIT.sub("-", text.lower()).strip("-")
