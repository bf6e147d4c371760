"""Reads the toolkit's content files: exemplar agendas, how-to guides, default terms of reference.

Content is Markdown with a short YAML header between `---` lines, so a host or an LA adviser can
edit the words without touching code. No Streamlit here: services, documents and tests read it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from cluster.common.calendar import HALF_TERMS
from cluster.models import Role

# The words live with the screens, in toolkit/content; this module only reads them as data.
CONTENT_ROOT = Path(__file__).resolve().parents[2] / "toolkit" / "content"
AGENDAS = CONTENT_ROOT / "agendas"
GUIDES = CONTENT_ROOT / "guides"
TERMS_OF_REFERENCE = CONTENT_ROOT / "terms_of_reference.md"

_FRONT_MATTER = re.compile(r"\A---\n(?P<header>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[a-z_]+)\s*\}\}")


@dataclass(frozen=True)
class AgendaExemplar:
    half_term: str
    title: str
    funding_round: bool
    body_md: str


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str
    roles: frozenset[str]
    order: int
    body_md: str
    # The LA lets each cluster reword it: the host edits it, the file is the LA's default.
    editable: bool = False

    def with_body(self, body_md: str) -> Guide:
        return replace(self, body_md=body_md)

    def filled(self, figures: Mapping[str, str]) -> str:
        """The guide with `{{ name }}` replaced by the cluster's own figures (unknown names
        kept)."""
        return fill_placeholders(self.body_md, figures)


def _read(path: Path) -> tuple[dict[str, object], str]:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"{path.name} must start with a YAML header between '---' lines")
    header = yaml.safe_load(match["header"]) or {}
    if not isinstance(header, dict):
        raise ValueError(f"{path.name}: the header must be 'name: value' lines")
    return header, match["body"].strip() + "\n"


@lru_cache(maxsize=1)
def agenda_exemplars() -> Mapping[str, AgendaExemplar]:
    """One exemplar agenda per half-term, keyed "Autumn 1" ... "Summer 2"."""
    exemplars: dict[str, AgendaExemplar] = {}
    for path in sorted(AGENDAS.glob("*.md")):
        header, body = _read(path)
        half_term = str(header["half_term"])
        if half_term not in HALF_TERMS:
            raise ValueError(f"{path.name}: half_term must be one of {', '.join(HALF_TERMS)}")
        exemplars[half_term] = AgendaExemplar(half_term, str(header["title"]),
                                              bool(header.get("funding_round", False)), body)
    missing = [name for name in HALF_TERMS if name not in exemplars]
    if missing:
        raise ValueError(f"No exemplar agenda for {', '.join(missing)}")
    return {name: exemplars[name] for name in HALF_TERMS}


@lru_cache(maxsize=1)
def all_guides() -> tuple[Guide, ...]:
    guides = []
    for path in sorted(GUIDES.glob("*.md")):
        header, body = _read(path)
        listed = header.get("roles", [])
        roles = frozenset(str(role) for role in listed) if isinstance(listed, Iterable) else None
        if roles is None or not roles or roles - set(Role):
            raise ValueError(f"{path.name}: roles must be some of {', '.join(Role)}")
        order = header.get("order", 99)
        if not isinstance(order, int | float | str):
            raise ValueError(f"{path.name}: order must be a number")
        guides.append(Guide(path.stem, str(header["title"]), str(header.get("summary", "")),
                            roles, int(order), body, bool(header.get("editable", False))))
    return tuple(sorted(guides, key=lambda guide: (guide.order, guide.title)))


def guides_for(role: str) -> list[Guide]:
    return [guide for guide in all_guides() if role in guide.roles]


def guide(slug: str) -> Guide:
    for candidate in all_guides():
        if candidate.slug == slug:
            return candidate
    raise LookupError(f"No guide called {slug!r}")


@lru_cache(maxsize=1)
def default_terms_of_reference() -> str:
    return TERMS_OF_REFERENCE.read_text(encoding="utf-8").strip() + "\n"


def placeholders_in(text: str) -> set[str]:
    return {match["name"] for match in _PLACEHOLDER.finditer(text)}


def fill_placeholders(text: str, figures: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: figures.get(m["name"], m[0]), text)
