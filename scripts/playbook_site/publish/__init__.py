"""Publish: the engine layer and everything written after the pages.

engine.py is the only module that knows MkDocs' page and config objects (with
scripts/hooks.py and scripts/macros.py, which only wire). The rest writes the
per-language trees' extras (search, feeds, open data, redirects, 404 pages),
checks links, and makes the offline zips, ZIM files and printed handouts.
"""
