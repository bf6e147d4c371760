"""The record of issued papers on both databases: the bytes come back exactly as stored (a PDF
holds NUL bytes and binary streams), with their SHA-256; a new version is numbered on and the
old one stays readable."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.models import Cluster, Meeting
from cluster.papers.record import latest_version, store, stored, versions

PDF_LIKE = b"%PDF-1.7\n\x00\x01\xff binary stream \x00 end"


def _meeting(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        cluster = Cluster(name="Test Cluster", la_code="926", la_name="Norfolk",
                          funded_since=date(2012, 9, 1))
        session.add(cluster)
        session.flush()
        meeting = Meeting(cluster_id=cluster.id or 0, academic_year=2026, half_term="Spring 1",
                          held_on=date(2027, 1, 20))
        session.add(meeting)
        session.commit()
        return cluster.id or 0, meeting.id or 0


def test_stored_bytes_come_back_exactly_and_versions_are_kept(engine: Engine) -> None:
    cluster_id, meeting_id = _meeting(engine)
    with Session(engine) as session:
        assert stored(session, meeting_id, "minutes", "", "pdf") is None
        first = store(session, cluster_id=cluster_id, meeting_id=meeting_id, kind="minutes",
                      edition="", files={"pdf": ("minutes.pdf", PDF_LIKE),
                                         "docx": ("minutes.docx", b"PK\x03\x04word")},
                      occasion="minutes_approved", issued_by="Sam Hardy")
        second = store(session, cluster_id=cluster_id, meeting_id=meeting_id, kind="minutes",
                       edition="", files={"pdf": ("minutes.pdf", PDF_LIKE + b"v2")},
                       occasion="amendment", issued_by="Sam Hardy", reason="Typo in item 5.")
        session.commit()
    assert (first, second) == (1, 2)
    with Session(engine) as session:
        newest = stored(session, meeting_id, "minutes", "", "pdf")
        original = stored(session, meeting_id, "minutes", "", "pdf", version=1)
        assert newest is not None and original is not None
        assert original.content == PDF_LIKE
        assert original.about.sha256 == hashlib.sha256(PDF_LIKE).hexdigest()
        assert newest.about.version == 2 and newest.about.reason == "Typo in item 5."
        assert latest_version(session, meeting_id, "minutes", "") == 2
        assert [(v.version, v.file_format) for v in versions(session, meeting_id, "minutes",
                                                                "")] == \
            [(2, "pdf"), (1, "docx"), (1, "pdf")]
