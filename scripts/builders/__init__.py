"""Data builders: each module turns raw files in ../shared/sources (or the hand-curated
tables in data/curated/) into Resources. scripts/build_data.py collects and writes them."""
