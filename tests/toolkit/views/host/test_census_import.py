"""The census and school imports page in AppTest with 20 generated bad files, the page-level check
that a bad file never breaks the page (the service level has 500 of each): the host uploads each one
(census, schools list or LA benchmarks) and presses Import. The page never shows a stack trace; a
refused file says "Nothing was imported" with a table naming each problem's row (or the file); and
no table gains or loses a row. The files are the importer properties' own
(tests/cluster/imports/test_import_hypothesis.py), spoilt: damaged workbooks, garbage, repeated
headers, formula-leading, negative, huge and unicode cells."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from tests.cluster.bad_input import Tally, run_examples, table_counts
from tests.cluster.imports.test_import_hypothesis import (
    BENCHMARK_CELLS,
    BENCHMARK_COLUMNS,
    CENSUS_CELLS,
    CENSUS_COLUMNS,
    SCHOOL_CELLS,
    SCHOOL_COLUMNS,
    benchmark_rows,
    census_rows,
    school_rows,
    upload,
)
from tests.helpers.actors import demo_actor
from tests.toolkit.conftest import APP, ROOT
from toolkit import state

PAGE = str(ROOT / "toolkit/views/host/census_import.py")
EXAMPLES = 20
FILES = (upload(CENSUS_COLUMNS, census_rows, CENSUS_CELLS),
         upload(SCHOOL_COLUMNS, school_rows, SCHOOL_CELLS),
         upload(BENCHMARK_COLUMNS, benchmark_rows, BENCHMARK_CELLS))


def test_20_bad_files_through_the_import_page(demo_database: str) -> None:
    engine = make_engine(demo_database)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.ACTOR] = demo_actor(demo_database, "host")
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    tally = Tally("census import page")

    def body(example: tuple[int, tuple[bytes, str]]) -> None:
        kind, (data, name) = example
        radio = at.radio(key=state.IMPORT_KIND)
        radio.set_value(radio.options[kind]).run()  # census, schools list, LA benchmarks
        at.file_uploader(key=f"{state.IMPORT_FILE}.{kind}").set_value(
            (name, data, "application/octet-stream")).run()
        assert not at.exception, at.exception
        before = table_counts(engine)
        next(b for b in at.button if b.label == "Import").click().run()
        assert not at.exception, at.exception  # a stack trace on the page
        errors = [e.value for e in at.error]
        if not errors:
            tally.accepted += 1
            assert any(s.value.startswith("Imported") for s in at.success), \
                [s.value for s in at.success]
            return
        tally.refused["shown"] += 1
        assert table_counts(engine) == before  # nothing written from a refused file
        assert len(errors) == 1 and errors[0].strip(), errors
        if errors[0].startswith("Nothing was imported"):
            problems = next(frame.value for frame in at.dataframe
                            if list(frame.value.columns) == ["Row", "Column", "Problem"])
            assert isinstance(problems, pd.DataFrame) and len(problems)
            for index, (row, problem) in enumerate(zip(problems["Row"], problems["Problem"],
                                                       strict=True)):
                assert str(problem).strip()
                assert str(row) == "file" or int(row) >= 1  # the spreadsheet's own row number
                if str(row) != "file" and index < 5:  # the message names the first five
                    assert f"Row {row}" in errors[0], errors[0]

    run_examples(tally, st.sampled_from([0, 0, 1, 2]).flatmap(
        lambda kind: st.tuples(st.just(kind), FILES[kind])), body, examples=EXAMPLES)
    engine.dispose()
    assert tally.examples >= EXAMPLES and tally.refused, tally.line()
