"""Direct addresses of pupil-level pages, in Debian's Chromium, so that nobody sees what they
shouldn't by typing an address: signed in as a governor, as the LA adviser and as another school's
SENCO, going straight to the addresses of school A's records never shows school A's pupils, and junk
in an address gives a clear message, never a stack trace.

School A is Aylsham Road Primary; its request for the Spring 1 round (papers out 13/01/2027) is
the one asked for. Two ways of going to an address:
- inside the signed-in session, as the browser's back and forward buttons do: the address
  changes and Streamlit runs the page it names (the sidebar is not used, so a page left out of the
  navigation is asked for all the same);
- a fresh load (typing the address) in a browser that has not signed in: the sign-in page and
  nothing else.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from cluster.core.db import make_engine
from cluster.models import ProtectedPupil, RequestPupil, School, SupportRequest
from tests.helpers.browser import DOWNLOAD_WAIT, PASSWORD, serve_app, sign_in, wait_for_rerun

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms: a loaded machine can take a while to rerun the script
SCHOOL_A = "Aylsham Road Primary School"
SCHOOL_B = "Bintree Infant School"  # senco.bi's
# Another school's request before its papers go out: refused as a number never used would be.
NOT_OPEN = "There is no request {} that you can open."
# Changes the address inside the session: Streamlit follows the history like a page link.
GO = """path => {
  window.history.pushState({}, '', path);
  window.dispatchEvent(new PopStateEvent('popstate', {state: {}}));
}"""


@dataclass(frozen=True)
class Demo:
    a_request: int  # school A's request for Spring 1
    a_reference: str  # its pupil's reference
    a_references: frozenset[str]  # every pupil reference school A holds
    all_references: frozenset[str]  # every pupil reference in the cluster
    b_request: int  # school B's (Bintree Infant's) own request for Spring 1
    b_reference: str

    @staticmethod
    def found(references: frozenset[str], text: str) -> list[str]:
        """The references in the text. Not the tail of a longer one ("WV-002" is not inside
        "WV-WV-002"); no boundary asked for after it, as a table's column of references reaches
        the browser run together ("WV-003WV-004")."""
        pattern = r"(?<![A-Z]{2}-)(" + "|".join(map(re.escape, sorted(references))) + r")"
        return sorted(set(re.findall(pattern, text)))


class Sent:
    """Everything the app sends this browser over Streamlit's websocket. A table (st.dataframe)
    is drawn on a canvas, so its cells are in no page text: they are in these frames."""

    def __init__(self, page: Page) -> None:
        self.frames: list[bytes | str] = []
        page.on("websocket", lambda socket: socket.on("framereceived", self.received))

    def received(self, payload: bytes | str) -> None:
        self.frames.append(payload)

    def clear(self) -> None:
        self.frames.clear()

    def text(self) -> str:
        return "".join(f.decode("utf-8", "replace") if isinstance(f, bytes) else f
                       for f in self.frames)


def read_demo(database: Path) -> Demo:
    engine = make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        schools = {name: id_ for id_, name in session.exec(select(School.id, School.name)).all()}

        def submitted(school: str) -> tuple[int, str]:
            request_id = session.exec(select(SupportRequest.id).where(
                SupportRequest.school_id == schools[school],
                SupportRequest.status == "submitted")).one()
            reference = session.exec(select(RequestPupil.reference).where(
                RequestPupil.request_id == request_id)).first()
            assert reference is not None
            return request_id or 0, reference

        (a_request, a_reference), (b_request, b_reference) = submitted(SCHOOL_A), \
            submitted(SCHOOL_B)
        pupils = session.exec(select(RequestPupil.reference, SupportRequest.school_id).join(
            SupportRequest, col(SupportRequest.id) == RequestPupil.request_id)).all()
        protected = session.exec(select(ProtectedPupil.reference, ProtectedPupil.school_id)).all()
    engine.dispose()
    held = [*pupils, *protected]
    return Demo(a_request, a_reference,
                frozenset(r for r, school in held if school == schools[SCHOOL_A]),
                frozenset(r for r, _ in held), b_request, b_reference)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory,
             demo_sqlite_file: Path) -> Iterator[tuple[str, Demo]]:
    """One app for the module: these tests only read, and starting Streamlit takes seconds."""
    folder = tmp_path_factory.mktemp("direct-urls")
    database = folder / "browser.db"
    shutil.copy(demo_sqlite_file, database)
    facts = read_demo(database)
    with serve_app(f"sqlite:///{database}", folder / "streamlit.log") as url:
        yield url, facts


def signed_in(page: Page, url: str, username: str) -> Sent:
    page.set_default_timeout(WAIT)
    sent = Sent(page)
    sign_in(page, url, username, PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible(timeout=WAIT)
    wait_for_rerun(page)
    return sent


def go(page: Page, sent: Sent, path: str) -> None:
    """To the address inside the session. The caller then waits for a sign of that page (its
    heading, its message, or the address Streamlit rewrites), which no earlier visit left on the
    screen: consecutive addresses in the lists below never share one."""
    sent.clear()
    page.evaluate(GO, path)


def turned_away(page: Page, url: str, path: str) -> None:
    """A page outside the role's navigation is never run: its address shows the one refusal
    message every view gives (not Streamlit's "Page not found" and the home page)."""
    expect(page).to_have_url(f"{url}{path}", timeout=WAIT)
    expect(page.get_by_text(re.compile(r"^This page is for: .* You are signed in as "))
           ).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Page not found")).to_have_count(0)


def page_text(page: Page) -> str:
    """The page's text, hidden tabs and expanders included (tables are in `Sent`)."""
    return page.locator("body").text_content() or ""


def shown(references: frozenset[str], page: Page, sent: Sent) -> list[str]:
    """The references on the page or sent to it since the visit began."""
    return sorted({*Demo.found(references, page_text(page)), *Demo.found(references, sent.text())})


def no_trace(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page_text(page)


# Pupil-level pages by address (the papers: the members' pack, or the governors' edition).
PUPIL_LEVEL = ("/request?request={a_request}", "/run-meeting", "/reviews", "/host-requests",
               "/users", "/privacy", "/protected-funding", "/papers")
OPEN_TO = {  # the addresses each reader's role may open; the rest send them home
    "governor": {"/privacy", "/papers"},
    "la.adviser": {"/privacy", "/papers"},
    "senco.bi": {"/request", "/privacy", "/papers"},
}
HEADINGS = {"/privacy": "Privacy and data", "/papers": "Meeting papers"}


@pytest.mark.parametrize("username", sorted(OPEN_TO))
def test_direct_addresses_never_show_school_a_pupils(page: Page, demo_app: tuple[str, Demo],
                                                     username: str) -> None:
    url, facts = demo_app
    # Governors and the LA adviser see no pupil at all; another school none of school A's.
    never = facts.a_references if username == "senco.bi" else facts.all_references
    sent = signed_in(page, url, username)
    problems: list[str] = []
    for template in PUPIL_LEVEL:
        path = template.format(a_request=facts.a_request)
        go(page, sent, path)
        asked = path.split("?")[0]
        forbidden = never
        try:
            if asked not in OPEN_TO[username]:
                turned_away(page, url, path)
            elif asked == "/request":  # another school's request before its papers go out
                expect(page.get_by_text(NOT_OPEN.format(facts.a_request))).to_be_visible(
                    timeout=WAIT)
            else:
                expect(page.get_by_role("heading", name=HEADINGS[asked], exact=True)
                       ).to_be_visible(timeout=WAIT)
            wait_for_rerun(page)
            if asked == "/privacy" and asked in OPEN_TO[username]:
                forbidden = never - subject_access(page, facts.a_reference, username)
            no_trace(page)
            expect(page.get_by_role("heading", name=re.compile(
                rf"^Request {facts.a_request}\b"))).to_have_count(0)
            leaked = shown(forbidden, page, sent)
            assert not leaked, f"pupil references shown: {leaked}"
        except AssertionError as failure:
            problems.append(f"{path}: {str(failure).splitlines()[0]}")
    # A fresh load in a browser that has not signed in: the sign-in page, never the request.
    assert page.context.browser is not None
    stranger = page.context.browser.new_context()
    try:
        fresh = stranger.new_page()
        fresh.set_default_timeout(WAIT)
        seen = Sent(fresh)
        fresh.goto(f"{url}/request?request={facts.a_request}")
        expect(fresh.get_by_label("Username")).to_be_visible(timeout=WAIT)
        wait_for_rerun(fresh)
        no_trace(fresh)
        assert not shown(facts.all_references, fresh, seen)
        expect(fresh.get_by_text("Welcome,")).to_have_count(0)
    finally:
        stranger.close()
    assert not problems, f"{username}:\n" + "\n".join(problems)


def subject_access(page: Page, reference: str, username: str) -> frozenset[str]:
    """Another school searching school A's pupil finds nothing; governors get no search.
    Returns the reference typed: the page says it back ("0 request(s) hold ...")."""
    page.get_by_role("tab", name="Subject-access request").click()
    field = page.get_by_role("textbox", name="The school's reference for the pupil")
    if username != "senco.bi":
        expect(page.get_by_text("answered by the pupil's school")).to_be_visible(timeout=WAIT)
        expect(field).to_have_count(0)
        return frozenset()
    field.fill(reference)
    page.get_by_role("button", name="Find everything held").click()
    expect(page.get_by_text(f"0 request(s) hold {reference}.")).to_be_visible(timeout=WAIT)
    with page.expect_download(timeout=DOWNLOAD_WAIT) as waiting:
        page.get_by_role("button", name="Download the export (JSON)").click()
    export = json.loads(waiting.value.path().read_text(encoding="utf-8"))
    assert export["requests"] == []
    return frozenset({reference})


JUNK = {  # address: the message that must say what is wrong (each differs from the one before)
    "/request?request=abc": "“abc” is not a request number.",
    "/request?request=-1": "“-1” is not a request number.",
    "/request?request=99999999": "There is no request 99999999 that you can open.",
    "/request?request=%C2%B2": "“²” is not a request number.",  # a digit to Python, not to int()
    "/request?request=" + "9" * 30: f"“{'9' * 20}” is not a request number.",  # too big for the DB
    "/request?request=1%20OR%201%3D1": "“1 OR 1=1” is not a request number.",
    "/new-request?edit=abc": "“abc” is not a request number.",
    "/new-request?edit=%C2%B2": "“²” is not a request number.",
}


def test_junk_in_an_address_gives_a_clear_message_not_a_trace(
        page: Page, demo_app: tuple[str, Demo]) -> None:
    url, facts = demo_app
    sent = signed_in(page, url, "senco.bi")
    # The same address with the school's own request number opens it, pupil and all: the
    # address reaches the page inside the session, and the check for references finds them
    # (in the pupils' table, which only the websocket frames show).
    go(page, sent, f"/request?request={facts.b_request}")
    expect(page.get_by_role("heading", name=re.compile(rf"^Request {facts.b_request}: "))
           ).to_be_visible(timeout=WAIT)
    wait_for_rerun(page)
    assert shown(facts.all_references, page, sent) == [facts.b_reference]
    problems: list[str] = []
    for path, message in JUNK.items():
        go(page, sent, path)
        try:
            expect(page.get_by_test_id("stAlertContentError").filter(
                has_text=message)).to_be_visible(timeout=WAIT)
            wait_for_rerun(page)
            no_trace(page)
        except AssertionError as failure:
            problems.append(f"{path}: {str(failure).splitlines()[0]}")
    go(page, sent, "/guides?guide=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    expect(page.get_by_role("combobox", name="Guide")).to_be_visible(timeout=WAIT)
    wait_for_rerun(page)
    no_trace(page)
    assert not problems, "\n".join(problems)
