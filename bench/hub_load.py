"""How many students one machine serves: simulated classes on the local JupyterHub (make bench-hub).

For each class size N of the series ``NKTEACH_HUB_STUDENTS`` (default 5,10,20,40) it starts a fresh
hub (binder/hub/run_hub.py, on a free port of 127.0.0.1, state in a temporary folder) with a roster
of N students, and then all N students at once, each as a simulated browser:

1. **login**: asks the hub's REST API for a token with user name and the shared password;
2. **start**: starts the student's server (REST API) and waits until it is ready;
3. **pull**: opens the lesson's nbgitpuller link (``nkteach links``' format, repository: a local
   ``file://`` clone of this repository) and runs the pull the link's page runs;
4. **open**: loads the lesson page, reads the notebook, starts a kernel (sessions API);
5. **cells**: runs every code cell of the lesson through the kernel websocket;
6. **explorer**: moves one control of an explorer the lesson shows, the way JupyterLab does (a
   widget ``update`` comm message), and checks that the explorer redrew.

Each step, and each cell, counts as one step that succeeds or fails. Memory per student is the
peak resident memory (and proportional set size) of the student's server plus kernel, sampled
from /proc every 0.5 s; CPU seconds per student from the same processes. The first code cell
(imports) is reported apart as ``first_cell_s`` and counted in ``ready_s`` (from login until the
lesson's imports have run), not in the cell latencies. A series stops after the first class size
with more than 1% failed steps or a p95 cell latency over 2 s; then up to NKTEACH_HUB_REFINE
(default 2) more runs narrow the gap between the last size within the limits and the first past
them. Every student starts at the same moment and runs the cells without pausing to read: a
worst case. The simulated browsers run on the same machine as the hub (their CPU is part of the
load); each run records the machine's load average at its start.

Writes ``bench/hub_results.json`` (a list of runs; runs of other lessons already there are kept)
and prints a Markdown table.
Linux only (memory and CPU come from /proc). Environment: NKTEACH_HUB_STUDENTS, NKTEACH_HUB_LESSON
(number, default 5), NKTEACH_HUB_TIME_LIMIT (seconds per class, default 900), NKTEACH_HUB_REFINE,
NKTEACH_HUB_RESULTS (output path).
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUN_HUB = ROOT / "binder" / "hub" / "run_hub.py"
RESULTS = ROOT / "bench" / "hub_results.json"
DEFAULT_SERIES = (5, 10, 20, 40)
MAX_FAILURE_RATE = 0.01
MAX_P95_CELL_S = 2.0
REFINE = int(os.environ.get("NKTEACH_HUB_REFINE", "2"))   # extra runs between the last pass and first fail
REQUEST_TIMEOUT_S = 300
CELL_TIMEOUT_S = 300
SAMPLE_EVERY_S = 0.5
MARKER = "NKTEACH_HUB_STATE"
PROBE = "NKTEACH_BENCH"
MiB = 1024 * 1024

# Runs in the student's kernel after the lesson: picks an explorer the lesson showed (in a
# variable or as a cell's result) and one of its controls, and says which widget state to send.
FIND_CONTROL = r"""
import json as _bj
_bcands = [v for v in [*globals().values(), *Out.values()] if hasattr(v, "controls") and hasattr(v, "update")]
if not _bcands:
    from nkteach import widgets as _bw
    _bcands = [_bw.explorers()["facebook_poll_explorer"]()]
_be = _bcands[0]
for _bk, _bc in _be.controls.items():
    if hasattr(_bc, "index") and isinstance(_bc.index, int) and len(_bc.options) > 1:
        _bstate = {"index": (_bc.index + 1) % len(_bc.options)}; break
    if hasattr(_bc, "max") and isinstance(_bc.value, int) and _bc.max > _bc.min:
        _bstate = {"value": _bc.min if _bc.value != _bc.min else _bc.max}; break
