"""One vocabulary for statuses and one for money, checked over every file of the engine and views.

Statuses: every status a row can be in is a `StrEnum` in `cluster/models.py`; anywhere else a
status is named through its enum, so a typo is an error and a new status is found by searching
for its enum. A **status literal** is a string whose whole value is a value of one of
`STATUS_ENUMS` (every enum in models.py named `...Status`, and the review's, award's and decision's
stored words), used where a status is compared, filtered, looked up, written or defined:

1. an operand of a comparison (`==`, `!=`, `in`, `not in`), or an element of a tuple, list or
   set operand, when another operand names a status field;
2. an argument of `.in_(...)` called on a status field, or a key of a dict literal looked up with
   a status field (`{...}.get(x.status)` or `{...}[x.status]`);
3. the value written to a status field (`x.status = ...`, `status=...`, `status: str = ...`),
   dict values excepted: a label map's values are words for the screen;
4. a module constant holding one (`DUE, DRAFTED = "due", "drafted"`): a second definition.

A status field is an expression whose source mentions one of `STATUS_FIELDS`.

Money: integer pence everywhere, pounds only through `cluster/common/money.py`. A **money
conversion** is `* 100`, `/ 100` or `// 100` (either way round) except a percentage (`100 * a / b`,
`a / b * 100`, or a gap or percent times 100), and a **money rounding** is a call of the built-in
`round(...)` whose argument mentions one of `MONEY_WORDS`. Both belong in the money module only.
"""

from __future__ import annotations

import ast
import enum
import functools
import re
import typing
from collections.abc import Iterator
from pathlib import Path

from cluster import models

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("cluster", "toolkit")
MODELS = Path("cluster/models.py")
MONEY_MODULE = Path("cluster/common/money.py")

STATUS_ENUMS: tuple[type[enum.StrEnum], ...] = tuple(
    value for name, value in vars(models).items()
    if isinstance(value, type) and issubclass(value, enum.StrEnum) and value.__module__ ==
    models.__name__ and (name.endswith("Status") or name in
                         {"AwardEnd", "ReviewProgress", "ReviewRecommendation", "DecisionType"}))
STATUS_VALUES = frozenset(str(member) for status in STATUS_ENUMS for member in status)
STATUS_FIELDS = re.compile(r"status|end_reason|progress|recommendation|decision_type", re.I)
MONEY_WORDS = re.compile(r"pence|pound|amount|cost|spend|money|\bpot\b|pot_|_pot", re.I)
PERCENT_WORDS = re.compile(r"gap|percent|pct", re.I)
# The optimiser is pure (no tables): its run's statuses are its own `Literal` types, which mypy
# checks, and `SplitStatus` in models.py names the same values for the engine and views
# (test_the_optimisers_statuses_are_the_split_statuses keeps the two in step).
OWN_VOCABULARY = ("cluster", "optimiser")
# Left for the file's owner to change (the disclosure work owns the dashboard): drop it from here
# when that lands. Named by file and source, so nothing else in the file is let through.
NOT_YET_CHANGED = frozenset({"cluster/outcomes/dashboard.py: round(spend / met)"})


@functools.cache
def _files(root: Path) -> tuple[tuple[Path, ast.Module], ...]:
    return tuple((path.relative_to(root), ast.parse(path.read_text(encoding="utf-8")))
                 for folder in CHECKED for path in sorted((root / folder).rglob("*.py")))


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _mentions_status(node: ast.AST) -> bool:
    return bool(STATUS_FIELDS.search(ast.unparse(node)))


