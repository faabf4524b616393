"""The course site as tests build it: one build of each edition of the real lessons per test
session, shared by tests/test_site.py and tests/test_a11y.py (the ``course_sites`` fixture in
tests/conftest.py), so ``make test`` builds each edition once."""
from __future__ import annotations

from pathlib import Path

from tests.support.paths import ROOT, script

__all__ = ["HUB", "STUDENT_BRANCH", "build_edition", "CourseSites"]

HUB = "https://hub.example.edu"
# The student site's buttons open student copies on a branch of their own (site/launch.yml).
STUDENT_BRANCH = "student"


def build_edition(tmp: Path, edition: str, lessons: Path, hub: str = "") -> Path:
    """Build one edition of the site from ``lessons`` into ``tmp/site-<edition>``; the course
    secret of the release codes goes in ``tmp`` (never the checkout)."""
    launch = {"hub_url": hub, "repository": "", "branch": "main", "student_branch": STUDENT_BRANCH}
    out = tmp / f"site-{edition}"
    script("build_site").build(edition, out, tmp / f"src-{edition}", lessons, launch,
                                    log=lambda *_: None, course_root=tmp)
    return out


class CourseSites(dict):
    """Edition → built site of the real lessons, each edition built on first use (``[edition]``)."""

    def __init__(self, tmp: Path):
        super().__init__()
        self.tmp = tmp

    def pdfs(self, chromium) -> tuple[list[Path], dict]:
        """The student edition's lesson PDFs, printed once per session (``scripts/print_pdf.py``
        with the running Playwright Chromium ``chromium``): (PDF paths, what each tagged)."""
        if not hasattr(self, "_pdfs"):
            out, tagged = self.tmp / "pdf-student", {}
            written = script("print_pdf").print_site(self["student"], out, browser=chromium,
                                                     log=lambda *_: None, tagged=tagged)
            self._pdfs = (written, tagged)
        return self._pdfs

    def __missing__(self, edition: str) -> Path:
        if edition not in ("student", "instructor"):
            raise KeyError(f"edition must be 'student' or 'instructor'; got {edition!r}")
        self[edition] = build_edition(self.tmp, edition, ROOT / "lessons", HUB)
        return self[edition]
