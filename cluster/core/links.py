"""The address of a record in the toolkit, for papers and letters to carry and for the views
to answer: the toolkit page that shows the record, and the query parameter that names it.

The views read the same parameter (`toolkit/components/addresses.py`), so a link printed in a
paper opens the record it names, once signed in, for anyone whose role may see it.
"""

from __future__ import annotations

from enum import StrEnum

from cluster.core.settings import base_url


class Record(StrEnum):
    REQUEST = "request"
    MEETING = "meeting"  # its papers, minutes and letters: the page every role may open
    REVIEW = "review"  # the school's page for the review (letters and packs go to schools)


# record: (the page's address, the parameter naming the record). The pages' addresses are the
# url_paths of toolkit/registry.py (a test checks they match).
ADDRESSES: dict[Record, tuple[str, str]] = {
    Record.REQUEST: ("request", "request"),
    Record.MEETING: ("papers", "meeting"),
    Record.REVIEW: ("our-reviews", "review"),
}


def record_path(record: Record, record_id: int) -> str:
    page, parameter = ADDRESSES[record]
    return f"/{page}?{parameter}={record_id}"


def record_link(record: Record, record_id: int) -> str | None:
    """The full address to print, or None when the toolkit's public address is not set
    (`CLUSTER_BASE_URL`): a paper then carries no link rather than one that leads nowhere."""
    base = base_url()
    return None if base is None else base + record_path(record, record_id)
