"""``nkteach datasets``, ``nkteach info NAME``, ``nkteach cite NAME``: the data package."""
from __future__ import annotations

from .common import UsageError

__all__ = ["cmd_datasets", "cmd_info", "cmd_cite", "register"]


def cmd_datasets(args) -> int:
    """``nkteach datasets``: every dataset with its size and title."""
    from ..data import datasets

    table = datasets()
    rows = []
    for r in table.to_dict("records"):
        kind = "geojson" if r.get("kind") == "geojson" else f"{r.get('rows', '?')} rows"
        rows.append((str(r["name"]), kind, str(r.get("title") or "")))
    w0 = max(len(r[0]) for r in rows) if rows else 4
    w1 = max(len(r[1]) for r in rows) if rows else 4
    print(f"{'name':<{w0}}  {'size':<{w1}}  title")
    for name, kind, title in rows:
        print(f"{name:<{w0}}  {kind:<{w1}}  {title}")
    print(f"\n{len(rows)} datasets. Details: nkteach info NAME; citation: nkteach cite NAME")
    return 0


def _dataset_call(fn, *a, **kw):
    from ..data import UnknownDatasetError

    try:
        return fn(*a, **kw)
    except UnknownDatasetError as e:
        raise UsageError(str(e)) from None


def cmd_info(args) -> int:
    """``nkteach info NAME``: a dataset's source, licence, caveats and codebook (Markdown)."""
    from ..data import info

    print(_dataset_call(info, args.name)._repr_markdown_())
    return 0


def cmd_cite(args) -> int:
    """``nkteach cite NAME [--bibtex]``: a dataset's citation."""
    from ..data import cite

    print(_dataset_call(cite, args.name, style="bibtex" if args.bibtex else "text"))
    return 0


def register(sub) -> None:
    """Add datasets, info and cite to the ``nkteach`` sub-command parser."""
    s = sub.add_parser("datasets", help="list every dataset", description="List every dataset "
                       "with its size and title.")
    s.set_defaults(func=cmd_datasets)

    s = sub.add_parser("info", help="describe a dataset", description="Describe a dataset: "
                       "source, licence, caveats and codebook (Markdown).")
    s.add_argument("name", help="dataset name (see: nkteach datasets)")
    s.set_defaults(func=cmd_info)

    s = sub.add_parser("cite", help="print a dataset's citation", description="Print the "
                       "citation of a dataset, as text or BibTeX.")
    s.add_argument("name", help="dataset name (see: nkteach datasets)")
    s.add_argument("--bibtex", action="store_true", help="print BibTeX instead of text")
    s.set_defaults(func=cmd_cite)
