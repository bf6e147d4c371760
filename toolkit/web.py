"""The toolkit's own web routes, served beside Streamlit's by `server.py`.

A Streamlit page talks to the browser over a websocket, so it cannot set a cookie; these two
routes can. Signing in hands the page a one-time code, which the browser posts to `START_PATH`
and gets back the sign-in cookie (HttpOnly, SameSite=Strict, Secure over https; the token itself
is never in a page or an address). Signing out posts to `END_PATH`, which ends the session the
cookie names and deletes the cookie. Both refuse a request from another site.
"""

from __future__ import annotations

import ast
import gc
import importlib
import json
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cluster.common.pupil_names import english_words, name_lists
from cluster.people.sessions import absolute_limit, end_session_by_token, trade_code
from toolkit.engine import engine

COOKIE = "cluster_session"
START_PATH = "/session/start"
END_PATH = "/session/end"
# Sent by our own page's script: another site's page cannot add a header to a request here
# without the browser first asking this server, which never says yes.
HEADER = "X-Cluster-Session"

_served = {"routes": False}


def routes() -> list[Route]:
    """For `server.py`: the routes, noting that this process serves them (the sign-in page then
    hands the browser its cookie; under a bare `streamlit run streamlit_app.py` it cannot)."""
    _served["routes"] = True
    return [Route(START_PATH, start, methods=["POST"]), Route(END_PATH, end, methods=["POST"])]


def routes_served() -> bool:
    return _served["routes"]


def _modules_views_import() -> set[str]:
    """The modules the views import at their top (the views are scripts Streamlit runs, so they
    cannot be imported themselves)."""
    from toolkit.registry import PROJECT_ROOT, VIEWS

    names: set[str] = set()
    for view in VIEWS:
        tree = ast.parse((PROJECT_ROOT / view.path).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    return names


def _import_what_pages_use() -> None:
    import toolkit.components
    import toolkit.documents

    for package in (toolkit.components, toolkit.documents):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    for name in sorted(_modules_views_import()):
        importlib.import_module(name)
    # The names check's lists (Faker's, eleven locales): read on the first save of any text, that
    # person's save took a third of a second longer, holding the import lock.
    name_lists()
    english_words()
    # What is loaded now lives as long as the server. Streamlit runs a full garbage collection
    # after every page (see .streamlit/config.toml), and each one walked these 300,000 objects
    # holding the interpreter's lock for 0.4 s: with 20 people, the server did little else.
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def warm_up(_app: Any) -> AsyncIterator[None]:
    """Imports the charting, document and statistics libraries (altair, pandas, openpyxl, fpdf2,
    python-docx, statsmodels) and every module a view imports before the first person arrives.
    Left to the first page that needs them, the import ran inside that person's page and held
    Python's import lock: on a busy machine every other person opening a page that needs them
    waited behind it for tens of seconds (seen in thread dumps under `bench.browsers`: Finance's
    statsmodels import still running 30 s into the run, five pages queued behind it)."""
    await run_in_threadpool(_import_what_pages_use)
    yield


def _from_this_site(request: Request) -> bool:
    if request.headers.get(HEADER) != "1":
        return False
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # browsers send it on every POST a page makes; its absence is a tool's call
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded == "https"


async def start(request: Request) -> Response:
    if not _from_this_site(request):
        return JSONResponse({"signed_in": False}, status_code=403)
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = {}
    code = str(body.get("code", "")) if isinstance(body, dict) else ""
    token = await run_in_threadpool(trade_code, engine(), code)
    if token is None:
        return JSONResponse({"signed_in": False}, status_code=403)
    response = JSONResponse({"signed_in": True})
    response.set_cookie(COOKIE, token, max_age=int(absolute_limit().total_seconds()),
                        path="/", secure=_secure(request), httponly=True, samesite="strict")
    response.headers["Cache-Control"] = "no-store"
    return response


async def end(request: Request) -> Response:
    if not _from_this_site(request):
        return JSONResponse({"signed_out": False}, status_code=403)
    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(end_session_by_token, engine(), token)
    response = JSONResponse({"signed_out": True})
    response.delete_cookie(COOKIE, path="/", secure=_secure(request), httponly=True,
                           samesite="strict")
    response.headers["Cache-Control"] = "no-store"
    return response
