"""A choice stored as a short code, with the words people read for it written beside it."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """Members are written `CODE = "stored value", "words people read"`: the words live beside the
    member, so a new choice cannot be added without them, and no second table can fall out of step.
    """

    _value_: str
    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Stored value → words, in the order the members are written."""
        return {member.value: member.label for member in cls}

    @classmethod
    def label_of(cls, value: str) -> str:
        """The words for a stored value; a value no member has (an old row) shows as stored."""
        return cls.labels().get(value, value)
