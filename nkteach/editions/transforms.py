"""Editions as recipes of small named notebook transforms (the way nbgrader composes its
preprocessors).

A *transform* takes notebook JSON and a :class:`Context` and returns the notebook (it may change
the one it is given: :func:`apply` hands it a deep copy). Each is registered under its name in
``TRANSFORMS``; a *recipe* (``RECIPES``) is the list of names an edition applies, in order:

========================  =====================================================================
``drop_hidden_cells``     drop cells tagged ``solution`` or ``instructor``
``drop_check_marker``     remove the ``# NBVAL_CHECK_OUTPUT`` line (its committed output is gone)
``clear_outputs``         clear every code cell's outputs and execution count
``scrub_metadata``        keep only the kernel, the language and the lesson's public description;
                          cell metadata keeps only the tags that change how a cell runs and the
                          link of a written task's answer cell; the widget state goes
``seal_exercises``        answers, explanations and hints become ciphertext (``ctx.reveal``:
                          ``release`` / ``after-tries`` / ``never``, see :mod:`nkteach.sealing`)
``hide_sealed_inputs``    tag sealed exercise cells ``remove-input`` (a web page shows the form)
``drop_widget_state``     drop the notebook's saved widget state
``nbgrader_cells``        replace each exercise call by its question and nbgrader answer / hidden
                          test cells; written answer cells become manually graded cells
                          (see :mod:`nkteach.editions.nbgrader`)
========================  =====================================================================
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from collections.abc import Callable

from ..lessoncheck import CHECK_OUTPUT_MARKER, SOLUTION_TAGS
from ..notebooks import cell_source, cell_tags
from ..sealing import reveal_mode, seal_source
from ..validation import InvalidArgumentError

__all__ = ["Context", "Transform", "TRANSFORMS", "RECIPES", "DROP_TAGS", "KEEP_TAGS", "KEEP_NB_META",
           "KEEP_LESSON_META", "STUDENT", "EditionError", "transform", "apply", "recipe_names",
           "check_reveal", "clear_outputs", "drop_check_marker", "drop_hidden_cells", "drop_widget_state",
           "hide_sealed_inputs", "scrub_metadata", "seal_exercises"]

DROP_TAGS = SOLUTION_TAGS
# Tags that change how nbval runs a cell, or link a written answer, are kept; the rest goes.
KEEP_TAGS = frozenset({"nbval-skip", "nbval-ignore-output", "raises-exception",
                       "nbval-raises-exception", "source-criticism", "written-answer"})
KEEP_NB_META = ("kernelspec", "language_info")
KEEP_LESSON_META = ("lesson", "title", "time_minutes", "objectives", "datasets", "prerequisites")


class EditionError(InvalidArgumentError):
    """A notebook cannot be made into an edition (the message names the notebook and the cell).

    ``needs``: the keyword argument that would allow the operation (e.g. ``"force"``), so a
    command line can name its own option for it."""

    def __init__(self, message: str, *, needs: str | None = None):
        super().__init__(message)
        self.needs = needs


@dataclass
class Context:
    """What a transform may need besides the notebook: its name (for messages), the edition,
    the reveal mode and the lesson's release code (``release`` mode), and nbgrader options."""

    name: str = "<notebook>"
    edition: str = "student"
    reveal: str = "release"
    release_code: str | None = None
    graded_classify: bool = False


Transform = Callable[[dict, Context], dict]
TRANSFORMS: dict[str, Transform] = {}


def transform(name: str):
    """Register a function ``f(nb, ctx) -> nb`` as the transform ``name``."""
    def deco(fn: Transform) -> Transform:
        TRANSFORMS[name] = fn
        return fn
    return deco


def check_reveal(reveal) -> str:
    """The reveal mode named by ``reveal`` (True/False stay aliases of after-tries/never)."""
    return reveal_mode(reveal)


def _code_cells(nb: dict):
    return (c for c in nb.get("cells", []) if c.get("cell_type") == "code")


@transform("drop_hidden_cells")
def drop_hidden_cells(nb: dict, ctx: Context) -> dict:
    """Drop the cells tagged ``solution`` or ``instructor``."""
    nb["cells"] = [c for c in nb.get("cells", []) if not cell_tags(c) & DROP_TAGS]
    return nb


@transform("drop_check_marker")
def drop_check_marker(nb: dict, ctx: Context) -> dict:
    """Remove the ``# NBVAL_CHECK_OUTPUT`` marker line from code cells."""
    for cell in _code_cells(nb):
        src = cell_source(cell)
        if CHECK_OUTPUT_MARKER in src:
            cell["source"] = "\n".join(ln for ln in src.split("\n") if ln.strip() != CHECK_OUTPUT_MARKER)
    return nb


