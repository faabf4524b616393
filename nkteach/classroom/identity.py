"""Who handed a file in: taken from where the file came from, never from inside it.

- **Canvas** "Download Submissions": every file is renamed
  ``<name>_<userid>_<submissionid>_<original name>`` (``<name>`` is the student's sortable name,
  lower case, no spaces), with ``late`` after the name when it came after the due date
  (``<name>_late_<userid>_...``). Identity: the Canvas user id.
- **Moodle** "Download all submissions": one folder per student,
  ``<Full Name>_<participant id>_assignsubmission_file_`` holding the file (or, with folders
  switched off, that text in front of the file name). The participant id differs between
  assignments (one per lesson), so the identity is the full name.
- **A folder per student**: ``DIR/<student>/...``; identity: the folder's name.
- Otherwise (a file at the top of the folder) the identity is the one claimed inside the file,
  and the report says it was not verified.

A roster CSV (``--roster``; the Canvas gradebook export serves) names every student of the
course, so students who handed in nothing get a row, and its columns give each student's
other names (login, e-mail, SIS id) to match what a file claims.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..validation import InvalidArgumentError

__all__ = ["Identity", "Roster", "RosterEntry", "RosterError", "identify", "norm_name", "read_roster",
           "roster_key"]

_CANVAS = re.compile(r"^(?P<name>[^_/]+?)_(?:(?P<late>late)_)?(?P<uid>\d+)_(?P<sid>\d+)_(?P<orig>.+)$",
                     re.IGNORECASE)
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_(?:file|onlinetext)_(?P<rest>.*)$")


class RosterError(InvalidArgumentError):
    """The roster CSV cannot be used (missing, not CSV, no name or id column)."""


def norm_name(text) -> str:
    """A name reduced for comparison: accents, case, spaces and punctuation removed."""
    t = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(ch for ch in t.casefold() if ch.isalnum())


@dataclass
class Identity:
    """Who a file belongs to, and how that was established."""

    key: str                 # "canvas:123", "name:janedoe", "folder:alice", "claimed:alice"
    name: str                # shown in the CSV and the report
    source: str              # "canvas", "moodle", "folder", "claimed"
    late: bool = False       # the LMS marked it late (Canvas)
    lms_id: str = ""         # Canvas user id / Moodle participant id
    aliases: set[str] = field(default_factory=set)   # normalised names this student may claim

    @property
    def verified(self) -> bool:
        """True unless the identity rests only on the name claimed inside the file."""
        return self.source != "claimed"

    def claims_match(self, claimed: str) -> bool:
        """Whether ``claimed`` (the student field inside the file) names this student."""
        c = norm_name(claimed)
        if not c:
            return False
        if c in self.aliases:
            return True
        # a hub login inside a longer LMS name ("alice" in Canvas's "smithalice"), or the reverse
        if len(c) >= 3 and any(len(a) >= 3 and (c in a or a in c) for a in self.aliases):
            return True
        # Canvas writes "lastfirst": "Jane Doe" claims "doejane"
        parts = [norm_name(p) for p in re.split(r"[\s,._-]+", str(claimed)) if norm_name(p)]
        return len(parts) > 1 and "".join(reversed(parts)) in self.aliases


@dataclass
class RosterEntry:
    """One student of the roster: the name and the LMS ids found for them."""
    name: str
    ids: dict[str, str]            # column → value (ID, SIS User ID, SIS Login ID, email, ...)

    def aliases(self) -> set[str]:
        """The normalised forms of the name a student may write (given-family and family-given orders)."""
        out = {norm_name(self.name)}
        parts = [p for p in re.split(r"[\s,]+", self.name) if p]
        if len(parts) > 1:
            out.add(norm_name("".join(reversed(parts))))
            if "," in self.name:   # "Doe, Jane" → janedoe and doejane
                last, first = self.name.split(",", 1)
                out |= {norm_name(first + last), norm_name(last + first)}
        for v in self.ids.values():
            out.add(norm_name(v))
            if "@" in v:
                out.add(norm_name(v.split("@", 1)[0]))
        return {a for a in out if a}


@dataclass
class Roster:
    """The class roster read from an LMS export."""
    entries: list[RosterEntry] = field(default_factory=list)

    def by_canvas_id(self, uid: str) -> RosterEntry | None:
        """The student whose Canvas user id is ``uid``, or None."""
        return next((e for e in self.entries if e.ids.get("id") == uid), None)

    def by_alias(self, name: str) -> RosterEntry | None:
        """The student one of whose name forms matches ``name``, or None."""
        n = norm_name(name)
        return next((e for e in self.entries if n and n in e.aliases()), None)


_NAME_COLS = ("student", "full name", "name", "student name")
_ID_COLS = {"id": "id", "canvas id": "id", "user id": "id", "sis user id": "sis user id",
            "sis login id": "sis login id", "login": "sis login id", "username": "username",
            "email": "email", "email address": "email", "id number": "id number"}


def read_roster(path) -> Roster:
    """The course's students from a CSV with a name column (Student, Full name or Name) and any
    of ID, SIS User ID, SIS Login ID, Username, Email address, ID number. A Canvas gradebook
    export works as it is (its "Points Possible" row is skipped)."""
    p = Path(path)
    if not p.is_file():
        raise RosterError(f"--roster {p}: no such file")
    try:
        rows = list(csv.reader(p.read_text(encoding="utf-8-sig").splitlines()))
    except (UnicodeDecodeError, csv.Error) as e:
        raise RosterError(f"--roster {p} is not a UTF-8 CSV file ({e})") from None
    if not rows:
        raise RosterError(f"--roster {p} is empty")
    head = [h.strip().casefold() for h in rows[0]]
    name_i = next((head.index(c) for c in _NAME_COLS if c in head), None)
    if name_i is None:
        raise RosterError(f"--roster {p} has no name column; allowed: Student, Full name, Name "
                          f"(its columns: {', '.join(rows[0])})")
    ids = {i: _ID_COLS[h] for i, h in enumerate(head) if h in _ID_COLS}
    roster = Roster()
    for r in rows[1:]:
        if len(r) <= name_i or not r[name_i].strip() or "points possible" in r[name_i].casefold():
            continue
        roster.entries.append(RosterEntry(r[name_i].strip(), {c: r[i].strip() for i, c in ids.items()
                                                               if i < len(r) and r[i].strip()}))
    return roster


def identify(rel: Path, claimed: str, roster: Roster | None = None) -> Identity:
    """The identity of the file at ``rel`` (its path inside the submissions folder)."""
    parts = rel.parts
    m = _CANVAS.match(parts[-1])
    if m and not _MOODLE.match(parts[-1]):
        uid = m["uid"]
        entry = roster.by_canvas_id(uid) if roster else None
        name = entry.name if entry else m["name"]
        aliases = (entry.aliases() if entry else set()) | {norm_name(m["name"])}
        return Identity(f"canvas:{uid}", name, "canvas", late=bool(m["late"]), lms_id=uid, aliases=aliases)
    for part in (*parts[:-1], parts[-1]):
        mm = _MOODLE.match(part)
        if mm:
            full = mm["name"].strip()
            entry = roster.by_alias(full) if roster else None
            name = entry.name if entry else full
            aliases = (entry.aliases() if entry else set()) | RosterEntry(full, {}).aliases()
            key = roster_key(entry) if entry else f"name:{norm_name(full)}"
            return Identity(key, name, "moodle", lms_id=mm["pid"], aliases=aliases)
    if len(parts) > 1:
        folder = parts[0]
        entry = roster.by_alias(folder) if roster else None
        name = entry.name if entry else folder
        aliases = (entry.aliases() if entry else set()) | {norm_name(folder)}
        key = roster_key(entry) if entry else f"folder:{norm_name(folder) or folder}"
        return Identity(key, name, "folder", aliases=aliases)
    entry = roster.by_alias(claimed) if roster else None
    name = entry.name if entry else claimed
    return Identity(roster_key(entry) if entry else f"claimed:{norm_name(claimed)}", name,
                    "claimed", aliases={norm_name(claimed)})


def roster_key(entry: RosterEntry) -> str:
    """The identity key a roster student's files get (Canvas id when known, else the name)."""
    if entry.ids.get("id", "").isdigit():
        return f"canvas:{entry.ids['id']}"
    return f"name:{norm_name(entry.name)}"
