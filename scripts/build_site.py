"""Build the nkteach course website (Jupyter Book 1) — ``make site`` / ``make site-instructor``.

Steps (nothing is downloaded):

1. copy ``site/`` (config, home page, static files) into a work folder under ``build/``;
2. put the lessons there, each edition by its recipe of named notebook transforms
   (:mod:`nkteach.editions.transforms`): the **student edition** is the ``site-student`` recipe
   (the student build: no solutions, sealed answers, in the site's reveal mode, plus sealed
   exercise code hidden on the page), the **instructor edition** the ``site-instructor`` recipe
   (the lessons as they are); the images and course pages that travel come from the one asset
   rule (:mod:`nkteach.editions.assets`: no ``audience: instructor`` page in the student edition);
3. execute every lesson (nbclient, several kernels at once) and convert its outputs for a static page:
   plotly's ``application/vnd.plotly.v1+json`` (which myst-nb drops) becomes
   ``<div class="nkteach-plotly" role="img" aria-label="TITLE"><script type="application/json">…``
   drawn by ``_static/nkteach-site.js`` with the one local ``_static/plotly.min.js``; a widget
   view is dropped and its ``text/html`` fallback shown (an explorer's first view with its
   summary and a line on the controls, an exercise's kernel-free form that opens the sealed
   explanation with Web Crypto); a view without a fallback gets a short note instead; an
   explorer that :data:`nkteach.live.SITES` covers is shown live instead of frozen
   (:class:`LiveExplorers`: its markup, drawn by ``_static/nkteach-live.js``, with its states
   inline or, for a lazy one, in ``_static/live/<name>.json``; each description is computed once
   per build);
   the notebook's widget state is dropped (it would make myst-nb load a widget manager from a CDN);
4. add per-lesson launch buttons (Binder and, when a hub URL is configured, JupyterHub through
   nbgitpuller, both from :func:`nkteach.editions.links.lesson_links`) under each lesson's title:
   the student edition's buttons open the **student copies** (``student_repository`` /
   ``student_branch``), the instructor edition's the lessons (``repository`` / ``branch``); a
   student build whose buttons would open the instructor lessons stops and says what to set;
5. generate ``_toc.yml`` (every lesson, every course page, the references), the course map on
   the home page and the references page from the data package;
6. run ``jupyter-book build`` and copy the HTML into the output folder.

Configuration: ``site/launch.yml`` (hub URL, repositories and branches, the student site's
reveal mode); ``$NKTEACH_HUB_URL``, ``$NKTEACH_STUDENT_REPO``, ``$NKTEACH_STUDENT_BRANCH`` and
``$NKTEACH_SITE_REVEAL`` override it, command-line options override both. In reveal mode
``release`` (default) the course secret (:mod:`nkteach.editions.secret`) makes the release
codes; it never goes into the site. Run ``python scripts/build_site.py --help``.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:        # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from nkteach.display import static_chart_html  # noqa: E402
from nkteach.editions.export import widget_output  # noqa: E402
from nkteach.editions.transforms import hide_sealed_inputs  # noqa: E402
from nkteach.sealing import REVEAL_MODES  # noqa: E402
SITE_SRC = ROOT / "site"
EDITIONS = ("student", "instructor")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# A folder this script made carries this file; it never replaces a folder without it.
MARKER = ".nkteach-site-build"
RECIPES = {"student": "site-student", "instructor": "site-instructor"}
LAUNCH_KEYS = {"hub_url": "", "repository": "", "branch": "main", "student_repository": "",
               "student_branch": "", "reveal": "release"}
LAUNCH_ENV = {"hub_url": "NKTEACH_HUB_URL", "student_repository": "NKTEACH_STUDENT_REPO",
              "student_branch": "NKTEACH_STUDENT_BRANCH", "reveal": "NKTEACH_SITE_REVEAL"}
SELF_STUDY_NOTE = ("Self-study edition: the answers are in this page. Each exercise's form can show "
                   "its answer after three wrong tries, and anyone who reads the page's code can "
                   "find every answer.")
INSTRUCTOR_BANNER = ("Instructor edition — contains solutions, model answers, rubrics and instructor "
                     "notes. Do not publish it where students can see it.")
WIDGET_NOTE = ('<p class="nkteach-widget-note"><i>Interactive control: it works in the live '
               "lesson, on Binder or a JupyterHub.</i></p>")
# External loads in built pages: <script src>, <link href>, <img src>, <iframe src> to http(s).
_EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)=["']((?:https?:)?//[^"']+)""",
                       re.IGNORECASE)