else:
    raise RuntimeError("no control to move in explorer " + _be.name)
_bbefore = (_be.updates, _bc.value)
print("NKTEACH_BENCH" + _bj.dumps({"comm_id": _bc.model_id, "state": _bstate, "explorer": _be.name,
                                  "control": _bk}))
"""
CHECK_CONTROL = r"""print("NKTEACH_BENCH" + _bj.dumps({"updates": _be.updates - _bbefore[0],
      "changed": _bc.value != _bbefore[1], "error": _be.error}))"""


# ---------------------------------------------------------------- the hub and the lesson source

class Hub:
    """binder/hub/run_hub.py in a subprocess, on a free port, state in ``state``."""

    def __init__(self, state: Path, password: str, roster: list[str], log: Path):
        self.state, self.password, self.log = state, password, log
        ready = state.parent / f"{state.name}.ready.json"
        ready.unlink(missing_ok=True)
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(RUN_HUB), "--port", "0", "--state", str(state), f"--password={password}",
             f"--roster={','.join(roster)}", "--ready-file", str(ready)],
            stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT)
        end = time.monotonic() + 180
        while not ready.exists():
            if self.proc.poll() is not None or time.monotonic() > end:
                self.stop()
                raise RuntimeError(f"the hub did not start; its log ({log}):\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        info = json.loads(ready.read_text())
        self.url = info["url"].rstrip("/")

    def stop(self, timeout: float = 120) -> int:
        """Ctrl-C equivalent (SIGTERM to the launcher); returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode


def lesson_source(dest: Path) -> tuple[str, str]:
    """A local clone of this repository (committed state) to pull from: (file:// URL, branch)."""
    repo = dest / "nkteach"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "--quiet", "-B", "main"], check=True)
    return repo.as_uri(), "main"


def lesson_file(number: int) -> str:
    found = sorted(p.name for p in (ROOT / "lessons").glob(f"{number:02d}-*.ipynb"))
    if not found:
        raise SystemExit(f"NKTEACH_HUB_LESSON={number}: no lessons/{number:02d}-*.ipynb")
    return found[0]


# ---------------------------------------------------------------- memory and CPU from /proc