def _strings_in(node: ast.AST, *, skip_dict_values: bool = False) -> Iterator[ast.Constant]:
    """The string constants an expression is made of; a dict's values left out when asked."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.Dict):
        for key in node.keys:
            if key is not None:
                yield from _strings_in(key, skip_dict_values=skip_dict_values)
        if not skip_dict_values:
            for value in node.values:
                yield from _strings_in(value)
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.IfExp, ast.BoolOp)):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                yield from _strings_in(child, skip_dict_values=skip_dict_values)


def _status_positions(tree: ast.Module) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for operand in operands:
                if any(_mentions_status(other) for other in operands if other is not operand):
                    yield from _strings_in(operand)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "in_" and _mentions_status(node.func.value):
                for argument in node.args:
                    yield from _strings_in(argument)
            elif (node.func.attr == "get" and isinstance(node.func.value, ast.Dict)
                  and node.args and _mentions_status(node.args[0])):
                yield from _strings_in(node.func.value, skip_dict_values=True)
        elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict)
              and _mentions_status(node.slice)):
            yield from _strings_in(node.value, skip_dict_values=True)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_mentions_status(target) for target in targets):
                yield from _strings_in(node.value, skip_dict_values=True)
            elif all(_is_constant_name(target) for target in targets) and not isinstance(
                    node.value, ast.Dict):
                yield from _strings_in(node.value)
        elif isinstance(node, ast.keyword) and node.arg and STATUS_FIELDS.search(node.arg):
            yield from _strings_in(node.value, skip_dict_values=True)


def _is_constant_name(target: ast.expr) -> bool:
    if isinstance(target, ast.Tuple):
        return all(_is_constant_name(element) for element in target.elts)
    return isinstance(target, ast.Name) and target.id.isupper()


def status_literals(root: Path = ROOT) -> list[str]:
    """Every status literal outside models.py (and the optimiser, see OWN_VOCABULARY), as
    `path:line: 'value'`."""
    found: set[str] = set()
    for path, tree in _files(root):
        if path == MODELS or path.parts[:2] == OWN_VOCABULARY:
            continue
        for constant in _status_positions(tree):
            if constant.value in STATUS_VALUES:
                found.add(f"{path.as_posix()}:{constant.lineno}: {constant.value!r}")
    return sorted(found)


def _is_hundred(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == 100


def _is_percentage(node: ast.BinOp, parents: dict[ast.AST, ast.AST]) -> bool:
    other = node.right if _is_hundred(node.left) else node.left
    parent = parents.get(node)
    divided_after = (isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Div)
                     and parent.left is node and isinstance(node.op, ast.Mult))
    divided_before = isinstance(other, ast.BinOp) and isinstance(other.op, ast.Div)
    return divided_after or divided_before or bool(PERCENT_WORDS.search(ast.unparse(other)))


def money_arithmetic(root: Path = ROOT) -> list[str]:
    """Every money conversion or rounding outside the money module, as `path:line: source`."""
    found: list[str] = []
    for path, tree in _files(root):
        if path == MONEY_MODULE:
            continue
        parents = _parents(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.BinOp)
                    and isinstance(node.op, (ast.Mult, ast.Div, ast.FloorDiv))
                    and (_is_hundred(node.left) or _is_hundred(node.right))
                    and not _is_percentage(node, parents)):
                found.append(f"{path.as_posix()}:{node.lineno}: {ast.unparse(node)}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id == "round" and node.args
                  and MONEY_WORDS.search(ast.unparse(node.args[0]))):
                found.append(f"{path.as_posix()}:{node.lineno}: {ast.unparse(node)}")
    return [line for line in found if re.sub(r":\d+:", ":", line) not in NOT_YET_CHANGED]


def test_the_status_enums_are_found() -> None:
    names = {status.__name__ for status in STATUS_ENUMS}
    assert {"RequestStatus", "ReviewStatus", "UrgentStatus", "InstalmentStatus",
            "ReconsiderationStatus", "AttendanceStatus", "AwardEnd"} <= names
    assert {"due", "drafted", "agreed", "scheduled", "stopped", "on_agenda"} <= STATUS_VALUES


def test_the_optimisers_statuses_are_the_split_statuses() -> None:
    from cluster.optimiser.highs_model import RunStatus
    from cluster.optimiser.results import Status

    assert set(typing.get_args(RunStatus)) | set(typing.get_args(Status)) == {
        str(s) for s in models.SplitStatus}


def test_no_status_literal_outside_models() -> None:
    assert status_literals() == []


def test_no_money_arithmetic_outside_the_money_module() -> None:
    assert money_arithmetic() == []


def _plant(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_planted_status_literals_are_caught(tmp_path: Path) -> None:
    _plant(tmp_path, "cluster/models.py", 'DUE = "due"\n')
    _plant(tmp_path, "cluster/outcomes/reviews.py", (
        'DUE, DRAFTED = "due", "drafted"\n'                               # 4: a second definition
        'def f(review, rows, u):\n'
        '    if review.status in ("due", "drafted"):\n'                   # 1: compared
        '        review.status = "confirmed"\n'                           # 3: written
        '    rows.where(col(Review.status).in_(("agreed",)))\n'           # 2: filtered
        '    label = {"ratified": "Ratified"}.get(u.status, "")\n'        # 2: looked up
        '    return Review(status="cancelled" if u else "due")\n'))       # 3: keyword
    _plant(tmp_path, "toolkit/views/host/reviews.py",
           'def g(item):\n    return item.status != "drafted"\n')
    assert status_literals(tmp_path) == [
        "cluster/outcomes/reviews.py:1: 'drafted'", "cluster/outcomes/reviews.py:1: 'due'",
        "cluster/outcomes/reviews.py:3: 'drafted'", "cluster/outcomes/reviews.py:3: 'due'",
        "cluster/outcomes/reviews.py:4: 'confirmed'", "cluster/outcomes/reviews.py:5: 'agreed'",
        "cluster/outcomes/reviews.py:6: 'ratified'", "cluster/outcomes/reviews.py:7: 'cancelled'",
        "cluster/outcomes/reviews.py:7: 'due'", "toolkit/views/host/reviews.py:2: 'drafted'",
    ]


def test_words_that_happen_to_match_a_status_are_not_caught(tmp_path: Path) -> None:
    _plant(tmp_path, "cluster/meetings/rules.py", (
        'LABELS = {ReviewStatus.DUE: "due"}\n'            # a label: the screen's word
        'def f(problems, mark):\n'
        '    problems.append(("agreed", "must be whole pounds"))\n'   # a field's name
        '    return "stopped" if mark else "due"\n'))     # a word returned for the screen
    assert status_literals(tmp_path) == []


def test_planted_money_arithmetic_is_caught(tmp_path: Path) -> None:
    _plant(tmp_path, "cluster/meetings/split.py", (
        "def f(award, pounds, share, met, outcomes):\n"
        "    a = pounds * 100\n"
        "    b = award.amount_pence // 100\n"
        "    c = award.amount_pence / 100\n"
        "    d = round(share * award.amount_pence)\n"
        "    e = 100 * met / outcomes\n"          # a percentage: not money
        "    f = round(met / outcomes, 1)\n"))    # not money
    _plant(tmp_path, "cluster/common/money.py", "def g(pounds):\n    return pounds * 100\n")
    assert money_arithmetic(tmp_path) == [
        "cluster/meetings/split.py:2: pounds * 100",
        "cluster/meetings/split.py:3: award.amount_pence // 100",
        "cluster/meetings/split.py:4: award.amount_pence / 100",
        "cluster/meetings/split.py:5: round(share * award.amount_pence)",
    ]
