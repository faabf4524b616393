"""Editions of the lessons, each a recipe of small named notebook transforms.

============================  ==========================================================
:mod:`.transforms`            the named transforms, the recipes (student, nbgrader,
                              site-student, site-instructor) and :func:`apply`
:mod:`.assets`                the one asset rule: which files travel with an edition
:mod:`.student`               student copies (``nkteach student-build``), with a manifest
:mod:`.nbgrader`              the nbgrader course (``nkteach student-build --nbgrader``)
:mod:`.secret`                the course secret behind the release codes
:mod:`.links`                 nbgitpuller and Binder links (``nkteach links``, the site)
:mod:`.scaffold`              new lessons from the template (``nkteach new-lesson``)
:mod:`.export`                one lesson as one offline HTML file (``nkteach export-html``)
============================  ==========================================================

The old module paths ``nkteach.studentbuild`` and ``nkteach.nbgrader_export`` are aliases of
:mod:`.student` and :mod:`.nbgrader`.
"""
from __future__ import annotations

from .assets import Assets, edition_assets
from .links import DEFAULT_REPO, lesson_links
from .secret import course_secret
from .transforms import RECIPES, TRANSFORMS, Context, EditionError, apply
# The nbgrader module registers its own transform (``nbgrader_cells``) on import; importing it
# here means every ``nkteach.editions.*`` import finds the full set of transforms.
from . import nbgrader  # noqa: E402,F401  (after transforms: it registers into TRANSFORMS)

__all__ = ["Assets", "Context", "DEFAULT_REPO", "EditionError", "RECIPES", "TRANSFORMS", "apply",
           "course_secret", "edition_assets", "lesson_links"]
