"""The words check: one word, one meaning. A figure's label carries its own glossary word and no
other, and no view or component writes a glossary word into a label of its own (so two screens
can never call two different figures "received")."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from cluster.common.glossary import glossary, label, meaning

ROOT = Path(__file__).resolve().parents[2]
SCREENS = sorted([*ROOT.glob("toolkit/views/**/*.py"), *ROOT.glob("toolkit/components/*.py")])


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


def _label_texts(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Strings a screen shows as a label: a metric's or heading's first argument, a table's
    column (a dict key), a chart's axis title, and a (measure, pence) pair's measure."""
    for node in ast.walk(tree):
        texts: list[ast.expr] = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"metric", "subheader", "header"} and node.args:
                texts.append(node.args[0])
            texts += [k.value for k in node.keywords if k.arg and k.arg.endswith("title")]
        elif isinstance(node, ast.Dict):
            texts += [key for key in node.keys if key is not None]
        elif (isinstance(node, ast.Tuple) and len(node.elts) == 2
              and isinstance(node.elts[1], ast.Attribute) and node.elts[1].attr.endswith("pence")):
            texts.append(node.elts[0])
        for text in texts:
            yield from _constants(text)


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


def test_the_check_catches_two_figures_called_received() -> None:
    """Finance's "Received this year" and a second screen's own "Received in 2026/27" (a different
    figure): the second is caught, whichever screen it is on."""
    planted = 'first.metric(f"Received in {year}", money)\nrows = [{"Received": 1}]\n'
    found = [text for _, text in _label_texts(ast.parse(planted))
             if glossary().words_in(text)]
    assert found == ["Received in ", "Received"]
