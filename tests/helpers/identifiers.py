"""What a test looks for in stored or shown text that must never hold a child's identity: a UPN
(a letter, 11 digits, then a digit or a letter), a ten-digit number (an NHS number), a full date
that could be a date of birth. Written here once, apart from the engine's own checks, so a test
does not pass merely by agreeing with the code it tests."""

from __future__ import annotations

import re

UPN_OR_TEN_DIGITS = re.compile(r"\b[A-Za-z]\d{11}[0-9A-Za-z]\b|\b\d{10}\b")
FULL_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