@transform("clear_outputs")
def clear_outputs(nb: dict, ctx: Context) -> dict:
    """Clear the outputs and execution counts of every code cell."""
    for cell in _code_cells(nb):
        cell["outputs"] = []
        cell["execution_count"] = None
    return nb


@transform("drop_widget_state")
def drop_widget_state(nb: dict, ctx: Context) -> dict:
    """Drop the notebook's saved widget state."""
    nb.get("metadata", {}).pop("widgets", None)
    return nb


@transform("scrub_metadata")
def scrub_metadata(nb: dict, ctx: Context) -> dict:
    """Keep the kernel, the language and the lesson's public description; cells keep only
    the tags in ``KEEP_TAGS`` and a written answer cell's link to its task."""
    meta = nb.get("metadata", {})
    lesson = meta.get("nkteach") or {}
    new_meta = {k: meta[k] for k in KEEP_NB_META if k in meta}
    if lesson:
        new_meta["nkteach"] = {k: lesson[k] for k in KEEP_LESSON_META if k in lesson}
        new_meta["nkteach"]["edition"] = ctx.edition
        new_meta["nkteach"]["reveal"] = ctx.reveal
    nb["metadata"] = new_meta
    for cell in nb.get("cells", []):
        tags = cell_tags(cell)
        keep = sorted(tags & KEEP_TAGS)
        link = ((cell.get("metadata") or {}).get("nkteach") or {}).get("written")
        cell["metadata"] = {"tags": keep} if keep else {}
        if link is not None and "written-answer" in tags:
            cell["metadata"]["nkteach"] = {"written": link}
    return nb


@transform("seal_exercises")
def seal_exercises(nb: dict, ctx: Context) -> dict:
    """Seal every exercise call (answers, explanations, per-option hints; a written task keeps
    its rubric and loses its model answer) in the reveal mode ``ctx.reveal``."""
    if ctx.reveal == "release" and not ctx.release_code:
        raise EditionError(f"{ctx.name}: a build in reveal mode 'release' needs the lesson's release "
                           "code (from the course secret)")
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        try:
            cell["source"] = seal_source(cell_source(cell), reveal=ctx.reveal,
                                         release_code=ctx.release_code)
        except (ValueError, SyntaxError) as e:
            raise EditionError(f"{ctx.name}, cell {i}: cannot seal the exercise: {e}") from None
    return nb


@transform("hide_sealed_inputs")
def hide_sealed_inputs(nb: dict, ctx: Context | None = None) -> int | dict:
    """Tag the code of sealed exercises ``remove-input``: on a page the form (the output) asks
    the question, and the cell's ``seal={...}`` ciphertext would only be noise (it stays in the
    downloadable notebook). Returns the notebook when used as a transform (``ctx`` given), else
    the number of cells tagged."""
    n = 0
    for cell in _code_cells(nb):
        if "seal={" in cell_source(cell):
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "remove-input" not in tags:
                tags.append("remove-input")
                n += 1
    return nb if ctx is not None else n


STUDENT = ["drop_hidden_cells", "drop_check_marker", "scrub_metadata", "seal_exercises", "clear_outputs",
           "drop_widget_state"]
RECIPES: dict[str, list[str]] = {
    "student": STUDENT,
    "nbgrader": ["drop_hidden_cells", "drop_check_marker", "scrub_metadata", "clear_outputs",
                 "drop_widget_state", "nbgrader_cells"],
    "site-student": [*STUDENT, "hide_sealed_inputs"],
    "site-instructor": ["drop_widget_state"],
}


def recipe_names() -> list[str]:
    """The names of the editions' recipes."""
    return sorted(RECIPES)


def apply(recipe, nb: dict, ctx: Context | None = None) -> dict:
    """Apply ``recipe`` (a name in ``RECIPES`` or a list of transform names) to a deep copy of
    notebook JSON ``nb`` and return the copy."""
    ctx = ctx or Context()
    if isinstance(recipe, str):
        if recipe not in RECIPES:
            raise EditionError(f"unknown edition recipe {recipe!r}; allowed: {', '.join(recipe_names())}")
        steps = RECIPES[recipe]
    else:
        steps = list(recipe)
    unknown = [s for s in steps if s not in TRANSFORMS]
    if unknown:
        raise EditionError(f"unknown transform {unknown[0]!r}; allowed: {', '.join(sorted(TRANSFORMS))}")
    ctx.reveal = check_reveal(ctx.reveal)
    out = copy.deepcopy(nb)
    for step in steps:
        out = TRANSFORMS[step](out, ctx)
    return out
