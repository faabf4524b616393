"""Every ``NKTEACH_*`` environment variable: its default, its meaning and who reads it.

nkteach has no configuration file; a few environment variables change where it keeps things or
how the tools around it run. This module is the one list of them (:data:`SETTINGS`) and the one
way to read them (:func:`get`): code in the package reads a variable through :func:`get`, so a
new variable cannot be added without saying here what it does. Scripts and the hub launcher
(``scripts/``, ``bench/``, ``binder/hub/``) may read it with ``os.environ`` for independence from
the package, but their variables are listed here too.

``python -m nkteach.settings`` prints the table. Standard library only (ground floor).

=============================  =============================  ===================================
variable                       default                        meaning
=============================  =============================  ===================================
NKTEACH_DATA_DIR               the user's data folder         where the progress store is kept
NKTEACH_COURSE_SECRET          <course>/.nkteach/…secret      file holding the course secret
NKTEACH_STUDENT_REPO/_BRANCH   student_* in site/launch.yml   where the student site's buttons go
NKTEACH_SITE_REVEAL            reveal in site/launch.yml      reveal mode of the student site
NKTEACH_CHROMIUM               /usr/bin/chromium              Chromium for PDFs and browser tests
NKTEACH_HUB_URL                hub_url of site/launch.yml     JupyterHub of the site's buttons
NKTEACH_HUB_PORT … _STATE      see :data:`SETTINGS`           the local demo hub (binder/hub)
NKTEACH_HUB_STUDENTS … _RESULTS  see :data:`SETTINGS`         the simulated classes (bench)
=============================  =============================  ===================================
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .validation import Options, validate_params

__all__ = ["Setting", "SETTINGS", "get", "table"]


@dataclass(frozen=True)
class Setting:
    """One environment variable: name, default (None: unset means "not given"), meaning, readers."""

    name: str
    default: str | None
    meaning: str
    read_by: str


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("NKTEACH_DATA_DIR", None,
            "Folder of the progress store (exercise checks, hand-in files). Unset: the user's data "
            "folder (platformdirs). Tests and simulated classes point it at a throwaway folder.",
            "nkteach.classroom.progress (the store); tests/conftest.py sets it for every test run"),
    Setting("NKTEACH_COURSE_SECRET", None,
            "File holding the course secret from which release codes are derived. Unset: "
            "<course root>/.nkteach/course-secret.",
            "nkteach.editions.secret (issue 18)"),
    Setting("NKTEACH_STUDENT_REPO", None,
            "Repository (URL) holding the student copies that the student site's launch buttons open. "
            "Unset: student_repository in site/launch.yml, else the course repository.",
            "scripts/build_site.py"),
    Setting("NKTEACH_STUDENT_BRANCH", None,
            "Branch of that repository holding the student copies. Unset: student_branch in "
            "site/launch.yml; the student site build stops when neither is set.",
            "scripts/build_site.py"),
    Setting("NKTEACH_SITE_REVEAL", None,
            "Reveal mode of the student site: release, after-tries or never. Unset: reveal in "
            "site/launch.yml, else release.",
            "scripts/build_site.py"),
    Setting("NKTEACH_CHROMIUM", "/usr/bin/chromium",
            "Chromium executable for printing the site to PDF and for the browser tests.",
            "scripts/print_pdf.py, tests/support/browser.py"),
    Setting("NKTEACH_HUB_URL", None,
            "JupyterHub address for the site's 'open on the hub' buttons. Unset: hub_url in "
            "site/launch.yml (none there: no hub button).",
            "scripts/build_site.py"),
    Setting("NKTEACH_HUB_PORT", "8000", "Public port of the local demo hub on 127.0.0.1 (0: any free port).",
            "binder/hub/run_hub.py"),
    Setting("NKTEACH_HUB_PASSWORD", None,
            "Shared password of the demo hub (at least 8 characters). Unset: a random one, printed.",
            "binder/hub/run_hub.py, binder/hub/jupyterhub_config.py"),
    Setting("NKTEACH_HUB_ROSTER", "", "Comma-separated user names allowed on the demo hub (empty: any name).",
            "binder/hub/run_hub.py, binder/hub/jupyterhub_config.py"),
    Setting("NKTEACH_HUB_PROXY", "binder/hub/node_modules/.bin/configurable-http-proxy",
            "configurable-http-proxy executable of the demo hub.",
            "binder/hub/run_hub.py, binder/hub/jupyterhub_config.py"),
    Setting("NKTEACH_HUB_HUB_PORT", None, "Internal hub port; set by run_hub.py for the hub it starts.",
            "binder/hub/jupyterhub_config.py"),
    Setting("NKTEACH_HUB_PROXY_API_PORT", None, "Proxy API port; set by run_hub.py for the hub it starts.",
            "binder/hub/jupyterhub_config.py"),
    Setting("NKTEACH_HUB_CULL_TIMEOUT", None,
            "Idle seconds before a student's server stops; set by run_hub.py (--cull-timeout, default 3600).",
            "binder/hub/jupyterhub_config.py"),
    Setting("NKTEACH_HUB_STATE", None,
            "State folder of a running demo hub; set by run_hub.py in every process the hub starts "
            "(the benchmark finds the hub's processes by it).",
            "binder/hub/run_hub.py, binder/hub/jupyterhub_config.py, bench/hub_load.py"),
    Setting("NKTEACH_HUB_STUDENTS", "5,10,20,40", "Class sizes the hub benchmark simulates.",
            "bench/hub_load.py, Makefile (bench-hub)"),
    Setting("NKTEACH_HUB_LESSON", "5", "Number of the lesson the simulated students work through.",
            "bench/hub_load.py"),
    Setting("NKTEACH_HUB_TIME_LIMIT", "900", "Seconds allowed per simulated class.", "bench/hub_load.py"),
    Setting("NKTEACH_HUB_REFINE", "2",
            "Extra class sizes tried between the last size that passed and the first that failed.",
            "bench/hub_load.py"),
    Setting("NKTEACH_HUB_RESULTS", "bench/hub_results.json", "Where the hub benchmark writes its results.",
            "bench/hub_load.py"),
)}


@validate_params({"name": Options(lambda: list(SETTINGS))})
def get(name: str) -> str | None:
    """The value of environment variable ``name`` (one of :data:`SETTINGS`), else its default."""
    return os.environ.get(name, SETTINGS[name].default)


def table() -> str:
    """Every setting as a Markdown table (name, default, meaning, read by)."""
    rows = ["| variable | default | meaning | read by |", "|---|---|---|---|"]
    for s in SETTINGS.values():
        default = "—" if s.default is None else f"`{s.default}`" if s.default else "(empty)"
        rows.append(f"| `{s.name}` | {default} | {s.meaning} | {s.read_by} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
