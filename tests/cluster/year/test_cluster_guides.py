"""The guides a cluster may reword (FAQ 12 and 23): the LA's default until the host saves, the
cluster's wording after, the toolkit's own guides not rewordable, and only the host saves."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from cluster.common.content import guide
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.year.cluster_guides import guide_text, save_guide
from tests.helpers.actors import actor

BARRIERS = "overcoming-barriers-to-learning"


def test_the_las_guides_name_the_services_the_faq_names() -> None:
    support = guide("where-to-go-for-support")
    assert support.editable and guide(BARRIERS).editable
    for service in ("Educational psychology", "Learning support", "Sensory support"):
        assert service in support.body_md
    assert not guide("running-a-meeting").editable


def test_a_cluster_reads_the_las_wording_until_its_host_saves_its_own(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    default = guide_text(demo_copy, actor(demo_copy, "governor"), BARRIERS)
    assert default.is_default and default.body_md == guide(BARRIERS).body_md
    save_guide(demo_copy, host, BARRIERS, "Our cluster's own wording.\n", expected_version=0)
    mine = guide_text(demo_copy, actor(demo_copy, "senco.ap"), BARRIERS)
    assert (mine.body_md, mine.is_default) == ("Our cluster's own wording.\n", False)
    other = guide_text(demo_copy, actor(demo_copy, "la.adviser"), BARRIERS, cluster_id=2)
    assert other.is_default  # another cluster still reads the LA's wording
    with pytest.raises(StaleEdit):
        save_guide(demo_copy, host, BARRIERS, "Again.\n", expected_version=0)


def test_only_the_host_saves_and_only_an_editable_guide(demo_copy: Engine) -> None:
    with pytest.raises(NotAllowed):
        save_guide(demo_copy, actor(demo_copy, "senco.ap"), BARRIERS, "Text.\n",
                   expected_version=0)
    with pytest.raises(InvalidInput, match="cannot be reworded"):
        save_guide(demo_copy, actor(demo_copy, "host"), "running-a-meeting", "Text.\n",
                   expected_version=0)
    with pytest.raises(InvalidInput, match="cannot be empty"):
        save_guide(demo_copy, actor(demo_copy, "host"), BARRIERS, "  ", expected_version=0)
