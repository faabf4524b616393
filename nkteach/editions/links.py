"""Links that open a lesson live: nbgitpuller (a JupyterHub) and mybinder.org.

Shared by the ``nkteach links`` command, the course website's launch buttons and the hub
benchmark."""
from __future__ import annotations

import re
from urllib.parse import quote, urlparse

from ..validation import InvalidArgumentError

__all__ = ["DEFAULT_REPO", "DEFAULT_BRANCH", "lesson_links", "check_url", "check_branch"]

DEFAULT_REPO = "https://github.com/nkteach/nkteach"
DEFAULT_BRANCH = "main"
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")


def check_url(value: str, what: str = "url") -> str:
    """``value`` without its trailing slash if it is an http(s) URL, else a clear error naming
    ``what``."""
    u = urlparse(str(value))
    if u.scheme not in ("http", "https") or not u.netloc:
        raise InvalidArgumentError(f"{what} must be an http(s) URL such as https://hub.example.edu, "
                                   f"got {value!r}")
    return str(value).rstrip("/")


def check_branch(value: str, what: str = "branch") -> str:
    """``value`` if it is a plain git branch name (letters, digits, '.', '_', '-', '/')."""
    if not isinstance(value, str) or not _BRANCH.fullmatch(value):
        raise InvalidArgumentError(f"{what} {value!r} is not a valid branch name "
                                   "(letters, digits, '.', '_', '-', '/')")
    return value


def lesson_links(hub: str, lesson_file: str, repo: str = DEFAULT_REPO, branch: str = DEFAULT_BRANCH) -> dict:
    """nbgitpuller link (opens the lesson in JupyterLab on ``hub``) and Binder link for a lesson
    file ``lessons/<lesson_file>`` of git repository ``repo`` at ``branch``."""
    repo = repo.rstrip("/")
    name = repo.rsplit("/", 1)[-1].removesuffix(".git")
    urlpath = f"lab/tree/{name}/lessons/{lesson_file}"
    puller = (f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repo, safe='')}"
              f"&urlpath={quote(urlpath, safe='')}&branch={quote(branch, safe='')}")
    u = urlparse(repo)
    labpath = quote(f"lessons/{lesson_file}", safe="")
    if u.netloc == "github.com":
        spec = f"gh/{u.path.strip('/').removesuffix('.git')}/{quote(branch, safe='')}"
    else:
        spec = f"git/{quote(repo, safe='')}/{quote(branch, safe='')}"
    return {"nbgitpuller": puller, "binder": f"https://mybinder.org/v2/{spec}?labpath={labpath}"}
