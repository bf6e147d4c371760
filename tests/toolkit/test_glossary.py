"""The words check: one word, one meaning. A figure's label carries its own glossary word and no
other, and no view or component writes a glossary word into a label of its own (so two screens
can never call two different figures "received")."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.glossary import glossary, label, meaning
from cluster.funding.ledger import year_ledger
from cluster.models import Meeting

ROOT = Path(__file__).resolve().parents[2]
SCREENS = sorted([*ROOT.glob("toolkit/views/**/*.py"), *ROOT.glob("toolkit/components/*.py")])
# The engine's modules name figures for the screens too (the ledger's lines, a pot's lines): their
# module constants and (label, pence) pairs are labels. The demo's own data is not.
ENGINE = sorted(path for path in ROOT.glob("cluster/**/*.py") if "demo" not in path.parts)


def test_each_figure_label_carries_its_word_and_no_other() -> None:
    words = glossary()
    for figure in words.figures.values():
        assert figure.word in words.words, figure.name
        assert words.words_in(figure.label) == {figure.word}, figure.name


def test_every_word_has_one_meaning_and_a_figure() -> None:
    words = glossary()
    used = {figure.word for figure in words.figures.values()}
    assert used == set(words.words)
    assert label("awarded_in_year", year="2026/27") == "Awarded in 2026/27"
    assert meaning("received_this_year").startswith("A school's share")


def test_one_label_names_one_figure() -> None:
    """Two figures under one label would be two different figures called by one name."""
    seen: dict[str, str] = {}
    for figure in glossary().figures.values():
        text = figure.label.casefold()
        assert text not in seen, f"{figure.name} and {seen[text]} are both “{figure.label}”"
        seen[text] = figure.name


def test_every_ledger_line_is_a_glossary_label(demo_copy: Engine) -> None:
    """The year's and a round's ledger lines (the papers, minutes, decisions and Finance)."""
    labels = {figure.label for figure in glossary().figures.values()}
    with Session(demo_copy) as session:
        cluster_id = session.exec(select(Meeting.cluster_id)).first() or 0
        ledger = year_ledger(session, cluster_id, 2026)
    lines = [*ledger.lines(), *(line for r in ledger.rounds for line in r.lines())]
    assert lines and {text for text, _ in lines} <= labels
    assert ledger.pot.lines[-1].label == label("emergency_reserve_percent", percent="5")


def _label_texts(tree: ast.AST, *, dict_keys: bool = True) -> Iterator[tuple[int, str]]:
    """Strings a screen shows as a label: a metric's or heading's first argument, a table's
    column (a dict key; an engine's dict keys are data, not columns), a chart's axis title, and
    a (measure, pence) pair's measure."""
    for node in ast.walk(tree):
        texts: list[ast.expr] = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"metric", "subheader", "header"} and node.args:
                texts.append(node.args[0])
            texts += [k.value for k in node.keywords if k.arg and k.arg.endswith("title")]
        elif isinstance(node, ast.Dict) and dict_keys:
            texts += [key for key in node.keys if key is not None]
        elif (isinstance(node, ast.Tuple) and len(node.elts) == 2
              and isinstance(node.elts[1], ast.Attribute) and node.elts[1].attr.endswith("pence")):
            texts.append(node.elts[0])
        for text in texts:
            yield from _constants(text)


def _engine_label_texts(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """An engine module's labels: its module constants in capitals holding a string (the
    ledger's AVAILABLE, LEFT_IN_POT...) and its (measure, pence) pairs."""
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper()):
            yield from _constants(node.value)
    yield from _label_texts(tree, dict_keys=False)


def _constants(node: ast.expr) -> Iterator[tuple[int, str]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            yield from _constants(part)


@pytest.mark.parametrize("screen", SCREENS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_screens_take_glossary_words_from_the_glossary(screen: Path) -> None:
    words = glossary()
    own = [f"line {line}: “{text}” uses {sorted(words.words_in(text))}"
           for line, text in _label_texts(ast.parse(screen.read_text(encoding="utf-8")))
           if words.words_in(text)]
    assert not own, ("label these figures with cluster.common.glossary.label(...):\n"
                     + "\n".join(own))


@pytest.mark.parametrize("module", ENGINE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_engines_figure_labels_come_from_the_glossary(module: Path) -> None:
    words = glossary()
    tree = ast.parse(module.read_text(encoding="utf-8"))
    own = [f"line {line}: “{text}” uses {sorted(words.words_in(text))}"
           for line, text in _engine_label_texts(tree) if words.words_in(text)]
    assert not own, ("label these figures with cluster.common.glossary.label(...):\n"
                     + "\n".join(own))


def test_the_check_catches_a_ledger_line_with_anothers_word() -> None:
    """The ledger once called money an ended award gave back "Returned to the cluster", while
    "returned" labels requests sent back for information: a constant of its own is caught."""
    planted = ('RETURNED = "Returned to the cluster (this year\'s part)"\n'
               'def lines(self):\n    return [("Not yet awarded this year", self.left_pence)]\n')
    found = [text for _, text in _engine_label_texts(ast.parse(planted))
             if glossary().words_in(text)]
    assert found == ["Returned to the cluster (this year's part)", "Not yet awarded this year"]


def test_the_check_catches_two_figures_called_received() -> None:
    """Finance's "Received this year" and a second screen's own "Received in 2026/27" (a different
    figure): the second is caught, whichever screen it is on."""
    planted = 'first.metric(f"Received in {year}", money)\nrows = [{"Received": 1}]\n'
    found = [text for _, text in _label_texts(ast.parse(planted))
             if glossary().words_in(text)]
    assert found == ["Received in ", "Received"]
