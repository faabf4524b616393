"""A local demo JupyterHub for nkteach (``make hub``; started by ``binder/hub/run_hub.py``).

DEMO ONLY: every student logs in with one shared password, and each student's JupyterLab runs as
a plain process of the user who started the hub, in its own folder (no isolation between
students). It listens on 127.0.0.1 only. The README's "Teaching a large class" says how to go
from this to a real hub.

The launcher passes everything through ``NKTEACH_HUB_*`` environment variables (it also checks
ports, the proxy and leftovers of a crashed hub before it starts JupyterHub):

STATE       folder for the database, cookie secret, proxy pid file and ``users/<name>`` folders
PORT        public port (the proxy); HUB_PORT and PROXY_API_PORT: internal ports
PROXY       path of the ``configurable-http-proxy`` executable
PASSWORD    the shared password (at least 8 characters)
ROSTER      optional comma-separated user names: only they may log in (default: anyone)
CULL_TIMEOUT  seconds without activity before jupyterhub-idle-culler stops a server
"""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (injected by JupyterHub when it loads this file)


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(f"NKTEACH_HUB_{name}", default)
    if value is None:
        sys.exit(f"jupyterhub_config.py: NKTEACH_HUB_{name} is not set; start the hub with "
                 "`make hub` (binder/hub/run_hub.py), which sets it")
    return value


state = Path(_env("STATE")).resolve()
bindir = Path(sys.executable).parent

# --- network: localhost only
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(_env("PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_env("HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_env('PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [_env("PROXY")]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

# --- state: everything in one folder the launcher owns
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

# --- authentication: one shared password (JupyterHub's own SharedPasswordAuthenticator)
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = _env("PASSWORD")
roster = [n.strip() for n in _env("ROSTER", "").split(",") if n.strip()]
if roster:
    c.Authenticator.allowed_users = set(roster)
else:
    c.Authenticator.allow_all = True

# --- spawner: one JupyterLab process per student, each in state/users/<name>
c.JupyterHub.spawner_class = "simple"          # SimpleLocalProcessSpawner: no system users needed
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "users" / "{username}")
c.Spawner.cmd = [str(bindir / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# Marks every process of this hub, so the launcher can find (and stop) leftovers.
c.Spawner.environment = {"NKTEACH_HUB_STATE": str(state), "JUPYTER_PREFER_ENV_PATH": "1"}
if hasattr(os, "geteuid") and os.geteuid() == 0:
    # Jupyter Server refuses to run as root without this; the hub would report only a 500.
    c.Spawner.args = ["--allow-root"]
# Many students starting at once on a small machine: give a slow start time before failing it.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# --- idle culling: stop servers nobody used for CULL_TIMEOUT seconds (their files stay)
cull = int(_env("CULL_TIMEOUT", "3600"))
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull}",
                f"--cull-every={max(10, min(300, cull // 2))}"],
    "environment": {"NKTEACH_HUB_STATE": str(state)},
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
# Stop every student's server when the hub stops (Ctrl-C): nothing keeps running.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
