"""The glossary: the one word each kind of figure is labelled with, and what the word means
(toolkit/content/glossary.yaml). Screens take their labels from here, so "received" never names
one figure on Finance and another on Impact."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from cluster.common.content import CONTENT_ROOT

GLOSSARY_FILE = CONTENT_ROOT / "glossary.yaml"


@dataclass(frozen=True)
class Figure:
    name: str
    word: str
    label: str  # may hold {placeholders} the screen fills: "Awarded in {year}"


@dataclass(frozen=True)
class Glossary:
    words: dict[str, str]  # word: its one meaning
    figures: dict[str, Figure]

    def words_in(self, text: str) -> set[str]:
        """The glossary's words in a piece of text, as whole words, any case."""
        return {word for word in self.words
                if re.search(rf"\b{re.escape(word)}\b", text, flags=re.IGNORECASE)}


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    data = yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))
    words = {str(word): " ".join(str(meaning).split()) for word, meaning in data["words"].items()}
    figures = {str(name): Figure(str(name), str(entry["word"]), str(entry["label"]))
               for name, entry in data["figures"].items()}
    return Glossary(words, figures)


def label(figure: str, **fill: str) -> str:
    """A figure's label, placeholders filled: `label("awarded_in_year", year="2026/27")`."""
    return glossary().figures[figure].label.format(**fill)


def meaning(figure: str) -> str:
    """What the figure's word means, for a metric's help text."""
    return glossary().words[glossary().figures[figure].word]
