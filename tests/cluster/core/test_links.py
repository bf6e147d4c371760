"""Record addresses: the page and parameter a paper's link names are the ones the views answer."""

from __future__ import annotations

import pytest

from cluster.core.links import ADDRESSES, Record, record_link, record_path
from toolkit.registry import VIEWS


def test_no_public_address_means_no_link(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLUSTER_BASE_URL", raising=False)
    assert record_link(Record.REQUEST, 105) is None
    assert record_path(Record.REQUEST, 105) == "/request?request=105"


def test_a_link_is_the_public_address_and_the_records_page(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_BASE_URL", "https://toolkit.example.sch.uk/")
    assert record_link(Record.MEETING, 12) == "https://toolkit.example.sch.uk/papers?meeting=12"
    assert record_link(Record.REVIEW, 7) == "https://toolkit.example.sch.uk/our-reviews?review=7"


def test_a_public_address_without_its_scheme_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_BASE_URL", "toolkit.example.sch.uk")
    with pytest.raises(ValueError, match="must start with https://"):
        record_link(Record.REQUEST, 1)


def test_every_records_page_is_a_view() -> None:
    pages = {view.url_path for view in VIEWS}
    assert {page for page, _ in ADDRESSES.values()} <= pages
