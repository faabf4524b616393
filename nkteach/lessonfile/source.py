"""The one walk over lesson source: which calls are exercises, and their literal arguments.

Sealing (the student build), the lesson items, the lesson checker, the nbgrader export and the
gradebook all find exercise calls here, so one rule decides what an exercise call is: a call
whose function is named like a kind in :data:`~nkteach.lessonfile.kinds.KINDS` (``ex.numeric(...)``,
``numeric(...)``).
"""
from __future__ import annotations

import ast
import re
from typing import Any
from collections.abc import Iterator

from ..validation import InvalidArgumentError
from .kinds import KINDS
from .reader import cell_source

__all__ = ["SourceError", "ipython_safe", "func_name", "exercise_calls", "calls", "notebook_calls",
           "literal", "call_ex_id", "call_arg", "call_kwargs", "call_values", "secret_values"]

_MAGIC = re.compile(r"^(\s*)[%!]", re.M)


class SourceError(InvalidArgumentError):
    """An exercise call whose arguments are not literals where a literal is needed."""


def ipython_safe(src: str) -> str:
    """Turn IPython-only lines (%magic, !shell) into comments of the same length for ast."""
    return _MAGIC.sub(r"\1#", src)


def func_name(call: ast.Call) -> str | None:
    """The exercise constructor a call names (``ex.numeric(...)`` → "numeric"), else None."""
    f = call.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    return name if name in KINDS else None


def exercise_calls(src: str) -> Iterator[ast.Call]:
    """Every exercise call in a code cell's source (ast.Call nodes, walk order); SyntaxError if
    the cell does not parse."""
    for node in ast.walk(ast.parse(ipython_safe(src))):
        if isinstance(node, ast.Call) and func_name(node):
            yield node


def calls(src: str) -> list[tuple[str, ast.Call]]:
    """(kind name, call) of every exercise call of a code cell in source order, less a bare
    ``written(...)`` (lessons call it ``ex.written``); [] when the cell does not parse."""
    try:
        found = list(exercise_calls(src))
    except SyntaxError:
        return []
    out = [(func_name(n), n) for n in found if isinstance(n.func, ast.Attribute) or func_name(n) != "written"]
    return sorted(out, key=lambda c: (c[1].lineno, c[1].col_offset))


def notebook_calls(nb: dict) -> Iterator[tuple[int, str, Any, ast.Call]]:
    """(cell index, kind name, literal ex_id or None, call) for every exercise call in the
    notebook's code cells, in order; cells that do not parse are skipped."""
    for i, c in enumerate(nb.get("cells", [])):
        if c.get("cell_type") != "code":
            continue
        try:
            found = list(exercise_calls(cell_source(c)))
        except SyntaxError:
            continue
        for call in sorted(found, key=lambda n: (n.lineno, n.col_offset)):
            yield i, func_name(call), call_ex_id(call), call


_BIN = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
        ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}


def literal(node: ast.AST, what: str):
    """literal_eval plus plain arithmetic (e.g. ``answer=677 / 1372 * 100``) and round();
    :class:`SourceError` naming ``what`` for anything else."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
        return _BIN[type(node.op)](literal(node.left, what), literal(node.right, what))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -literal(node.operand, what)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round":
        return round(*[literal(a, what) for a in node.args])
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise SourceError(f"cannot seal {what}: it must be a literal (a string, number or list), "
                          f"got `{ast.unparse(node)[:80]}`") from None


def call_arg(call: ast.Call, pos: int, name: str) -> ast.AST | None:
    """The node of parameter ``name``, given at position ``pos`` or as a keyword, else None."""
    if len(call.args) > pos:
        return call.args[pos]
    return next((k.value for k in call.keywords if k.arg == name), None)


def call_ex_id(call: ast.Call) -> Any:
    """The literal ex_id of an exercise call (its first argument; for classify, the item ids),
    or None when it is not a literal."""
    node = call_arg(call, 0, "ex_id")
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def call_kwargs(call: ast.Call) -> dict[str, ast.AST]:
    """keyword name → value node (``**kw`` left out)."""
    return {k.arg: k.value for k in call.keywords if k.arg is not None}


def secret_values(call: ast.Call) -> tuple[str, dict[str, Any]] | None:
    """(ex_id, literal values) of what the student build takes out of an exercise call: the
    seal values of a checked kind that has answers, the released keywords of the others
    (written: model_answer=); None when there is nothing to take out (or a per-statement kind,
    whose seals the kernel makes). :class:`SourceError` naming the call when its ex_id or a
    value is not a literal, or a checked call has no ``answer=``: the one rule of "sealable"
    for the student build and the lesson checker."""
    name = func_name(call)
    kind = KINDS[name]
    if kind.per_statement:
        return None
    kws = call_kwargs(call)
    if kind.checked:
        secret_hint = isinstance(kws.get("hint"), ast.Dict)
        if not any(k in kws for k in kind.answers if k != "hint") and not secret_hint:
            return None
        wanted = kind.seal_values
    else:
        if not any(k in kws for k in kind.released):
            return None
        wanted = kind.released
    ex_id = call_ex_id(call)
    if not isinstance(ex_id, str):
        raise SourceError(f"cannot seal {name}(...) at line {call.lineno}: its ex_id must be a string "
                          "literal")
    where = f"{name}({ex_id!r})"
    if kind.checked and "answer" not in kws:
        raise SourceError(f"cannot seal {where}: it has no answer=")
    return ex_id, {k: literal(v, f"{k}= of {where}") for k, v in kws.items() if k in wanted}


def call_values(call: ast.Call, names=None, *, strict: bool = False) -> dict[str, Any]:
    """The literal values of a call's arguments by parameter name (positional parameters named
    after its kind's ``asked``), only ``names`` if given. A value that is not a literal is left
    out, or raises :class:`SourceError` when ``strict``."""
    kind = KINDS[func_name(call)]
    nodes = dict(zip(kind.positional, call.args))
    nodes.update(call_kwargs(call))
    out = {}
    for k, node in nodes.items():
        if names is not None and k not in names:
            continue
        try:
            out[k] = literal(node, f"{k}= of {kind.name}(...)")
        except SourceError:
            if strict:
                raise
    return out
