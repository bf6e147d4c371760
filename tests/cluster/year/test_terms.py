"""Terms of reference: the toolkit's default until the host saves the cluster's own; stale-safe."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.models import AuditEvent
from cluster.year.terms import save_terms_of_reference, terms_of_reference
from tests.helpers.actors import actor

DEFAULT = "## Terms of reference\n\nThe toolkit's wording.\n"


@pytest.mark.parametrize("username", ["host", "senco.ap", "governor", "la.adviser"])
def test_everyone_reads_the_default_until_the_host_saves(demo_engine: Engine,
                                                         username: str) -> None:
    terms = terms_of_reference(demo_engine, actor(demo_engine, username), DEFAULT)
    assert (terms.body_md, terms.is_default, terms.version) == (DEFAULT, True, 0)
    assert terms.cluster_name == "Wensum Valley Cluster"


def test_the_host_saves_the_clusters_own_terms_and_everyone_reads_them(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    first = save_terms_of_reference(demo_engine, host, "Our terms v1", expected_version=0)
    second = save_terms_of_reference(demo_engine, host, "Our terms v2",
                                     expected_version=first.version)
    read = terms_of_reference(demo_engine, actor(demo_engine, "governor"), DEFAULT)
    assert (read.body_md, read.is_default, read.version) == ("Our terms v2", False, second.version)
    assert read.updated_on is not None
    with Session(demo_engine) as session:
        events = session.exec(select(AuditEvent).where(
            AuditEvent.action == "save_terms_of_reference")).all()
    assert len(events) == 2 and all(e.after == {"body_md": "(text changed)"} for e in events)


def test_a_stale_save_is_refused_and_keeps_the_deputys_text(demo_engine: Engine) -> None:
    host, deputy = actor(demo_engine, "host"), actor(demo_engine, "deputy")
    drawn = terms_of_reference(demo_engine, host, DEFAULT)
    save_terms_of_reference(demo_engine, deputy, "The deputy's terms",
                            expected_version=drawn.version)
    with pytest.raises(StaleEdit, match="deputy"):
        save_terms_of_reference(demo_engine, host, "The host's terms",
                                expected_version=drawn.version)
    assert terms_of_reference(demo_engine, host, DEFAULT).body_md == "The deputy's terms"


@pytest.mark.parametrize("username", ["senco.ap", "governor", "la.adviser"])
def test_only_the_host_edits_the_terms(demo_engine: Engine, username: str) -> None:
    with pytest.raises(NotAllowed):
        save_terms_of_reference(demo_engine, actor(demo_engine, username), "Ours",
                                expected_version=0)


def test_empty_terms_are_refused(demo_engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="cannot be empty"):
        save_terms_of_reference(demo_engine, actor(demo_engine, "host"), "  \n",
                                expected_version=0)