class Sampler:
    """Peak memory and CPU time of every process of one hub, by student (JUPYTERHUB_USER)."""

    def __init__(self, state: Path):
        self.want = f"{MARKER}={state}".encode()
        self.owner: dict[int, str | None] = {}          # pid -> student (None: hub, proxy, culler)
        self.peak_rss: dict[str, int] = {}
        self.peak_pss: dict[str, int] = {}
        self.peak_kernel: dict[str, int] = {}        # the kernel(s) alone, without the server
        self.kernels: set[int] = set()
        self.cpu: dict[int, float] = {}
        self.hub_peak = 0
        self.min_available = _meminfo("MemAvailable")
        self.tick = os.sysconf("SC_CLK_TCK")

    def _who(self, pid: int) -> str | None | bool:
        if pid not in self.owner:
            try:
                env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            except OSError:
                return False
            if self.want not in env:
                return False
            user = next((e[16:].decode() for e in env if e.startswith(b"JUPYTERHUB_USER=")), None)
            self.owner[pid] = user
            try:
                if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    self.kernels.add(pid)
            except OSError:
                pass
        return self.owner[pid]

    def sample(self) -> None:
        rss: dict[str | None, int] = {}
        pss: dict[str | None, int] = {}
        kernel: dict[str, int] = {}
        for d in Path("/proc").iterdir():
            if not d.name.isdigit():
                continue
            pid = int(d.name)
            who = self._who(pid)
            if who is False:
                continue
            try:
                status = (d / "status").read_text()
                r = int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmRSS:"))) * 1024
                roll = (d / "smaps_rollup").read_text()
                p = int(next(ln.split()[1] for ln in roll.splitlines() if ln.startswith("Pss:"))) * 1024
                stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
                self.cpu[pid] = (int(stat[11]) + int(stat[12])) / self.tick
            except (OSError, StopIteration, IndexError, ValueError):
                continue
            rss[who] = rss.get(who, 0) + r
            pss[who] = pss.get(who, 0) + p
            if pid in self.kernels and who:
                kernel[who] = kernel.get(who, 0) + r
        for who, r in rss.items():
            if who is None:
                self.hub_peak = max(self.hub_peak, r)
            else:
                self.peak_rss[who] = max(self.peak_rss.get(who, 0), r)
                self.peak_pss[who] = max(self.peak_pss.get(who, 0), pss[who])
                self.peak_kernel[who] = max(self.peak_kernel.get(who, 0), kernel.get(who, 0))
        self.min_available = min(self.min_available, _meminfo("MemAvailable"))

    def kernel_cpu(self, user: str) -> float | None:
        """CPU seconds used so far by ``user``'s kernel(s), read now (None: no kernel found)."""
        pids = [p for p in list(self.kernels) if self.owner.get(p) == user]
        if not pids:            # not seen by the sampler yet: look now
            for d in Path("/proc").iterdir():
                if d.name.isdigit():
                    self._who(int(d.name))
            pids = [p for p in list(self.kernels) if self.owner.get(p) == user]
        total = None
        for pid in pids:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total = (total or 0.0) + (int(stat[11]) + int(stat[12])) / self.tick
        return total

    def cpu_by_student(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for pid, s in self.cpu.items():
            who = self.owner.get(pid)
            if who:
                out[who] = out.get(who, 0.0) + s
        return out


def _meminfo(key: str) -> int:
    for ln in Path("/proc/meminfo").read_text().splitlines():
        if ln.startswith(key + ":"):
            return int(ln.split()[1]) * 1024
    return 0


# ---------------------------------------------------------------- one simulated student

class StepFailed(Exception):
    pass


class Student:
    """One browser: the steps of the module docstring, each timed; ``steps`` holds the outcome."""

    def __init__(self, name: str, hub: str, password: str, link: str, lesson: str):
        self.name, self.hub, self.password, self.link, self.lesson = name, hub, password, link, lesson
        self.http = None                     # made in run(), on the running event loop
        self.steps: list[dict] = []          # {"step", "ok", "s", "error"}
        self.times: dict[str, float] = {}
        self.cell_s: list[float] = []
        self.by_cell: dict[int, float] = {}  # cell number -> seconds
        self.cell_cpu: list[float] = []      # kernel CPU seconds per cell (needs cpu_probe)
        self.cpu_probe = None                # name -> the kernel's CPU seconds so far (Sampler)
        self.token = ""
        self.ws = None
        self.waiting: dict[str, dict] = {}   # msg_id -> {"done": Future, "error", "text", "reply"}
        self.session = uuid.uuid4().hex
        self.explorer: dict = {}
        self.cookies: dict[str, str] = {}

    # -- plumbing
    async def request(self, url: str, method: str = "GET", body=None, expect=(200,), **kw):
        from tornado.httpclient import HTTPClientError

        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        if body is not None and not isinstance(body, (str, bytes)):
            body, headers["Content-Type"] = json.dumps(body), "application/json"
        try:
            r = await self.http.fetch(url, method=method, body=body, headers=headers,
                                      request_timeout=REQUEST_TIMEOUT_S, connect_timeout=60, **kw)
        except HTTPClientError as e:
            r = e.response
            if r is None:
                raise StepFailed(f"{method} {url}: {e}") from None
        except OSError as e:
            raise StepFailed(f"{method} {url}: {e}") from None
        if r.code not in expect:
            raise StepFailed(f"{method} {url}: HTTP {r.code} {r.body[:300]!r}")
        return r

    async def step(self, name: str, coro):
        t = time.monotonic()
        try:
            out = await coro
        except StepFailed as e:
            self.steps.append({"step": name, "ok": False, "s": time.monotonic() - t, "error": str(e)})
            raise
        except Exception as e:          # a bug or a broken connection: still one failed step
            self.steps.append({"step": name, "ok": False, "s": time.monotonic() - t,
                               "error": f"{type(e).__name__}: {e}"})
            raise StepFailed(str(e)) from e
        self.steps.append({"step": name, "ok": True, "s": time.monotonic() - t})
        return out

    # -- the steps
    async def login(self):
        r = await self.request(f"{self.hub}/hub/api/users/{self.name}/tokens", "POST",
                               {"auth": {"username": self.name, "password": self.password},
                                "note": "nkteach bench"}, expect=(200, 201))
        self.token = json.loads(r.body)["token"]

    async def start(self):
        await self.request(f"{self.hub}/hub/api/users/{self.name}/server", "POST", {},
                           expect=(201, 202, 400))
        for _ in range(int(360 / 0.5)):          # bounded: at most 3 minutes of polling
            r = await self.request(f"{self.hub}/hub/api/users/{self.name}")
            server = json.loads(r.body).get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if not server or not (server.get("pending") or server.get("ready")):
                raise StepFailed(f"server of {self.name} stopped while starting")
            await asyncio.sleep(0.5)
        raise StepFailed(f"server of {self.name} not ready after 3 minutes")

    async def browse(self, url: str, method: str = "GET", body: str | None = None):
        """A browser's request: cookies kept, redirects followed (at most 10); (response, final URL)."""
        for _ in range(10):
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                r = await self.http.fetch(url, method=method, body=body, headers=headers, raise_error=False,
                                          follow_redirects=False, request_timeout=REQUEST_TIMEOUT_S,
                                          connect_timeout=60)
            except OSError as e:
                raise StepFailed(f"{method} {url}: {e}") from None
            for cookie in r.headers.get_list("Set-Cookie"):
                k, _, v = cookie.split(";", 1)[0].partition("=")
                self.cookies[k.strip()] = v
            if r.code in (301, 302, 303, 307) and "Location" in r.headers:
                url, method, body = urljoin(url, r.headers["Location"]), "GET", None
                continue
            if r.code != 200:
                raise StepFailed(f"{method} {url}: HTTP {r.code} {r.body[:300]!r}")
            return r, url
        raise StepFailed(f"more than 10 redirects from {url}")

    async def pull(self):
        # A student's first click on the link: the hub asks them to log in (its login form, the
        # shared password), sends them to /user/<name>/git-pull (nbgitpuller's page, after the
        # server's OAuth round trip with the hub); the page's script then streams the pull from
        # git-pull/api and finally opens `urlpath`.
        r, url = await self.browse(self.link)
        if urlparse(url).path.endswith("/hub/login"):
            m = re.search(rb'name="_xsrf" value="([^"]+)"', r.body)
            form = {"username": self.name, "password": self.password,
                    "_xsrf": m.group(1).decode() if m else ""}
            r, url = await self.browse(url, "POST", urlencode(form))
        final = urlparse(url)
        if not final.path.endswith(f"/user/{self.name}/git-pull"):
            raise StepFailed(f"the nbgitpuller link ended at {url}")
        q = {k: v[0] for k, v in parse_qs(final.query).items()}
        api = {"repo": q["repo"], "branch": q["branch"], "targetpath": q["repo"].rstrip("/").split("/")[-1]}
        r = await self.request(f"{self.hub}/user/{self.name}/git-pull/api?{urlencode(api)}")
        events = [json.loads(ln[5:]) for ln in r.body.decode().splitlines() if ln.startswith("data:")]
        if not events or events[-1].get("phase") != "finished":
            raise StepFailed(f"nbgitpuller did not finish: {events[-1:]!r}")
        self.urlpath = q["urlpath"]

    async def open(self):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        base = f"{self.hub}/user/{self.name}"
        await self.request(f"{base}/{self.urlpath}")                 # the Lab page the link opens
        path = self.urlpath.split("lab/tree/", 1)[1]
        r = await self.request(f"{base}/api/contents/{quote(path)}?type=notebook&content=1")
        self.nb = json.loads(r.body)["content"]
        r = await self.request(f"{base}/api/sessions", "POST",
                               {"path": path, "type": "notebook", "name": path.rsplit("/", 1)[-1],
                                "kernel": {"name": "python3"}}, expect=(201,))
        kid = json.loads(r.body)["kernel"]["id"]
        ws_url = (base.replace("http://", "ws://", 1)
                  + f"/api/kernels/{kid}/channels?session_id={self.session}")
        auth = {"Authorization": f"token {self.token}"}
        self.ws = await websocket_connect(HTTPRequest(ws_url, headers=auth, connect_timeout=60,
                                                      request_timeout=120), max_message_size=512 * MiB)
        self.reader = asyncio.ensure_future(self._read())
        await self.send("kernel_info_request", {})

    async def _read(self):
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                for w in self.waiting.values():
                    if not w["done"].done():
                        w["done"].set_exception(StepFailed("kernel websocket closed"))
                return
            msg = _decode(raw)
            w = self.waiting.get(msg.get("parent_header", {}).get("msg_id"))
            if w is None:
                continue
            kind, content = msg["header"]["msg_type"], msg.get("content", {})
            if kind == "error":
                w["error"] = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "stream":
                w["text"] += content.get("text", "")
            elif kind.endswith("_reply"):
                w["reply"] = True
                if content.get("status") == "error" and not w["error"]:
                    w["error"] = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                w["idle"] = True
            if w.get("idle") and (w.get("reply") or not w["wants_reply"]) and not w["done"].done():
                w["done"].set_result(None)

    async def send(self, msg_type: str, content: dict, channel: str = "shell") -> dict:
        """Send; wait for the kernel's idle status (and its reply, for a *_request)."""
        msg_id = uuid.uuid4().hex
        w = self.waiting[msg_id] = {"done": asyncio.get_running_loop().create_future(), "error": "",
                                    "text": "", "wants_reply": msg_type.endswith("_request")}
        header = {"msg_id": msg_id, "username": self.name, "session": self.session, "msg_type": msg_type,
                  "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        await self.ws.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {},
                                                "content": content, "channel": channel, "buffers": []}))
        try:
            await asyncio.wait_for(w["done"], CELL_TIMEOUT_S)
        except TimeoutError:
            raise StepFailed(f"{msg_type}: no answer within {CELL_TIMEOUT_S} s") from None
        finally:
            del self.waiting[msg_id]
        if w["error"]:
            raise StepFailed(w["error"])
        return w

    async def execute(self, code: str) -> str:
        w = await self.send("execute_request", {"code": code, "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False,
                                                "stop_on_error": True})
        return w["text"]

    async def move_control(self) -> float:
        text = await self.execute(FIND_CONTROL)
        self.explorer = json.loads(text.split(PROBE, 1)[1])
        t = time.monotonic()
        # What JupyterLab sends when a student moves the control (ipywidgets' comm protocol).
        await self.send("comm_msg", {"comm_id": self.explorer["comm_id"],
                                     "data": {"method": "update", "state": self.explorer["state"],
                                              "buffer_paths": []}})
        latency = time.monotonic() - t
        check = json.loads((await self.execute(CHECK_CONTROL)).split(PROBE, 1)[1])
        if not (check["changed"] and check["updates"] >= 1) or check["error"]:
            raise StepFailed(f"explorer {self.explorer['explorer']} did not redraw: {check}")
        self.explorer["update_s"] = latency
        return latency

    async def run(self) -> None:
        from tornado.httpclient import AsyncHTTPClient

        self.http = AsyncHTTPClient()
        t0 = time.monotonic()
        try:
            await self.step("login", self.login())
            await self.step("start", self.start())
            self.times["startup_s"] = time.monotonic() - t0
            await self.step("pull", self.pull())
            await self.step("open", self.open())
            cells = [c for c in self.nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
            self.n_cells = len(cells)
            for i, cell in enumerate(cells):
                t = time.monotonic()
                cpu0 = self.cpu_probe(self.name) if self.cpu_probe else None
                await self.step(f"cell {i + 1}", self.execute("".join(cell["source"])))
                cpu1 = self.cpu_probe(self.name) if self.cpu_probe else None
                if cpu0 is not None and cpu1 is not None and i > 0:   # as latency: not the imports
                    self.cell_cpu.append(cpu1 - cpu0)
                if i == 0:
                    self.times["first_cell_s"] = time.monotonic() - t
                    self.times["ready_s"] = time.monotonic() - t0
                else:
                    self.cell_s.append(time.monotonic() - t)
                self.by_cell[i + 1] = time.monotonic() - t
            await self.step("explorer", self.move_control())
        except StepFailed:
            pass
        finally:
            self.times["total_s"] = time.monotonic() - t0
            if self.ws is not None:
                self.ws.close()


def _decode(raw) -> dict:
    if isinstance(raw, str):
        return json.loads(raw)
    # Jupyter's binary websocket frame: number of parts, offsets, then the JSON message first.
    n = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 * (i + 1):4 * (i + 2)], "big") for i in range(n)]
    return json.loads(raw[offsets[0]:offsets[1] if n > 1 else None])


