"""The layer rules of docs/architecture.md (issue 17, /LAYERS), checked on the imports.

Every module of nkteach is read with :mod:`ast` (imports inside functions included) and checked:

1. a module imports only from its own layer or lower ones (:data:`LAYERS`, bottom → top);
2. there is no import cycle between modules;
3. no module imports another module's ``_private`` name.

Old module paths that stay as thin aliases (:data:`ALIASES`) are exempt from rule 1 and count
at their target's layer when imported. Modules that other helpers are moving in parallel and
exempt from the rules would be listed in :data:`PENDING_OTHER_HELPERS`, which is empty: every
rule holds for every module.
"""
from __future__ import annotations

import ast
from pathlib import Path


import nkteach

PKG = Path(nkteach.__file__).resolve().parent

#: The layer table of docs/architecture.md (LAYERS.md of issue 17), bottom → top. A module
#: belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("L0 ground", ("nkteach.validation", "nkteach.markup", "nkteach.outcomes", "nkteach.settings")),
    ("L1 data", ("nkteach.data",)),
    ("L2 naming", ("nkteach.naming",)),
    ("L3 pure builders", ("nkteach.levels", "nkteach.charts", "nkteach.mapkit", "nkteach.maps")),
    ("L4 display", ("nkteach.display",)),
    ("L5 lesson files", ("nkteach.sealing", "nkteach.lessonfile")),
    ("L6 classroom core", ("nkteach.classroom.progress", "nkteach.classroom.submission",
                           "nkteach.classroom")),
    ("L7 widgets", ("nkteach.widgets",)),
    ("L8 exercises", ("nkteach.exercises",)),
    ("L9 editions & grading", ("nkteach.editions", "nkteach.classroom.gradebook", "nkteach.classroom.lms",
                               "nkteach.classroom.regrade", "nkteach.audit",
                               "nkteach.live")),
    ("L10 CLI", ("nkteach.cli", "nkteach.__main__", "nkteach.audit.__main__")),
]

#: Old paths kept as thin aliases → the module they stand for (exempt from the layer rule).
ALIASES: dict[str, str] = {
    "nkteach.progress": "nkteach.classroom.progress",
    "nkteach.submission": "nkteach.classroom.submission",
    "nkteach.gradebook": "nkteach.classroom.gradebook",
    "nkteach.nbgrader_export": "nkteach.editions.nbgrader",
    "nkteach.studentbuild": "nkteach.editions.student",
    "nkteach.lessonitems": "nkteach.lessonfile",
    "nkteach.lessoncheck": "nkteach.lessonfile.check",
    "nkteach.notebooks": "nkteach.lessonfile",
    "nkteach.cli_class": "nkteach.cli.classroom",
}

#: The package façade: ``nkteach/__init__.py`` re-exports the user API and loads the rest lazily.
FACADE = "nkteach"

# Modules exempt from the rules while they are being restructured: none. (Kept as a named, empty
# set so that an exemption, if one is ever needed, is visible in one place.)
PENDING_OTHER_HELPERS: set[str] = set()


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PKG.rglob("*.py"))
                            if "templates" not in p.parts and "static" not in p.parts}


def _resolve(module: str, is_pkg: bool, level: int, target: str | None) -> str:
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def imports_of(module: str) -> list[tuple[str, str | None, int]]:
    """(imported nkteach module, imported name or None, line) for every import in ``module``."""
    path = MODULES[module]
    is_pkg = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.split(".")[0] == "nkteach"]
        elif isinstance(node, ast.ImportFrom):
            src = _resolve(module, is_pkg, node.level, node.module) if node.level else (node.module or "")
            if src.split(".")[0] != "nkteach":
                continue
            for a in node.names:
                sub = f"{src}.{a.name}"
                if sub in MODULES:                  # from . import naming: a module
                    out.append((sub, None, node.lineno))
                else:
                    out.append((src, a.name, node.lineno))
    return out


def layer_of(module: str) -> int | None:
    module = ALIASES.get(module, module)
    best, best_len = None, -1
    for i, (_name, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best_len:
                best, best_len = i, len(p)
    return best


def _known(module: str) -> str:
    while module not in MODULES and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def _violations() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"layer": [], "private": [], "unmapped": []}
    for mod in MODULES:
        if mod == FACADE:
            continue
        mine = layer_of(mod)
        if mine is None:
            found["unmapped"].append(mod)
            continue
        for target, name, line in imports_of(mod):
            target = _known(target)
            if name and name.startswith("_") and not name.startswith("__") and target != mod:
                found["private"].append(f"{mod}:{line} imports {target}.{name}")
            if mod in ALIASES or target == FACADE:
                continue
            theirs = layer_of(target)
            if theirs is not None and theirs > mine:
                found["layer"].append(f"{mod}:{line} ({LAYERS[mine][0]}) imports {target} "
                                      f"({LAYERS[theirs][0]})")
    return found


def _graph() -> dict[str, set[str]]:
    g: dict[str, set[str]] = {m: set() for m in MODULES if m != FACADE}
    for mod in g:
        for target, _name, _line in imports_of(mod):
            t = _known(target)
            if t != mod and t != FACADE and t in g:
                g[mod].add(t)
    return g


def cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    g = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def _pending(line: str) -> bool:
    return line.split(":")[0].split(" ")[0] in PENDING_OTHER_HELPERS


def test_every_module_has_a_layer():
    assert not _violations()["unmapped"], "add these modules to LAYERS (and docs/architecture.md)"


def test_no_module_imports_a_higher_layer():
    bad = [v for v in _violations()["layer"] if not _pending(v)]
    assert not bad, "\n".join(bad)


def test_no_module_imports_another_modules_private_name():
    bad = [v for v in _violations()["private"] if not _pending(v)]
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    bad = [c for c in cycles() if not set(c) <= PENDING_OTHER_HELPERS]
    assert not bad, bad


def test_the_checker_sees_function_level_and_relative_imports():
    # levels.graph() imports nkteach.data inside the function; charts modules import ..validation.
    assert any(t == "nkteach.data" for t, _n, _l in imports_of("nkteach.levels"))
    assert any(t == "nkteach.validation" for t, _n, _l in imports_of("nkteach.charts.forecast"))
    assert layer_of("nkteach.charts.arms") == layer_of("nkteach.maps") < layer_of("nkteach.display")
    assert layer_of("nkteach.progress") == layer_of("nkteach.classroom.progress")


def test_no_module_is_exempt():
    # The exemption set exists so that an exemption would be visible in one place; it is empty,
    # and every name in it must still be a module (a stale name would hide nothing).
    assert PENDING_OTHER_HELPERS <= set(MODULES)
    assert not PENDING_OTHER_HELPERS, "every module follows the layer rules: keep this set empty"
