"""Install binder/overrides.json as JupyterLab's default settings for this environment.

JupyterLab reads ``{sys.prefix}/share/jupyter/lab/settings/overrides.json`` as the defaults of
every user of the environment. Ours turn off the news feed and the update check, whose
pop-ups ("Would you like to receive official Jupyter news?") distract students and would fetch
from the internet. Run by binder/postBuild (Binder and hub images), `make lab` and `make hub`.
An existing overrides.json is merged, not replaced: its other settings are kept.
"""
import json
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "overrides.json"


def install(prefix: Path = Path(sys.prefix)) -> Path:
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    ours = json.loads(SOURCE.read_text())
    merged = json.loads(target.read_text()) if target.exists() else {}
    for plugin, values in ours.items():
        merged.setdefault(plugin, {}).update(values)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(merged, indent=2, sort_keys=True) + "\n"
    if not target.exists() or target.read_text() != text:
        target.write_text(text)
    return target


if __name__ == "__main__":
    print(f"JupyterLab settings (news and update pop-ups off): {install()}")