class SiteBuildError(RuntimeError):
    """The site cannot be built (bad option, failing lesson, Jupyter Book error)."""


# ---------------------------------------------------------------- configuration

def load_launch_config(path: Path = SITE_SRC / "launch.yml") -> dict:
    """``site/launch.yml`` (``LAUNCH_KEYS``) with the environment variables of ``LAUNCH_ENV``
    applied."""
    import yaml

    conf = dict(LAUNCH_KEYS)
    if path.is_file():
        conf.update({k: v for k, v in (yaml.safe_load(path.read_text()) or {}).items() if v is not None})
    for key, env in LAUNCH_ENV.items():
        if os.environ.get(env):
            conf[key] = os.environ[env]
    return conf


def launch_target(edition: str, launch: dict) -> tuple[str, str]:
    """(repository, branch) the launch buttons of ``edition`` open. The student edition's open
    the student copies; if that would be the instructor lessons, stop and say what to set."""
    from nkteach.editions.links import DEFAULT_REPO

    repo = launch.get("repository") or DEFAULT_REPO
    branch = launch.get("branch") or "main"
    if edition != "student":
        return repo, branch
    s_repo = launch.get("student_repository") or repo
    s_branch = launch.get("student_branch") or ""
    if not s_branch or (s_repo.rstrip("/"), s_branch) == (repo.rstrip("/"), branch):
        raise SiteBuildError(
            f"the student site's launch buttons would open the instructor lessons ({repo}, branch "
            f"{branch}: solutions, answers and rubrics included). Publish student copies (nkteach "
            "student-build) on a branch or repository of their own, in its lessons/ folder, and set "
            "student_branch (and student_repository if it is another repository) in site/launch.yml, "
            "or $NKTEACH_STUDENT_BRANCH / $NKTEACH_STUDENT_REPO, or --student-branch / --student-repo")
    return s_repo, s_branch


def _check_url(option: str, value: str) -> str:
    from urllib.parse import urlparse

    u = urlparse(value)
    if u.scheme not in ("http", "https") or not u.netloc:
        raise SiteBuildError(f"{option} must be an http(s) URL such as https://hub.example.edu, "
                             f"got {value!r}")
    return value.rstrip("/")


# ---------------------------------------------------------------- work folder

def _fresh_dir(path: Path, what: str) -> Path:
    """Empty ``path`` if this script made it (marker file) or it does not exist; else refuse."""
    if path.exists():
        if not (path / MARKER).is_file():
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
            else:
                raise SiteBuildError(f"{what} {path} exists and was not made by this script; "
                                     "remove it or choose another folder")
        else:
            shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text("made by scripts/build_site.py; replaced on the next build\n")
    return path


