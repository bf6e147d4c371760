"""The need score, computed by hand from the default matrix, and the band table."""

from __future__ import annotations

import pytest

from cluster.requests.need_score import (
    EXAMPLE_BANDS,
    Band,
    NeedInputs,
    NeedMatrix,
    NeedScore,
    PupilStatus,
    matrix_problems,
    score,
    score_text,
)

C_AND_L = "Cognition and learning"


def inputs(**changes: object) -> NeedInputs:
    values: dict[str, object] = dict(
        kind="individual", main_area=C_AND_L, severity={C_AND_L: 3},
        pupils=[PupilStatus("ehc_plan")], pupils_helped=1, review_cycles=2,
        recent_assessment=True, school_prevalence=0.18, cluster_prevalence=0.15)
    values.update(changes)
    return NeedInputs(**values)  # type: ignore[arg-type]  # generated values


def parts(result: NeedScore) -> dict[str, float]:
    return {part.part: part.points for part in result.parts}


def test_the_default_matrix_adds_up_to_ten() -> None:
    assert NeedMatrix().maximum == 10.0


def test_a_request_scored_by_hand() -> None:
    result = score(inputs(), NeedMatrix())
    # severity 3/4 × 4 = 3; area 1; EHC plan 1.5; one pupil 0; two cycles 1 + assessment 0.5;
    # prevalence 18% against 15% is 1.2 × the cluster's: 0.5 + 0.2 = 0.7
    assert parts(result) == {"Severity": 3.0, "Area of need": 1.0, "SEN status": 1.5,
                             "Pupils helped": 0.0, "Graduated approach": 1.5,
                             "School context": 0.7}
    assert result.total == 7.7 and result.out_of == 10.0
    assert "band 3 of 4" in result.parts[0].why


def test_a_group_averages_status_and_earns_points_for_pupils_helped() -> None:
    pupils = [PupilStatus("sen_support"), PupilStatus("sen_support", True),
              PupilStatus("ehc_plan"), PupilStatus("sen_support")]
    result = score(inputs(kind="group", pupils=pupils, pupils_helped=4), NeedMatrix())
    assert parts(result)["SEN status"] == round((0.5 + 1.0 + 1.5 + 0.5) / 4, 2)
    assert parts(result)["Pupils helped"] == 0.6  # (4 - 1) / (6 - 1)


def test_a_sudden_medical_need_is_not_marked_down_for_missing_review_cycles() -> None:
    medical = score(inputs(kind="medical", review_cycles=0, recent_assessment=False), NeedMatrix())
    individual = score(inputs(review_cycles=0, recent_assessment=False), NeedMatrix())
    assert parts(medical)["Graduated approach"] == 1.0
    assert parts(individual)["Graduated approach"] == 0.0


@pytest.mark.parametrize(("school", "cluster", "points"), [
    (0.15, 0.15, 0.5), (0.225, 0.15, 1.0), (0.30, 0.15, 1.0), (0.075, 0.15, 0.0),
    (None, 0.15, 0.5)])
def test_school_context_compares_prevalence_with_the_cluster(school: float | None, cluster: float,
                                                             points: float) -> None:
    result = score(inputs(school_prevalence=school, cluster_prevalence=cluster), NeedMatrix())
    assert parts(result)["School context"] == points


def test_the_cluster_can_weight_an_area() -> None:
    matrix = NeedMatrix(area_points={C_AND_L: 0.5, "Social, emotional and mental health": 1.0})
    assert parts(score(inputs(), matrix))["Area of need"] == 0.5


def test_bands_show_the_band_and_its_typical_value() -> None:
    matrix = NeedMatrix(bands=EXAMPLE_BANDS)
    result = score(inputs(severity={C_AND_L: 3, "Communication and interaction": 2,
                                    "Social, emotional and mental health": 2}), matrix)
    assert result.band is not None
    assert (result.band.label, result.band.typical_pence, result.band.area_total) == \
        ("Band 3", 600_000, 7)
    assert score(inputs(), NeedMatrix()).band is None


def test_the_parts_survive_the_json_column() -> None:
    result = score(inputs(), NeedMatrix(bands=EXAMPLE_BANDS))
    assert NeedScore.from_json(result.to_json()) == result
    matrix = NeedMatrix(bands=EXAMPLE_BANDS, severity_points=3.0)
    assert NeedMatrix.from_json(matrix.to_json()) == matrix
    assert NeedMatrix.from_json({"severity_points": 5}).pupils_points == 1.0


def test_a_host_is_told_what_is_wrong_with_a_matrix() -> None:
    bad = NeedMatrix(severity_points=12, bands=(Band("B", 5, 100), Band("A", 3, 100)))
    fields = [field for field, _ in matrix_problems(bad)]
    assert "Severity points" in fields and "Band table" in fields
    assert matrix_problems(NeedMatrix(bands=EXAMPLE_BANDS)) == []


def test_a_need_score_reads_to_one_decimal_place_everywhere() -> None:
    """The requests list showed "6" beside "6.6": every screen and paper now writes the score to
    the one decimal place it is worked out to."""
    assert score_text(6.0) == "6.0"
    assert score_text(7.8) == "7.8"
    assert score_text(None) == "—"
    assert score_text(None, missing="not scored") == "not scored"