# ---------------------------------------------------------------- one class, a series

def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    return round(v[min(len(v) - 1, max(0, round(q / 100 * len(v) + 0.5) - 1))], 3)


async def _class(students: list[Student], sampler: Sampler, time_limit: float) -> bool:
    done = asyncio.Event()

    async def sample():
        while not done.is_set():
            await asyncio.get_running_loop().run_in_executor(None, sampler.sample)
            await asyncio.sleep(SAMPLE_EVERY_S)

    sampling = asyncio.ensure_future(sample())
    tasks = [asyncio.ensure_future(s.run()) for s in students]
    _, pending = await asyncio.wait(tasks, timeout=time_limit)
    for t in pending:
        t.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    sampler.sample()
    done.set()
    await sampling
    return not pending


def run_class(n: int, lesson_number: int, workdir: Path, time_limit: float, repo_url: str,
              branch: str) -> dict:
    from tornado.httpclient import AsyncHTTPClient

    from nkteach.editions.links import lesson_links

    AsyncHTTPClient.configure(None, max_clients=max(10, 4 * n))
    lesson = lesson_file(lesson_number)
    names = [f"student-{i:03d}" for i in range(1, n + 1)]
    password = secrets.token_urlsafe(12)
    state = workdir / f"hub-{n}"
    load = os.getloadavg()
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    hub = Hub(state, password, names, workdir / f"hub-{n}.log")
    try:
        link = lesson_links(hub.url, lesson, repo_url, branch)["nbgitpuller"]
        sampler = Sampler(state)
        students = [Student(nm, hub.url, password, link, lesson) for nm in names]
        for s in students:
            s.cpu_probe = sampler.kernel_cpu
        t0 = time.monotonic()
        finished = asyncio.run(_class(students, sampler, time_limit))
        wall = time.monotonic() - t0
    finally:
        hub.stop()
    n_cells = max((getattr(s, "n_cells", 0) for s in students), default=0)
    per_student = 4 + n_cells + 1
    ok = sum(1 for s in students for st in s.steps if st["ok"])
    total = per_student * n
    failures = total - ok
    cells = [c for s in students for c in s.cell_s]
    rss = [sampler.peak_rss.get(nm, 0) / MiB for nm in names]
    pss = [sampler.peak_pss.get(nm, 0) / MiB for nm in names]
    kern = [sampler.peak_kernel.get(nm, 0) / MiB for nm in names]
    cell_cpu = [c for s in students for c in s.cell_cpu]
    cpu = sampler.cpu_by_student()

    def times(key):
        return [s.times[key] for s in students if key in s.times]

    errors = [f"{s.name} {st['step']}: {st['error'][:200]}" for s in students for st in s.steps
              if not st["ok"]][:5]
    p95 = pct(cells, 95)
    updates = [s.explorer["update_s"] for s in students if "update_s" in s.explorer]
    run = {
        "students": n, "lesson": lesson, "started": started, "finished_in_time": finished,
        "failures": failures, "steps": total, "failure_rate": round(failures / total, 4) if total else None,
        "students_with_failures": sum(1 for s in students if any(not st["ok"] for st in s.steps)
                                      or len(s.steps) < per_student),
        "cells_per_student": n_cells,
        "p50_cell_s": pct(cells, 50), "p95_cell_s": p95, "max_cell_s": pct(cells, 100),
        "first_cell_p50_s": pct(times("first_cell_s"), 50),
        "first_cell_p95_s": pct(times("first_cell_s"), 95),
        "explorer_update_p50_s": pct(updates, 50), "explorer_update_p95_s": pct(updates, 95),
        "explorer": next((f"{s.explorer['explorer']}.{s.explorer['control']}" for s in students
                          if s.explorer), None),
        "startup_p50_s": pct(times("startup_s"), 50), "startup_p95_s": pct(times("startup_s"), 95),
        "ready_p50_s": pct(times("ready_s"), 50), "ready_p95_s": pct(times("ready_s"), 95),
        "lesson_p50_s": pct(times("total_s"), 50), "wall_s": round(wall, 1),
        "mem_per_student_mib": round(statistics.mean(rss), 1) if rss else None,
        "mem_per_student_max_mib": round(max(rss), 1) if rss else None,
        "pss_per_student_mib": round(statistics.mean(pss), 1) if pss else None,
        "kernel_mib": round(statistics.mean(kern), 1) if kern else None,
        "hub_and_proxy_mib": round(sampler.hub_peak / MiB, 1),
        "cpu_s_per_student": round(statistics.mean(cpu.values()), 1) if cpu else None,
        # CPU work of one cell in the kernel: unlike latency, barely changed by other load. If every
        # student runs the same cell at once, a core serves MAX_P95_CELL_S / cpu such students.
        "cell_cpu_p50_s": pct(cell_cpu, 50), "cell_cpu_p95_s": pct(cell_cpu, 95),
        "cell_cpu_max_s": pct(cell_cpu, 100),
        "students_per_core_from_cpu": (int(MAX_P95_CELL_S // pct(cell_cpu, 95))
                                       if cell_cpu and pct(cell_cpu, 95) else None),
        "machine": {"cores": os.cpu_count(), "mem_total_gib": round(_meminfo("MemTotal") / 2**30, 1),
                    "loadavg_at_start": [round(x, 2) for x in load],
                    "min_mem_available_gib": round(sampler.min_available / 2**30, 2)},
        "slowest_cells": slowest_cells(students),
        "errors": errors,
    }
    run["within_limits"] = bool(finished and run["failure_rate"] is not None
                                and run["failure_rate"] <= MAX_FAILURE_RATE
                                and p95 is not None and p95 <= MAX_P95_CELL_S)
    return run


def slowest_cells(students: list[Student], k: int = 3) -> list[dict]:
    """The k cells with the longest median latency (cell number, first line, p50, max)."""
    by: dict[int, list[float]] = {}
    for s in students:
        for i, t in s.by_cell.items():
            by.setdefault(i, []).append(t)
    cells = [c for c in (students[0].nb["cells"] if students and hasattr(students[0], "nb") else [])
             if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    top = sorted(by, key=lambda i: -statistics.median(by[i]))[:k]
    return [{"cell": i, "first_line": "".join(cells[i - 1]["source"]).splitlines()[0][:80] if cells else "",
             "p50_s": round(statistics.median(by[i]), 3), "max_s": round(max(by[i]), 3)} for i in top]


def table(runs: list[dict]) -> str:
    head = ("| students | failed steps | p50 cell s | p95 cell s | explorer update p95 s "
            "| start-up p50/p95 s | ready p95 s | MiB per student (RSS, PSS) | CPU s per student "
            "| within limits |")
    rows = [head, "|" + "---|" * 10]
    for r in runs:
        rows.append(f"| {r['students']} | {r['failures']}/{r['steps']} | {r['p50_cell_s']} "
                    f"| {r['p95_cell_s']} "
                    f"| {r['explorer_update_p95_s']} | {r['startup_p50_s']}/{r['startup_p95_s']} "
                    f"| {r['ready_p95_s']} | {r['mem_per_student_mib']}, {r['pss_per_student_mib']} "
                    f"| {r['cpu_s_per_student']} | {'yes' if r['within_limits'] else 'no'} |")
    return "\n".join(rows)


def parse_series(text: str) -> list[int]:
    try:
        series = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise SystemExit(f"NKTEACH_HUB_STUDENTS must be comma-separated whole numbers such as 5,10,20,40, "
                         f"got {text!r}") from None
    if not series or any(n < 1 or n > 500 for n in series):
        raise SystemExit(f"NKTEACH_HUB_STUDENTS: each class size must be 1 to 500, got {text!r}")
    return series


def main() -> int:
    series = parse_series(os.environ.get("NKTEACH_HUB_STUDENTS", ",".join(map(str, DEFAULT_SERIES))))
    lesson = int(os.environ.get("NKTEACH_HUB_LESSON", "5"))
    time_limit = float(os.environ.get("NKTEACH_HUB_TIME_LIMIT", "900"))
    out = Path(os.environ.get("NKTEACH_HUB_RESULTS", RESULTS))
    runs = []
    with tempfile.TemporaryDirectory(prefix="nkteach-hub-bench-") as tmp:
        work = Path(tmp)
        repo_url, branch = lesson_source(work / "source")

        def measure(n: int, why: str) -> dict:
            print(f"hub bench: {n} students at once ({why}), lesson {lesson_file(lesson)} "
                  f"(load average {os.getloadavg()[0]:.2f}) ...", flush=True)
            run = run_class(n, lesson, work, time_limit, repo_url, branch)
            run["why"] = why
            runs.append(run)
            print(table([run]).splitlines()[-1], flush=True)
            for e in run["errors"]:
                print("   ", e)
            return run

        passed, failed = 0, None
        for n in series:
            if measure(n, "series")["within_limits"]:
                passed = n
                continue
            failed = n
            print(f"hub bench: {n} students exceed the limits (failures > 1% or p95 cell > 2 s): "
                  "stopping the series", flush=True)
            break
        # Narrow the gap between the last class within the limits and the first one past them
        # (at most REFINE more runs), so the largest class is not just the series' last step.
        for _ in range(REFINE):
            if failed is None or failed - passed <= max(1, passed // 4):
                break
            mid = (passed + failed) // 2 if passed else max(1, failed // 2)
            if measure(mid, "refine")["within_limits"]:
                passed = mid
            else:
                failed = mid
    # Runs of other lessons already in the file are kept; this lesson's earlier runs are replaced.
    earlier = json.loads(out.read_text()) if out.exists() else []
    this = lesson_file(lesson)
    out.write_text(json.dumps([r for r in earlier if r.get("lesson") != this] + runs, indent=1) + "\n")
    ok = [r["students"] for r in runs if r["within_limits"]]
    print("\n" + table(runs) + "\n")
    print(f"Largest class within the limits (<= 1% failed steps, p95 cell <= 2 s) on this machine "
          f"({os.cpu_count()} cores): {max(ok) if ok else 'none'} students. Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
