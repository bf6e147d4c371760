"""The server log check every served app ends with (tests/helpers/browser.py): a traceback fails
the test, save the page error the test declares."""

from __future__ import annotations

from tests.helpers.browser import tracebacks_in

UNCAUGHT = """2026-12-05 03:50:00.100 Uncaught app execution
Traceback (most recent call last):
sqlite3.OperationalError: no such table: meeting
"""
PAGE_ERROR = """2026-12-05 03:50:00.123 Error reference ERR-2026-0A1B2C: OperationalError on a page
Traceback (most recent call last):
  File "/work/cluster/x.py", line 1, in f
sqlite3.OperationalError: no such table: meeting

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/work/cluster/x.py", line 2, in g
sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such table: meeting
"""
PYARROW = """2026-12-05 03:51:00.001 Serialization of dataframe to Arrow table was unsuccessful.
Traceback (most recent call last):
pyarrow.lib.ArrowTypeError: ('Conversion failed for column For outcome with type object')
"""


def test_a_quiet_log_passes() -> None:
    assert tracebacks_in("2026-12-05 03:50:00 You can now view your Streamlit app\n") == []


def test_any_traceback_fails_with_its_excerpt() -> None:
    found = tracebacks_in(PYARROW)
    assert len(found) == 1 and "Conversion failed for column For outcome" in found[0]
    assert len(tracebacks_in(PAGE_ERROR)) == 1  # an undeclared page error, chained: one excerpt


def test_only_the_declared_page_error_is_let_through() -> None:
    assert tracebacks_in(PAGE_ERROR, r"no such table: meeting") == []
    assert len(tracebacks_in(PAGE_ERROR + PYARROW, r"no such table: meeting")) == 1
    assert len(tracebacks_in(PAGE_ERROR, r"no such table: award")) == 1


def test_streamlits_own_record_of_the_declared_error_goes_with_it() -> None:
    assert tracebacks_in(UNCAUGHT + PAGE_ERROR, r"no such table: meeting") == []
    assert len(tracebacks_in(UNCAUGHT + PYARROW, r"no such table: meeting")) == 2
    assert len(tracebacks_in(UNCAUGHT + PAGE_ERROR)) == 2
