"""Country-name normalisation shared by the raw-source builders."""
from __future__ import annotations

# Source spellings → the project's English short names (docs/architecture.md).
_ALIASES = {
    "Turkiye": "Turkey", "Türkiye": "Turkey", "Turkey": "Turkey",
    "Russian Federation": "Russia", "Russia": "Russia",
    "Iran, Islamic Rep.": "Iran", "Iran": "Iran",
    "Armenia": "Armenia", "Azerbaijan": "Azerbaijan", "Georgia": "Georgia",
    "Nagorno-Karabakh": "Nagorno-Karabakh",
}


def country(name: str) -> str:
    """Normalised name for the region's countries; any other name is returned unchanged."""
    return _ALIASES.get(name.strip(), name.strip())
