"""The record of papers as issued: each file's bytes and SHA-256, stored once, never changed.

A paper is issued when its moment comes (the caller decides when: papers-out, confirmation,
approved minutes); a download afterwards serves the stored bytes, so the paper reads the same
whatever changes later. A correction is an amendment: a new version with its reason, stored
beside the old one, which is kept and listed. These functions take the caller's session, so a
paper is stored in the same transaction as the act that issues it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from cluster.core.clock import now, today
from cluster.models import IssuedPaper


@dataclass(frozen=True)
class PaperVersion:
    """One issued version of a paper, without its bytes: what a list of versions shows."""

    version: int
    file_format: str
    file_name: str
    sha256: str
    size_bytes: int
    issued_on: date
    issued_at: datetime
    issued_by: str
    occasion: str
    reason: str


@dataclass(frozen=True)
class StoredPaper:
    """A paper's file exactly as issued."""

    about: PaperVersion
    content: bytes


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _version(row: IssuedPaper) -> PaperVersion:
    return PaperVersion(row.version, row.file_format, row.file_name, row.sha256, row.size_bytes,
                        row.issued_on, row.issued_at, row.issued_by, row.occasion, row.reason)


def latest_version(session: Session, meeting_id: int, kind: str, edition: str) -> int:
    """The newest version number issued (0: not issued yet)."""
    found = session.exec(select(func.max(IssuedPaper.version)).where(
        IssuedPaper.meeting_id == meeting_id, IssuedPaper.kind == kind,
        IssuedPaper.edition == edition)).one()
    return int(found or 0)


def store(session: Session, *, cluster_id: int, meeting_id: int, kind: str, edition: str,
          files: Mapping[str, tuple[str, bytes]], occasion: str, issued_by: str,
          reason: str = "", shown_figures: Collection[str] | None = None,
          figures: Mapping[str, Any] | None = None) -> int:
    """Stores one version of a paper in each format given ({format: (file name, bytes)}) and
    returns its version number: 1 the first time, the next number for an amendment.
    `shown_figures`: the names of the disclosure figures the paper shows, where it has some;
    `figures`: the paper's disclosure figures themselves (`FigureSet.to_stored`), on every
    format of the version."""
    version = latest_version(session, meeting_id, kind, edition) + 1
    for file_format, (file_name, content) in files.items():
        session.add(IssuedPaper(
            cluster_id=cluster_id, meeting_id=meeting_id, kind=kind, edition=edition,
            file_format=file_format, version=version, occasion=occasion, reason=reason,
            file_name=file_name, sha256=sha256_of(content), size_bytes=len(content),
            content=content, issued_at=now(), issued_on=today(), issued_by=issued_by,
            shown_figures=None if shown_figures is None else sorted(shown_figures),
            figures=None if figures is None else dict(figures)))
    session.flush()
    return version


def stored(session: Session, meeting_id: int, kind: str, edition: str, file_format: str,
           version: int | None = None) -> StoredPaper | None:
    """The issued file (the newest version unless one is named), or None if never issued."""
    query = select(IssuedPaper).where(
        IssuedPaper.meeting_id == meeting_id, IssuedPaper.kind == kind,
        IssuedPaper.edition == edition, IssuedPaper.file_format == file_format)
    if version is not None:
        query = query.where(IssuedPaper.version == version)
    row = session.exec(query.order_by(col(IssuedPaper.version).desc()).limit(1)).first()
    return None if row is None else StoredPaper(_version(row), bytes(row.content))


def versions(session: Session, meeting_id: int, kind: str,
             edition: str) -> tuple[PaperVersion, ...]:
    """Every issued version of a paper in every format, newest first."""
    rows = session.exec(select(IssuedPaper).where(
        IssuedPaper.meeting_id == meeting_id, IssuedPaper.kind == kind,
        IssuedPaper.edition == edition).order_by(col(IssuedPaper.version).desc(),
                                                 col(IssuedPaper.file_format))).all()
    return tuple(_version(r) for r in rows)


def shown_when_issued(session: Session, meeting_id: int, kind: str,
                      edition: str) -> frozenset[str] | None:
    """The disclosure figures any issued version of a paper showed (a reader may hold every
    version), or None when none is issued or none recorded them."""
    rows = session.exec(select(IssuedPaper.shown_figures).where(
        IssuedPaper.meeting_id == meeting_id, IssuedPaper.kind == kind,
        IssuedPaper.edition == edition)).all()
    recorded = [names for names in rows if names is not None]
    return frozenset(n for names in recorded for n in names) if recorded else None


def figures_when_issued(session: Session, meeting_id: int, kind: str,
                        edition: str) -> list[tuple[int, dict[str, Any] | None]]:
    """Each issued version's stored disclosure figures, oldest first (None for a version that
    did not record them); empty when the paper is not issued."""
    rows = session.exec(select(IssuedPaper.version, IssuedPaper.figures).where(
        IssuedPaper.meeting_id == meeting_id, IssuedPaper.kind == kind,
        IssuedPaper.edition == edition).order_by(col(IssuedPaper.version))).all()
    by_version: dict[int, dict[str, Any] | None] = {}
    for version, figures in rows:  # a version's formats carry the same figures
        if by_version.get(version) is None:
            by_version[version] = None if figures is None else dict(figures)
    return sorted(by_version.items())
