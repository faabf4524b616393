"""Start the local demo JupyterHub (``make hub``) after checking what usually breaks a start.

Checks, each failing with a message that names the cause and the fix (exit code 2):

* the proxy: ``configurable-http-proxy`` installed by ``npm ci --prefix binder/hub`` (and node);
* leftovers of a hub that did not stop cleanly: its lock file, its database and any of its
  processes (proxy, students' servers, kernels) still running; ``--recover`` stops those
  processes and moves the database aside (students' folders are kept);
* a damaged database (not readable as SQLite);
* ports: the public port and the two internal ports must be free on 127.0.0.1.

Then it runs JupyterHub with ``binder/hub/jupyterhub_config.py`` and, on Ctrl-C (or SIGTERM),
stops it, waits for it to stop every student's server and the proxy, and stops any process of
this hub that is still running. ``main(argv)`` is importable (tests, bench).
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONFIG = HERE / "jupyterhub_config.py"
DEFAULT_PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
DEFAULT_STATE = ROOT / ".hub"
LOCK = "hub.lock"            # written at start, removed after a clean stop
DB = "jupyterhub.sqlite"
MARKER = "NKTEACH_HUB_STATE"   # set in the environment of every process this hub starts
STOP_WAIT_S = 60


class HubStartError(RuntimeError):
    """A pre-flight check failed; the message names the cause and the fix."""


# ---------------------------------------------------------------- processes of this hub

def hub_processes(state: Path) -> list[tuple[int, str]]:
    """(pid, command line) of every running process whose environment marks it as ``state``'s."""
    want = f"{MARKER}={state}".encode()
    found = []
    proc = Path("/proc")
    if not proc.is_dir():        # not Linux: nothing to scan
        return found
    for d in proc.iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            if want in (d / "environ").read_bytes().split(b"\0"):
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if cmd:             # zombies have no command line
                    found.append((int(d.name), cmd.strip()))
        except OSError:             # gone, or not ours to read
            continue
    return sorted(found)


def stop_processes(pids: list[int], wait_s: float = 10) -> None:
    """SIGTERM, then SIGKILL after ``wait_s``, the given processes (only ones this hub started)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        end = time.monotonic() + wait_s
        while time.monotonic() < end and any(_alive(p) for p in pids):
            time.sleep(0.2)
        if not any(_alive(p) for p in pids):
            return


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:                            # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (OSError, IndexError):
        return True


def _describe(procs: list[tuple[int, str]]) -> str:
    def kind(cmd: str) -> str:
        for key, name in (("configurable-http-proxy", "proxy"), ("jupyterhub-singleuser", "student server"),
                          ("ipykernel", "kernel"), ("idle_culler", "idle culler"), ("jupyterhub", "hub")):
            if key in cmd:
                return name
        return "process"
    return ", ".join(f"{kind(cmd)} pid {pid}" for pid, cmd in procs)


# ---------------------------------------------------------------- pre-flight checks

def check_proxy(proxy: Path) -> None:
    if proxy.is_file() and os.access(proxy, os.X_OK):
        return
    if shutil.which("node") is None:
        raise HubStartError(
            f"cannot start the hub: the proxy configurable-http-proxy is missing ({proxy}) and Node.js "
            "is not installed. Install Node.js 20 or newer (with npm), then run "
            "`npm ci --prefix binder/hub` (`make hub` does this).")
    raise HubStartError(
        f"cannot start the hub: the proxy configurable-http-proxy is not installed at {proxy}. "
        "Run `npm ci --prefix binder/hub` (`make hub` does this).")


def check_leftovers(state: Path, recover: bool) -> None:
    """Refuse to start over a crashed hub's state, unless ``recover`` (then clean it up)."""
    lock, db = state / LOCK, state / DB
    procs = hub_processes(state)
    if lock.exists():
        try:
            info = json.loads(lock.read_text())
            pid = int(info["pid"])
        except (ValueError, KeyError, TypeError):
            info, pid = {}, -1
        if pid > 0 and _alive(pid):
            raise HubStartError(
                f"cannot start the hub: another hub is running from {state} (launcher pid {pid}, "
                f"started {info.get('started', '?')}). Stop it first (Ctrl-C in its terminal), or "
                "give this one another folder with --state.")
        cause = (f"the hub state in {state} was left by a hub that did not stop cleanly "
                 f"(launcher pid {pid} is no longer running)")
        servers = _servers_in_db(db)
        if servers == 0 and not procs:     # nothing of it is left: the lock alone is stale
            print(f"run_hub: note: {cause}; nothing of it is left running, starting", flush=True)
            lock.unlink()
            return
        if servers is None:
            detail = [f"its database {db} is not a readable SQLite database"]
        else:
            detail = [f"its database {db} still lists {servers} running server(s)"] if servers else []
        if procs:
            detail.append(f"{len(procs)} of its processes are still running ({_describe(procs)})")
        if not recover:
            raise HubStartError(
                f"cannot start the hub: {cause}" + (": " + "; ".join(detail) if detail else "") + ". "
                "Run it again with --recover (make hub HUB_ARGS=--recover) to stop those processes "
                f"and move the database aside to {db.name}.crashed-<time> (students' folders are kept).")
        _recover(state, procs)
        return
    if procs:
        raise HubStartError(
            f"cannot start the hub: processes of an earlier hub from {state} are still running "
            f"({_describe(procs)}) but its lock file is gone. Run again with --recover to stop them.")
    if db.exists() and _servers_in_db(db) is None:
        if not recover:
            raise HubStartError(
                f"cannot start the hub: its database {db} is not a readable SQLite database "
                "(damaged by a crash?). Run again with --recover to move it aside "
                f"to {db.name}.crashed-<time> (students' folders are kept).")
        _recover(state, [])


