"""The server's start: what it loads before the first person arrives, and how it runs each
person's pages, so many people at once do not wait on each other."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from toolkit.registry import PROJECT_ROOT

WARM_UP = """
import gc, sys
from toolkit.web import _import_what_pages_use, _modules_views_import
_import_what_pages_use()
missing = sorted(name for name in _modules_views_import() if name not in sys.modules)
from cluster.common.pupil_names import name_lists
print(len(missing), gc.get_freeze_count(), name_lists.cache_info().currsize)
"""


def test_the_server_loads_every_module_a_view_imports_before_anyone_arrives() -> None:
    """Finance imports statsmodels; left to the first person who opened it, every other page
    needing it queued behind that import."""
    done = subprocess.run([sys.executable, "-c", WARM_UP], cwd=PROJECT_ROOT, check=True,
                          capture_output=True, text=True, timeout=600)
    missing, frozen, name_lists_loaded = (int(word) for word in done.stdout.split())
    assert missing == 0
    assert name_lists_loaded == 1  # the first text saved does not wait for Faker's lists
    assert "cluster.reporting.moderation" in subprocess.run(
        [sys.executable, "-c", "from toolkit.web import _modules_views_import as m; "
         "print(sorted(m()))"], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True,
        timeout=120).stdout
    assert frozen > 100_000  # what was loaded is out of every later collection's sight


def test_a_person_has_one_run_of_their_page_at_a_time_and_no_full_collection_after_it() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["runner"] == {"fastReruns": False, "postScriptGC": False}
