"""The outcome vocabulary of a check, in one place: words, icons, headings and rank.

Exercises produce these outcomes, the progress store records them, submissions count them and
the gradebook re-grades into them; every one of those modules imports the words from here
(this module imports nothing of nkteach, so any layer may use it).
"""
from __future__ import annotations

__all__ = ["CORRECT", "ALSO", "NOT_YET", "NO_ANSWER", "NOT_ATTEMPTED", "OUTCOMES", "RIGHT",
           "ICONS", "HEADINGS", "COLOURS", "RANK", "is_right"]

CORRECT = "correct"
ALSO = "also defensible"
NOT_YET = "not yet"
NO_ANSWER = "no answer"
# Not an outcome of a check: the state of an item nobody checked yet (progress, gradebook).
NOT_ATTEMPTED = "not attempted"

OUTCOMES = (CORRECT, ALSO, NOT_YET, NO_ANSWER)      # best first
RIGHT = (CORRECT, ALSO)                             # what earns credit
# Text + symbol so a verdict never depends on colour (the house style's accessibility rule).
ICONS = {CORRECT: "✔", ALSO: "◐", NOT_YET: "✘", NO_ANSWER: "○", NOT_ATTEMPTED: "○"}
HEADINGS = {CORRECT: "Correct.", ALSO: "Also defensible.", NOT_YET: "Not yet.",
            NO_ANSWER: "Not answered."}
COLOURS = {CORRECT: "#009E73", ALSO: "#0072B2", NOT_YET: "#D55E00", NO_ANSWER: "#000000"}
RANK = {CORRECT: 0, ALSO: 1, NOT_YET: 2, NO_ANSWER: 3, NOT_ATTEMPTED: 4}


def is_right(outcome: str) -> bool:
    """True for the outcomes that earn credit (correct, also defensible)."""
    return outcome in RIGHT