def prepare_sources(work: Path, edition: str, lessons_dir: Path, *, reveal: str = "release",
                    course_root: Path | None = None) -> list[Path]:
    """Copy site/ and the lessons (the edition's recipe applied, and the files the one asset rule
    lets travel) into ``work``; return the notebooks."""
    shutil.copytree(SITE_SRC, work, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("_build", "_toc.yml", "launch.yml"))
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not plotly_js.is_file():
        raise SiteBuildError(f"plotly's bundled plotly.min.js not found at {plotly_js}")
    shutil.copy2(plotly_js, work / "static" / "plotly.min.js")
    out = work / "lessons"
    from nkteach.editions import student as student_build
    from nkteach.editions.assets import edition_assets
    from nkteach.editions.transforms import Context, apply
    from nkteach.notebooks import lesson_files, read_notebook
    from nkteach.validation import NkteachError

    try:
        files = lesson_files(None, lessons_dir)
        if edition == "student":
            # the student build (manifest, refusals, the asset rule) with the site-student recipe
            student_build.build(out, files, reveal=reveal, course_root=course_root, recipe=RECIPES[edition])
        else:
            out.mkdir()
            for f in files:
                nb = apply(RECIPES[edition], read_notebook(f), Context(name=f.name, edition=edition))
                text = json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
                (out / f.name).write_text(text, encoding="utf-8")
            for src, rel in edition_assets(files, audience="instructor").wanted.items():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, out / rel)
    except (NkteachError, OSError) as e:
        raise SiteBuildError(f"the {edition} lessons could not be prepared: {e}") from None
    notebooks = sorted(out.glob("[0-9][0-9]-*.ipynb"))
    if not notebooks:
        raise SiteBuildError(f"no lessons (NN-name.ipynb) found in {lessons_dir}")
    return notebooks


# ---------------------------------------------------------------- execution and outputs

def execute(path: str, timeout: int) -> float:
    """Run notebook ``path`` in place (its folder as working directory); return the seconds taken."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    t0 = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    # store_widget_state=True although the state is dropped later (convert_outputs): with False,
    # nbclient 0.10 fails with a KeyError as soon as an ipywidgets Output widget captures output.
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    try:
        client.execute()
    except CellExecutionError as e:
        raise SiteBuildError(f"{Path(path).name} failed to run:\n{str(e)[-3000:]}") from None
    nbformat.write(nb, path)
    return time.perf_counter() - t0


class LiveExplorers:
    """The live explorers of one build (:mod:`nkteach.live`): each description is computed once
    per process (``nkteach.live.described``: both editions, every lesson that shows the explorer
    and any test or benchmark in the same process share it); an explorer
    that loads lazily gets its description as a same-site JSON file ``<static>/live/<name>.json``."""

    def __init__(self, static_dir: Path):
        self.static_dir, self.descs = static_dir, {}
        self.seconds = 0.0

    def prefetch(self, notebooks: list[Path], jobs: int) -> None:
        """Compute the descriptions the executed ``notebooks`` need, ``jobs`` at once (each in
        a process of its own: about half the time on two cores)."""
        from nkteach.editions.export import live_requests
        from nkteach.live import prefetch

        t0 = time.perf_counter()
        wanted = [r for nb in notebooks for r in live_requests(json.loads(nb.read_text(encoding="utf-8")))]
        prefetch(wanted, jobs)
        self.seconds += time.perf_counter() - t0

    def markup(self, name: str, args: dict | None = None) -> str | None:
        """The live markup of explorer ``name`` built with factory arguments ``args`` (checked by
        ``nkteach.editions.export.explorer_args``), or None when it is not live on the site."""
        from nkteach.editions.export import variant_name
        from nkteach.live import SITES, described, live_html
        from nkteach.markup import script_json

        if name not in SITES:
            return None
        key = variant_name(name, args or {})
        if key not in self.descs:
            t0 = time.perf_counter()
            self.descs[key] = described(name, **(args or {}))
            if SITES[name].lazy:
                folder = self.static_dir / "live"
                if folder.is_symlink():
                    raise SiteBuildError(f"{folder} is a symlink; refusing to write through it")
                folder.mkdir(exist_ok=True)
                (folder / f"{key}.json").write_text(script_json(self.descs[key]), encoding="utf-8")
            self.seconds += time.perf_counter() - t0
        src = f"../_static/live/{key}.json" if SITES[name].lazy else None   # pages are lessons/*.html
        return live_html(self.descs[key], src=src)


def convert_outputs(nb: dict, live: LiveExplorers | None = None) -> dict:
    """Make notebook JSON ``nb``'s outputs static-site ready (in place); return counts. With
    ``live``, an explorer that :mod:`nkteach.live` covers shows its live markup instead of its
    frozen first view."""
    counts = {"plotly": 0, "fallbacks": 0, "widget_notes": 0}
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            if PLOTLY_MIME in data:
                data["text/html"] = static_chart_html(spec=data.pop(PLOTLY_MIME))
                counts["plotly"] += 1
            if WIDGET_MIME in data:
                shown = widget_output(data, live.markup if live else None, WIDGET_NOTE)
                counts[shown] = counts.get(shown, 0) + 1
    return counts


def launch_cell(lesson_file: str, launch: dict) -> dict:
    """A markdown cell with the lesson's launch buttons (Binder; JupyterHub if configured)."""
    from nkteach.editions.links import DEFAULT_REPO, lesson_links

    repo = launch.get("repository") or DEFAULT_REPO
    hub = launch.get("hub_url") or "https://hub.invalid"
    links = lesson_links(hub, lesson_file, repo, launch.get("branch") or "main")
    buttons = [(f'<a class="nkteach-launch-binder" href="{html.escape(links["binder"])}">'
                "Open live on Binder</a>")]
    if launch.get("hub_url"):
        buttons.append(f'<a class="nkteach-launch-hub" href="{html.escape(links["nbgitpuller"])}">'
                       "Open live on your JupyterHub</a>")
    body = "".join(buttons)
    return {"cell_type": "markdown", "metadata": {},
            "source": f'<nav class="nkteach-launch" aria-label="Open this lesson live">{body}</nav>'}


