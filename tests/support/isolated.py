"""Fresh virtualenvs outside the repository, for the install and Binder tests.

``repo_snapshot(dest)`` copies the repository as git would ship it (tracked files, including
uncommitted edits to them; nothing untracked, no .venv, no caches). ``clean_env(venv)`` is an
environment in which nothing from the developer's own venv or PYTHONPATH can leak in, and in
which PYTHONDONTWRITEBYTECODE=1 is set on purpose, as on the machines this runs on, so the
tests prove that the install steps compile bytecode themselves. pip's cache is reused.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import io
from pathlib import Path

import pytest

from tests.support.paths import ROOT, require

_DROP = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONSTARTUP",
         "JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "PYTEST_ADDOPTS")


need = require   # fail in CI, skip elsewhere (tests/conftest.py)


def repo_snapshot(dest: Path) -> Path:
    """Extract the tracked files of the working tree into ``dest`` (like a fresh clone)."""
    need(shutil.which("git") is not None and (ROOT / ".git").exists(), "needs a git checkout")
    # `git stash create` makes a commit of the working tree's tracked files without touching
    # anything; it prints nothing when there are no local edits, and HEAD is the tree then.
    ref = subprocess.run(["git", "stash", "create"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip() or "HEAD"
    tar = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True,
                         check=True).stdout
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        tf.extractall(dest, filter="data")
    return dest


def clean_env(venv: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    own_bin = str(Path(sys.prefix) / "bin")
    path = [p for p in env.get("PATH", os.defpath).split(os.pathsep) if p and p != own_bin]
    if venv is not None:
        path.insert(0, str(venv / "bin"))
        env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join(path)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["JUPYTER_PREFER_ENV_PATH"] = "1"     # the venv's kernelspec wins over ~/.local ones
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def base_python(version: tuple[int, int] | None = None) -> str:
    """An interpreter of ``version`` (default: this one's) to create venvs from."""
    if version is None or sys.version_info[:2] == version:
        return sys.executable
    exe = shutil.which(f"python{version[0]}.{version[1]}")
    need(exe is not None, f"needs python{version[0]}.{version[1]} on PATH")
    return exe


def run(cmd, *, env, cwd, timeout=1800, check=True) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, capture_output=True, text=True,
                       timeout=timeout)
    if check and r.returncode != 0:
        pytest.fail(f"command failed ({r.returncode}): {' '.join(map(str, cmd))}\n"
                    f"--- stdout\n{r.stdout[-4000:]}\n--- stderr\n{r.stderr[-4000:]}")
    return r


def make_venv(path: Path, python: str, env: dict) -> Path:
    run([python, "-m", "venv", path], env=env, cwd=path.parent)
    run([path / "bin" / "python", "-m", "pip", "install", "-q", "--upgrade", "pip"],
        env=clean_env(path), cwd=path.parent)
    return path / "bin" / "python"


def site_packages(python: Path, env: dict) -> Path:
    out = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
              env=env, cwd=python.parent).stdout.strip()
    return Path(out)
