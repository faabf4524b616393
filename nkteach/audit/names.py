"""Contested place pairs: which names of a place exist, and which one the package's rule puts first.

The order is the package's own rule, :func:`nkteach.naming.label` with ``naming="both",
first="english"``: the name English-language usage shares (``name_en``) first, the other side's
name second ("Shusha / Shushi", "Stepanakert / Khankendi"). Each name of a place gets a rank:

- 0: the first name of that rule and the names of the same side (``name_az`` and its native
  spelling when the first name is the Azerbaijani usage, ``name_hy`` when it is the Armenian one);
- 1: the second name and the names of its side;
- 2: historical names (``name_historical``: "Ganja (Elisavetpol)", "Tbilisi / Tiflis").

Spellings the seeds print (``name_seed``) join the side whose name they resemble most. A pair of
names of one place with different ranks must be written lower rank first.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ..naming import label, places as package_places

__all__ = ["PlaceNames", "place_names", "pair_pattern", "PairHit", "find_pairs", "NAME_ORDER_MARKER"]

NAME_ORDER_MARKER = re.compile(r"[\s\"”’'.,;:)\]]{0,8}<!--\s*name-order:\s*(?P<reason>[^>]*?)\s*-->")


@dataclass
class PlaceNames:
    """A place with contested names: each name's rank (0 first in a pair, 1 second, 2 historical) and
    the pair the order rule expects."""

    place_id: str
    ranks: dict[str, int]  # name -> 0 / 1 / 2
    expected: str  # the rule's label, e.g. "Shusha / Shushi"


def _split(value) -> list[str]:
    out = []
    for part in str(value or "").split(";"):
        part = part.strip()
        # a parenthesised gloss ("Brest (Brest-Litovsk)") is itself a pair: keep the head
        head = re.sub(r"\s*\(.*$", "", part).strip()
        if head and len(head.split()) <= 3:
            out.append(head)
        inner = re.search(r"\(([^()]*)\)", part)
        if inner and len(inner.group(1).split()) <= 3 and not re.search(r"\d|§", inner.group(1)):
            out.append(inner.group(1).strip())
    return out


def _sim(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def _rows(root: Path | None) -> list[dict]:
    path = Path(root) / "data" / "places.csv" if root is not None else None
    if path is not None and path.is_file():
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    return list(package_places().values())


def place_names(root: Path | None = None) -> list[PlaceNames]:
    """Every place of ``<root>/data/places.csv`` (else the package's ``places``) with 2+ ranked names."""
    out = []
    for r in _rows(root):
        en = (_split(r.get("name_en")) or [""])[0]
        hy = (_split(r.get("name_hy")) or [None])[0]
        az = (_split(r.get("name_az")) or [None])[0]
        az_native = (r.get("name_az_native") or "").strip() or None
        core = re.sub(r"\s+district$", "", en)
        side_a = [n for n in (hy or core,) if n]  # the Armenian usage
        side_b = [n for n in (az or core, az_native) if n]  # the Azerbaijani usage
        ranks: dict[str, int] = {}
        expected = core
        if side_a and side_b and side_a[0] != side_b[0]:
            # the package's rule decides when name_en is one side's name; when it is a third
            # spelling (Kelbajar: hy Karvachar, az Kalbajar) the side it resembles comes first
            rule = label(core, hy, az, naming="both", first="english")
            if core in side_b or core == side_a[0] or " / " not in rule:
                first_is_b = core in side_b
            else:
                first_is_b = _sim(core, side_b[0]) >= _sim(core, side_a[0])
            first, second = (side_b, side_a) if first_is_b else (side_a, side_b)
            for n in (core, en, *first):
                ranks[n] = 0
            for n in second:
                ranks.setdefault(n, 1)
            expected = f"{core} / {second[0]}"
        elif core:
            ranks[core] = 0
            if en:
                ranks[en] = 0
        for n in _split(r.get("name_historical")):
            ranks.setdefault(n, 2)
        for n in _split(r.get("name_seed")):
            if n not in ranks:
                close = {k: _sim(n, k) for k, v in ranks.items() if v < 2}
                ranks[n] = ranks[max(close, key=close.get)] if close else 0
        if len(set(ranks.values())) > 1:
            out.append(PlaceNames(r.get("place_id", ""), ranks, expected))
    return out


def pair_pattern(names: list[PlaceNames]) -> re.Pattern:
    """A regex matching any two of ``names`` written as a pair (``A / B`` or ``A (B)``)."""
    allnames = sorted({n for p in names for n in p.ranks}, key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in allnames) or r"(?!x)x"
    return re.compile(
        rf"(?<![\w-])(?P<a>{alt})(?:(?P<slash>[ \t]*/[ \t]*)|(?P<paren>[ \t]+\())"
        rf"(?P<b>{alt})(?(paren)\)|(?![\w-]))"
    )


@dataclass
class PairHit:
    """One pair of place names found in a text, and whether it follows the order rule."""
    where: str
    text: str  # the pair as written
    place_id: str
    in_order: bool
    reason: str | None  # the marker's reason when a reversed pair is marked
    expected: str


def find_pairs(
    text: str, names: list[PlaceNames], pattern: re.Pattern | None = None, where: str = ""
) -> list[PairHit]:
    """Every contested pair in ``text`` (emphasis marks ``*`` are ignored), in order or reversed."""
    pattern = pattern or pair_pattern(names)
    plain = text.replace("*", "")
    out = []
    for m in pattern.finditer(plain):
        a, b = m.group("a"), m.group("b")
        for p in names:
            ra, rb = p.ranks.get(a), p.ranks.get(b)
            if ra is None or rb is None or ra == rb:
                continue
            mark = NAME_ORDER_MARKER.match(plain, m.end())
            reason = mark.group("reason") if mark and mark.group("reason") else None
            out.append(PairHit(where, m.group(0), p.place_id, ra < rb, reason, p.expected))
            break
    return out
