"""The local JupyterHub (make hub): a student opens lesson 1 through its nbgitpuller link and runs it.

The smoke test starts binder/hub/run_hub.py on a free port with its state in a temporary folder,
and one simulated student (bench/hub_load.py's ``Student``) logs in through the REST API, starts
a server, follows the nbgitpuller link (hub login form, pull from a file:// clone of this
repository), opens the lesson, runs every code cell through the kernel websocket and moves an
explorer's control. Then the hub is stopped as Ctrl-C stops it, and no process of it may be left.
The other tests cover the launcher's pre-flight messages (no hub is started).
"""
from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.support.paths import ROOT
from tests.support.isolated import need


def _load(rel: str, name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / rel)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


run_hub = _load("binder/hub/run_hub.py", "nkteach_run_hub")
hub_load = _load("bench/hub_load.py", "nkteach_hub_load")
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


@pytest.mark.slow
def test_student_runs_lesson_1_through_the_nbgitpuller_link(tmp_path, artifacts):
    need(run_hub.DEFAULT_PROXY.exists(), f"the hub's proxy is not installed ({run_hub.DEFAULT_PROXY}): "
         "run `npm ci --prefix binder/hub` (make test does it)")
    need(shutil.which("git") is not None and (ROOT / ".git").exists(),
         "needs git and a git checkout (the lesson is pulled from a local clone of it)")
    from nkteach.cli import lesson_links

    repo_url, branch = hub_load.lesson_source(tmp_path / "source")
    lesson = hub_load.lesson_file(1)
    state = tmp_path / "hub"
    log = tmp_path / "hub.log"
    hub = hub_load.Hub(state, "smoke-test-password", ["student-001"], log)
    settings = {}
    try:
        link = lesson_links(hub.url, lesson, repo_url, branch)["nbgitpuller"]
        student = hub_load.Student("student-001", hub.url, "smoke-test-password", link, lesson)

        async def visit():
            await student.run()
            r = await student.request(f"{hub.url}/user/student-001/lab/api/settings/{NOTIFICATION}")
            # Lab applies overrides.json to the schema's defaults; a user has changed nothing here
            props = json.loads(r.body)["schema"]["properties"]
            settings.update({k: v.get("default") for k, v in props.items()})

        asyncio.run(visit())
    finally:
        code = hub.stop()
    text = log.read_text()
    (artifacts / "hub_smoke.log").write_text(text)
    failed = [s for s in student.steps if not s["ok"]]
    assert not failed, failed
    n_cells = sum(1 for c in student.nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip())
    assert [s["step"] for s in student.steps] == (
        ["login", "start", "pull", "open"] + [f"cell {i}" for i in range(1, n_cells + 1)] + ["explorer"])
    assert student.explorer["update_s"] > 0
    # the pull really happened: the lesson is in the student's own folder
    assert (state / "users" / "student-001" / "nkteach" / "lessons" / lesson).is_file()
    # no news or update pop-ups: binder/overrides.json reached the student's JupyterLab
    assert settings.get("fetchNews") == "false" and settings.get("checkForUpdates") is False, (
        f"{NOTIFICATION} settings are {settings}: install binder/overrides.json (make lab-settings)")
    assert code == 0, text[-3000:]
    assert "hub stopped" in text
    assert run_hub.hub_processes(state.resolve()) == [], "processes of the hub are still running"
    assert not (state / run_hub.LOCK).exists()


# ---------------------------------------------------------------- pre-flight messages

@pytest.fixture
def fake_proxy(tmp_path):
    """An executable file where the proxy would be: enough for the checks before the start."""
    p = tmp_path / "configurable-http-proxy"
    p.write_text("#!/bin/sh\nexit 1\n")
    p.chmod(0o755)
    return p


def _main(capsys, *args) -> tuple[int, str]:
    code = run_hub.main([str(a) for a in args])
    return code, capsys.readouterr().err


def _dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def _wait_exec(proc: subprocess.Popen, state: str, timeout_s: float = 10) -> None:
    """Wait until ``proc`` shows its new environment in /proc.

    Popen returns once exec has begun, but the kernel fills /proc/PID/environ and cmdline a moment
    later; on a loaded machine the launcher's scan could fall in between and miss the process
    (a flaky CI failure). A real leftover process of a crashed hub has long finished its exec.
    """
    want = f"{run_hub.MARKER}={state}".encode()
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            if want in open(f"/proc/{proc.pid}/environ", "rb").read().split(b"\0"):
                return
        except OSError:
            pass
        time.sleep(0.01)
    raise AssertionError(f"the test's stand-in process {proc.pid} never showed {want!r} in /proc")