_MD_HEADING = re.compile(r"^(#{1,6})\s", re.MULTILINE)
# An explorer's first view (frozen or live) opens with its title as an <h4>.
_EXPLORER_TITLE = re.compile(
    r'(<div class="(?:nkteach-explorer-static|nkteach-live)"[^>]*>)<h(\d)>(.*?)</h\2>', re.DOTALL)


def fit_explorer_headings(nb: dict) -> int:
    """Give each explorer's title (a fixed ``<h4>`` in its first view) the level under the
    section it sits in, so the page's headings go in order; return how many were changed."""
    level, changed = 1, 0
    for cell in nb.get("cells", []):
        src = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            found = _MD_HEADING.findall(src)
            level = len(found[-1]) if found else level
            continue
        for out in cell.get("outputs", []):
            page = (out.get("data") or {}).get("text/html")
            if isinstance(page, list):
                page = "".join(page)
            if not isinstance(page, str) or ("nkteach-explorer-static" not in page
                                             and "nkteach-live" not in page):
                continue
            new = min(level + 1, 6)
            fixed = _EXPLORER_TITLE.sub(lambda m, n=new: f"{m.group(1)}<h{n}>{m.group(3)}</h{n}>", page)
            if fixed != page:
                out["data"]["text/html"] = fixed
                changed += 1
    return changed


def self_study_cell() -> dict:
    """The note a self-study (reveal after-tries) page carries: its answers are in the page."""
    return {"cell_type": "markdown", "metadata": {},
            "source": f":::{{admonition}} Answers in this page\n:class: warning nkteach-self-study\n"
                      f"{SELF_STUDY_NOTE}\n:::"}


