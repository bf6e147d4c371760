"""Pupil identifiers in free text: examples, then generated UPNs, ULNs and dates inside text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cluster.common.identifiers import find_identifiers

ON = date(2026, 11, 23)


@pytest.mark.parametrize(("text", "kind"), [
    ("UPN A" "12345678901" "B on file", "UPN"),
    ("upn: a" "12345678901" "2.", "UPN"),
    ("ULN 4012345678", "ULN or NHS number"),
    ("NHS no. 943 476 5919", "ULN or NHS number"),
    ("Born 12/03/2016 in Norwich", "date of birth"),
    ("DOB: 1.2.99", "date of birth"),
    ("dob 5th May 2017", "date of birth"),
    ("on March 12, 2017 she", "date of birth"),
    ("2016-04-05", "date of birth"),
])
def test_identifiers_are_found(text: str, kind: str) -> None:
    assert [i.kind for i in find_identifiers(text, ON)] == [kind]


@pytest.mark.parametrize("text", [
    "Assessed by the specialist teacher on 14/03/2026.",  # a recent date is not a birth date
    "Born in March 2016",  # month and year only: what the toolkit itself records
    "Reading age 7 years 2 months; 38 weeks of 120 minutes; £1,307.20",
    "Phone the office on 01603 123456",  # 11 digits: not a ULN
    "Reference WV-AP-017 and AP-900",
])
def test_ordinary_text_passes(text: str) -> None:
    assert find_identifiers(text, ON) == []


filler = st.text(alphabet=st.sampled_from("abcdefghij klmnop,.;:()"), max_size=40)
separator = st.sampled_from([" ", ", ", "\n", " (", ": "])
upns = st.builds(lambda letter, digits, last: letter + digits + last,
                 st.sampled_from("ABCDEFGHJKLMNPQRTUVWXYZabcdefghjk"),
                 st.from_regex(r"\d{11}", fullmatch=True),
                 st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUVWXYZabc"))
ten_digits = st.one_of(st.from_regex(r"[1-9]\d{9}", fullmatch=True),
                       st.from_regex(r"\d{3} \d{3} \d{4}", fullmatch=True))
birth_dates = st.dates(min_value=date(2002, 1, 1), max_value=date(2024, 12, 31))
FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y",
           "%B %d, %Y", "%-d/%-m/%Y")


def embedded(value: str, before: str, sep1: str, sep2: str, after: str) -> str:
    return f"{before}{sep1}{value}{sep2}{after}"


@given(upns, filler, separator, separator, filler)
def test_generated_upns_are_caught_inside_text(upn: str, before: str, sep1: str, sep2: str,
                                               after: str) -> None:
    found = find_identifiers(embedded(upn, before, sep1, sep2, after), ON)
    assert upn in [i.text for i in found if i.kind == "UPN"]


@given(ten_digits, filler, separator, separator, filler)
def test_generated_ulns_and_nhs_numbers_are_caught_inside_text(number: str, before: str,
                                                               sep1: str, sep2: str,
                                                               after: str) -> None:
    found = find_identifiers(embedded(number, before, sep1, sep2, after), ON)
    assert number in [i.text for i in found if i.kind == "ULN or NHS number"]


@given(birth_dates, st.sampled_from(FORMATS), filler, separator, separator, filler)
def test_generated_dates_of_birth_are_caught_inside_text(day: date, layout: str, before: str,
                                                         sep1: str, sep2: str,
                                                         after: str) -> None:
    written = day.strftime(layout)
    found = find_identifiers(embedded(written, before, sep1, sep2, after), ON)
    assert written in [i.text for i in found if i.kind == "date of birth"], written


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
       st.sampled_from(["born on ", "DOB ", "date of birth: "]))
def test_any_date_after_a_birth_word_is_caught(day: date, words: str) -> None:
    assert find_identifiers(f"{words}{day.strftime('%d/%m/%Y')}", ON)


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=200))
def test_text_without_digits_never_holds_an_identifier(text: str) -> None:
    assert find_identifiers(text, ON) == []