def test_leftover_database_of_a_crashed_hub_is_named_and_recovered(tmp_path, fake_proxy, capsys):
    state = tmp_path / "hub"
    state.mkdir()
    db = state / run_hub.DB
    with sqlite3.connect(db) as con:       # the table JupyterHub keeps its servers in
        con.execute("CREATE TABLE spawners (id INTEGER PRIMARY KEY, server_id INTEGER)")
        con.execute("INSERT INTO spawners VALUES (1, 7)")
    con.close()
    (state / run_hub.LOCK).write_text(json.dumps({"pid": _dead_pid(), "started": "earlier"}))
    # a student's server the crashed hub left running (marked the way the hub marks its processes)
    env = dict(os.environ, **{run_hub.MARKER: str(state.resolve())})
    orphan = subprocess.Popen(["sleep", "120"], env=env)
    _wait_exec(orphan, env[run_hub.MARKER])
    try:
        code, err = _main(capsys, "--state", state, "--port", 0, "--proxy", fake_proxy)
        assert code == 2
        assert "did not stop cleanly" in err and str(db.resolve()) in err
        assert "1 running server" in err, err
        assert f"pid {orphan.pid}" in err, err
        assert "--recover" in err, err
        assert db.exists() and orphan.poll() is None, "without --recover nothing may be touched"

        run_hub.check_leftovers(state.resolve(), recover=True)
        assert orphan.wait(15) is not None
        assert not db.exists() and len(list(state.glob(f"{run_hub.DB}.crashed-*"))) == 1
        assert not (state / run_hub.LOCK).exists()
        run_hub.check_leftovers(state.resolve(), recover=False)    # a clean start is possible now
    finally:
        if orphan.poll() is None:
            orphan.kill()
            orphan.wait()


def test_stale_lock_alone_does_not_block_a_start(tmp_path, capsys):
    state = tmp_path / "hub"
    state.mkdir()
    (state / run_hub.LOCK).write_text(json.dumps({"pid": _dead_pid(), "started": "earlier"}))
    run_hub.check_leftovers(state.resolve(), recover=False)
    assert "nothing of it is left running" in capsys.readouterr().out
    assert not (state / run_hub.LOCK).exists()


def test_damaged_database_is_named(tmp_path, fake_proxy, capsys):
    state = tmp_path / "hub"
    state.mkdir()
    (state / run_hub.DB).write_bytes(b"not a database" * 100)
    code, err = _main(capsys, "--state", state, "--port", 0, "--proxy", fake_proxy)
    assert code == 2 and "not a readable SQLite database" in err and "--recover" in err


def test_busy_port_is_named(tmp_path, fake_proxy, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code, err = _main(capsys, "--state", tmp_path / "hub", "--port", port, "--proxy", fake_proxy)
    assert code == 2 and f"port {port} on 127.0.0.1 is already in use" in err and "--port" in err


def test_missing_proxy_is_named(tmp_path, capsys):
    missing = tmp_path / "node_modules" / ".bin" / "configurable-http-proxy"
    code, err = _main(capsys, "--state", tmp_path / "hub", "--port", 0, "--proxy", missing)
    assert code == 2 and "configurable-http-proxy" in err and "npm ci --prefix binder/hub" in err
    assert not (tmp_path / "hub").exists(), "a failed check must not create the state folder"


def test_another_running_hub_is_named(tmp_path, fake_proxy, capsys):
    state = tmp_path / "hub"
    state.mkdir()
    (state / run_hub.LOCK).write_text(json.dumps({"pid": os.getpid(), "started": time.ctime()}))
    code, err = _main(capsys, "--state", state, "--port", 0, "--proxy", fake_proxy)
    assert code == 2 and f"another hub is running from {state.resolve()}" in err


def test_short_password_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        run_hub.main(["--state", str(tmp_path), "--password", "short"])
    assert e.value.code == 2
    assert "--password must have at least 8 characters, got 5" in capsys.readouterr().err