def finish_notebook(path: Path, launch: dict, *, self_study: bool = False,
                    live: LiveExplorers | None = None) -> dict:
    """Convert outputs and add the launch buttons (and, for a self-study edition, the note that
    the answers are in the page) under the title of executed notebook ``path``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    counts = convert_outputs(nb, live)
    counts["explorer_headings"] = fit_explorer_headings(nb)
    counts["sealed_inputs_hidden"] = hide_sealed_inputs(nb)
    cells = nb.get("cells", [])
    at = 1 if cells and cells[0].get("cell_type") == "markdown" else 0
    cells.insert(at, launch_cell(path.name, launch))
    if self_study:
        cells.insert(at + 1, self_study_cell())
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return counts


# ---------------------------------------------------------------- generated pages

def _lesson_meta(path: Path) -> dict:
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("nkteach", {})
    return {"lesson": meta.get("lesson"), "title": meta.get("title") or path.stem,
            "minutes": meta.get("time_minutes"), "objectives": meta.get("objectives") or []}


def course_map(notebooks: list[Path]) -> str:
    rows = ["| Lesson | Title | Time | You will be able to |", "|---|---|---|---|"]
    for nb in notebooks:
        m = _lesson_meta(nb)
        goals = "<br>".join(html.escape(o) for o in m["objectives"][:4]) or "—"
        minutes = f"{m['minutes']} min" if m["minutes"] else "—"
        title = m["title"].replace("|", "\\|").replace("`", "'")
        rows.append(f"| {m['lesson'] or ''} | {{doc}}`{title} <lessons/{nb.stem}>` | {minutes} | {goals} |")
    return "\n".join(rows) + "\n"


def references_page() -> str:
    import nkteach
    from nkteach.data import SEEDS

    lines = ["# References", "",
             ("Every dataset the lessons use and the source documents they cite. Each lesson ends with "
              "its own reference list; the data's licences, caveats and codebooks are in "
              "`data/datapackage.json` and `nkteach.info(name)`."), "", "## Datasets", ""]
    lines += [f"- **{name}**: {nkteach.cite(name)}" for name in nkteach.datasets()["name"]]
    lines += ["", "## Source documents (cited as 000 … 004)", ""]
    lines += [f"- **{code}**: {text}" for code, text in SEEDS.items()]
    return "\n".join(lines) + "\n"


def write_toc(work: Path, notebooks: list[Path]) -> None:
    """_toc.yml: every lesson, every lessons/*.md course page (alphabetical), the references."""
    import yaml

    parts = [{"caption": "Lessons", "chapters": [{"file": f"lessons/{nb.stem}"} for nb in notebooks]}]
    pages = sorted((work / "lessons").glob("*.md"))
    if pages:
        parts.append({"caption": "Course pages", "chapters": [{"file": f"lessons/{p.stem}"} for p in pages]})
    parts.append({"caption": "References", "chapters": [{"file": "references"}, {"file": "audit"}]})
    toc = {"format": "jb-book", "root": "index", "parts": parts}
    (work / "_toc.yml").write_text("# Generated by scripts/build_site.py; do not edit.\n"
                                   + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))


def write_config(work: Path, edition: str) -> None:
    import yaml

    conf = yaml.safe_load((work / "_config.yml").read_text())
    opts = conf.setdefault("sphinx", {}).setdefault("config", {}).setdefault("html_theme_options", {})
    if edition == "instructor":
        conf["title"] = conf["title"] + " — INSTRUCTOR EDITION"
        opts["announcement"] = INSTRUCTOR_BANNER
    (work / "_config.yml").write_text(yaml.safe_dump(conf, sort_keys=False, allow_unicode=True))


def write_home(work: Path, edition: str, notebooks: list[Path], *, self_study: bool = False) -> None:
    index = work / "index.md"
    text = index.read_text(encoding="utf-8")
    note = ""
    if edition == "instructor":
        note = (':::{admonition} Instructor edition\n:class: warning nkteach-edition-instructor\n'
                f"{INSTRUCTOR_BANNER} The student edition has the same lessons without them.\n:::\n")
    elif self_study:
        note = (f":::{{admonition}} Answers in this site\n:class: warning nkteach-self-study\n"
                f"{SELF_STUDY_NOTE.replace('this page', 'these pages')}\n:::\n")
    text = text.replace("<!-- NKTEACH-EDITION-NOTE -->", note)
    text = text.replace("<!-- NKTEACH-COURSE-MAP -->", course_map(notebooks))
    index.write_text(text, encoding="utf-8")
    (work / "references.md").write_text(references_page(), encoding="utf-8")
    # The course audit (balance, name order, links, time; docs/audit.md) as a page of the site.
    from nkteach.audit import report_markdown
    (work / "audit.md").write_text(report_markdown(root=ROOT), encoding="utf-8")


def external_loads(html_dir: Path) -> dict[str, list[str]]:
    """Pages that load a script, stylesheet, image or frame from outside the site."""
    found = {}
    for page in sorted(html_dir.rglob("*.html")):
        urls = sorted(set(_EXTERNAL.findall(page.read_text(encoding="utf-8", errors="replace"))))
        if urls:
            found[str(page.relative_to(html_dir))] = urls
    return found


# ---------------------------------------------------------------- driver

def build(edition: str, out: Path, work: Path, lessons_dir: Path, launch: dict, *,
          jobs: int = 2, timeout: int = 900, log=print, course_root: Path | None = None) -> dict:
    """Build one edition of the site into ``out``; return timings and counts.

    ``launch``: the launch configuration (``LAUNCH_KEYS``; its ``reveal`` is the student
    edition's reveal mode); ``course_root``: the course folder whose secret makes the release
    codes (default: the folder above ``lessons_dir``)."""
    t0 = time.perf_counter()
    for folder, what in ((out, "output folder"), (work, "work folder")):   # refuse before any work
        if folder.exists() and not (folder / MARKER).is_file() and (
                not folder.is_dir() or any(folder.iterdir())):
            raise SiteBuildError(f"{what} {folder} exists and was not made by this script; "
                                 "remove it or choose another folder")
    if edition not in EDITIONS:
        raise SiteBuildError(f"edition must be one of {', '.join(EDITIONS)}, got {edition!r}")
    repo, branch = launch_target(edition, launch)
    reveal = launch.get("reveal") or "release"
    if reveal not in REVEAL_MODES:
        raise SiteBuildError(f"reveal must be one of {', '.join(REVEAL_MODES)}, got {reveal!r}")
    self_study = edition == "student" and reveal == "after-tries"
    page_launch = {**launch, "repository": repo, "branch": branch}
    _fresh_dir(work, "work folder")
    notebooks = prepare_sources(work, edition, lessons_dir, reveal=reveal, course_root=course_root)
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(notebooks)))) as pool:
        futures = {nb.name: pool.submit(execute, str(nb), timeout) for nb in notebooks}
        run_times = {name: f.result() for name, f in futures.items()}
    for name, sec in run_times.items():
        log(f"executed {name} in {sec:.1f} s")
    live = LiveExplorers(work / "static")
    live.prefetch(notebooks, jobs)
    counts = {nb.name: finish_notebook(nb, page_launch, self_study=self_study, live=live)
              for nb in notebooks}
    log(f"live explorers: {len(live.descs)} described in {live.seconds:.1f} s")
    write_toc(work, notebooks)
    write_config(work, edition)
    write_home(work, edition, notebooks, self_study=self_study)
    t_exec = time.perf_counter() - t0
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(work), "--builder", "html", "--quiet"]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode:
        raise SiteBuildError(f"jupyter-book build failed:\n{run.stdout[-4000:]}{run.stderr[-4000:]}")
    html_dir = work / "_build" / "html"
    _fresh_dir(out, "output folder")
    shutil.copytree(html_dir, out, dirs_exist_ok=True)
    outside = external_loads(out)
    for page, urls in outside.items():
        log(f"WARNING: {page} loads from outside the site: {', '.join(urls[:5])}")
    total = time.perf_counter() - t0
    log(f"{edition} site: {len(notebooks)} lessons in {out} ({total:.0f} s: lessons run and converted in "
        f"{t_exec:.0f} s, jupyter-book {total - t_exec:.0f} s)")
    return {"seconds": total, "execute_seconds": t_exec, "live_seconds": live.seconds, "counts": counts,
            "external": outside}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Build the nkteach course website (Jupyter Book 1).")
    p.add_argument("--edition", default="student", help="student (default) or instructor")
    p.add_argument("--out", type=Path, help="output folder (default build/site or build/site-instructor)")
    p.add_argument("--work", type=Path, help="work folder (default build/site-src[-instructor])")
    p.add_argument("--lessons", type=Path, default=ROOT / "lessons", help="lessons folder (default lessons/)")
    p.add_argument("--hub-url", help="JupyterHub URL for the nbgitpuller buttons "
                   "(default: $NKTEACH_HUB_URL, then hub_url in site/launch.yml; none: no hub button)")
    p.add_argument("--repo", help="repository the instructor edition's live buttons open "
                   "(default: site/launch.yml)")
    p.add_argument("--branch", help="branch the instructor edition's live buttons open "
                   "(default: site/launch.yml)")
    p.add_argument("--student-repo", help="repository holding the student copies, opened by the student "
                   "edition's buttons (default: $NKTEACH_STUDENT_REPO, site/launch.yml, else --repo)")
    p.add_argument("--student-branch", help="branch holding the student copies (default: "
                   "$NKTEACH_STUDENT_BRANCH, then student_branch in site/launch.yml; required)")
    p.add_argument("--reveal", choices=REVEAL_MODES, help="the student edition's reveal mode (default: "
                   "$NKTEACH_SITE_REVEAL, then site/launch.yml, else release; after-tries puts the "
                   "answers in the pages and says so on them)")
    p.add_argument("--course", type=Path, help="course folder whose .nkteach/course-secret makes the "
                   "release codes (default: the folder above --lessons)")
    p.add_argument("--jobs", type=int, default=2, help="lessons executed at once, and live explorers "
                   "described at once (default 2)")
    p.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell (default 900)")
    a = p.parse_args(argv)
    try:
        if a.edition not in EDITIONS:
            raise SiteBuildError(f"--edition must be one of {', '.join(EDITIONS)}, got {a.edition!r}")
        if a.jobs < 1 or a.timeout < 1:
            raise SiteBuildError(f"--jobs and --timeout must be at least 1, got {a.jobs} and {a.timeout}")
        if not a.lessons.is_dir():
            raise SiteBuildError(f"--lessons {a.lessons} is not a folder")
        suffix = "" if a.edition == "student" else "-instructor"
        out = a.out or ROOT / "build" / f"site{suffix}"
        work = a.work or ROOT / "build" / f"site-src{suffix}"
        launch = load_launch_config()
        for key, value in (("hub_url", a.hub_url), ("repository", a.repo), ("branch", a.branch),
                           ("student_repository", a.student_repo), ("student_branch", a.student_branch),
                           ("reveal", a.reveal)):
            if value is not None:
                launch[key] = value
        if launch.get("hub_url"):
            launch["hub_url"] = _check_url("--hub-url / NKTEACH_HUB_URL / hub_url", launch["hub_url"])
        if launch.get("repository"):
            launch["repository"] = _check_url("--repo / repository", launch["repository"])
        if launch.get("student_repository"):
            launch["student_repository"] = _check_url("--student-repo / NKTEACH_STUDENT_REPO / "
                                                      "student_repository", launch["student_repository"])
        for key in ("branch", "student_branch"):
            if launch.get(key) and not re.fullmatch(r"[A-Za-z0-9._/-]+", str(launch[key])):
                raise SiteBuildError(f"{key} {launch[key]!r} is not a valid branch name")
        build(a.edition, out.resolve(), work.resolve(), a.lessons.resolve(), launch,
              jobs=a.jobs, timeout=a.timeout, course_root=a.course.resolve() if a.course else None)
    except SiteBuildError as e:
        print(f"build_site: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
