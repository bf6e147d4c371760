"""Every download names a school, a meeting or a year by one rule."""

from __future__ import annotations

import pytest

from cluster.common.file_names import file_slug


@pytest.mark.parametrize(("text", "slug"), [
    ("Swannington St Margaret's CE", "swannington-st-margaret-s-ce"),
    ("Foulsham and Lyng CE Primary", "foulsham-and-lyng-ce-primary"),
    ("2026/27", "2026-27"),
    ("Spring 1", "spring-1"),
    ("  Wensum Valley Cluster, library  ", "wensum-valley-cluster-library"),
    ("la_adviser", "la-adviser"),
    ("École Saint-Jean", "école-saint-jean"),
])
def test_a_name_becomes_lower_case_words_joined_by_single_hyphens(text: str, slug: str) -> None:
    assert file_slug(text) == slug