def _servers_in_db(db: Path) -> int | None:
    """Servers the database lists as running (0 if no database); None if it is not readable."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "spawners" not in tables:
                return 0
            return con.execute("SELECT count(*) FROM spawners WHERE server_id IS NOT NULL").fetchone()[0]
    except sqlite3.DatabaseError:
        return None


def _recover(state: Path, procs: list[tuple[int, str]]) -> None:
    if procs:
        print(f"run_hub: stopping {len(procs)} leftover process(es): {_describe(procs)}", flush=True)
        stop_processes([p for p, _ in procs])
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for name in (DB, "proxy.pid", "jupyterhub.pid"):
        f = state / name
        if f.exists():
            if name == DB:
                aside = f.with_name(f"{name}.crashed-{stamp}")
                f.rename(aside)
                print(f"run_hub: moved the old database aside to {aside}", flush=True)
            else:
                f.unlink()
    (state / LOCK).unlink(missing_ok=True)


def check_port(port: int, what: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as e:
            raise HubStartError(
                f"cannot start the hub: {what} port {port} on 127.0.0.1 is already in use ({e.strerror}). "
                "Stop the program using it, or choose another port with --port "
                "(make hub HUB_ARGS='--port 8010').") from None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- run

def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port must be a whole number, got {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be 0 (any free port) to 65535, got {port}")
    return port


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="run_hub.py", description=__doc__.split("\n")[0])
    p.add_argument("--port", type=_port, default=_port(os.environ.get("NKTEACH_HUB_PORT", "8000")),
                   help="public port on 127.0.0.1 (0: any free port; default 8000)")
    p.add_argument("--state", type=Path, default=DEFAULT_STATE,
                   help="folder for the hub database and the students' folders (default .hub/)")
    p.add_argument("--password", default=os.environ.get("NKTEACH_HUB_PASSWORD"),
                   help="shared password, at least 8 characters (default: a random one, printed)")
    p.add_argument("--roster", default=os.environ.get("NKTEACH_HUB_ROSTER", ""),
                   help="comma-separated user names allowed to log in (default: any name)")
    p.add_argument("--cull-timeout", type=int, default=3600,
                   help="stop a student's server after this many idle seconds (default 3600)")
    p.add_argument("--proxy", type=Path, default=Path(os.environ.get("NKTEACH_HUB_PROXY", DEFAULT_PROXY)),
                   help="configurable-http-proxy executable (default: binder/hub/node_modules)")
    p.add_argument("--recover", action="store_true",
                   help="after a crash: stop the old hub's processes and move its database aside")
    p.add_argument("--ready-file", type=Path,
                   help="write {url, pid} as JSON here once the hub answers (for scripts)")
    args = p.parse_args(argv)
    if args.password is not None and len(args.password) < 8:
        p.error(f"--password must have at least 8 characters, got {len(args.password)}")
    if args.cull_timeout < 60:
        p.error(f"--cull-timeout must be at least 60 seconds, got {args.cull_timeout}")
    return args


def wait_ready(url: str, hub: subprocess.Popen, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if hub.poll() is not None:
            raise HubStartError(f"JupyterHub exited during start-up (code {hub.returncode}); "
                                "its log above says why")
        try:
            with urllib.request.urlopen(url + "hub/api/", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise HubStartError(f"JupyterHub did not answer at {url} within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    state = args.state.resolve()
    try:
        check_proxy(args.proxy.resolve())
        state.mkdir(parents=True, exist_ok=True)
        check_leftovers(state, args.recover)
        port = args.port or free_port()
        check_port(port, "the hub's public")
        hub_port, api_port = free_port(), free_port()
    except HubStartError as e:
        print(f"run_hub: {e}", file=sys.stderr)
        return 2
    password = args.password or secrets.token_urlsafe(9)
    env = dict(os.environ, NKTEACH_HUB_STATE=str(state), NKTEACH_HUB_PORT=str(port),
               NKTEACH_HUB_HUB_PORT=str(hub_port), NKTEACH_HUB_PROXY_API_PORT=str(api_port),
               NKTEACH_HUB_PROXY=str(args.proxy.resolve()), NKTEACH_HUB_PASSWORD=password,
               NKTEACH_HUB_ROSTER=args.roster, NKTEACH_HUB_CULL_TIMEOUT=str(args.cull_timeout))
    env[MARKER] = str(state)
    (state / LOCK).write_text(json.dumps({"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                                          "port": port}))
    url = f"http://127.0.0.1:{port}/"
    stopping = []

    hub = None

    def _stop(signum, _frame):      # Ctrl-C or SIGTERM: ask JupyterHub to shut down cleanly
        stopping.append(signum)
        if hub is not None and hub.poll() is None:
            hub.send_signal(signal.SIGTERM)

    # Handlers first: a handled signal is reset to its default in the child, an ignored one (a
    # background job's SIGINT) would stay ignored and slow JupyterHub's stop of its services.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    # JupyterHub runs in its own session so that one Ctrl-C reaches it once, through us.
    hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=state, env=env,
                           start_new_session=True)
    if stopping:
        hub.send_signal(signal.SIGTERM)
    code = 0
    try:
        wait_ready(url, hub, timeout=120)
        if args.ready_file:
            args.ready_file.write_text(json.dumps({"url": url, "pid": os.getpid(), "hub_pid": hub.pid}))
        print(f"\nnkteach hub ready at {url}  (DEMO ONLY, localhost)\n"
              f"  log in with any user name and the shared password: {password}\n"
              f"  students' folders: {state / 'users'}\n  stop with Ctrl-C\n", flush=True)
        while hub.poll() is None:
            time.sleep(0.5)
    except HubStartError as e:
        if not stopping:
            print(f"run_hub: {e}", file=sys.stderr)
            code = 2
    finally:
        if hub.poll() is None:
            hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            print("run_hub: JupyterHub did not stop in time; killing it", file=sys.stderr)
            hub.kill()
            hub.wait()
        left = hub_processes(state)
        if left:
            print(f"run_hub: stopping {len(left)} process(es) the hub left running: {_describe(left)}",
                  file=sys.stderr)
            stop_processes([p for p, _ in left])
        (state / LOCK).unlink(missing_ok=True)
    if not code and hub.returncode not in (0, None) and not stopping:
        code = 1
    print("run_hub: hub stopped", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
