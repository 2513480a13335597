"""Load and check: the content stage.

Reads data/ (YAML against the JSON Schemas), playbooks/ and the authored docs
pages, cross-checks every id and link between them, works out translation
freshness, and hands back one immutable `Catalogue`, or a `DataError` listing
every problem as file:line: field: message (hint). Nothing here knows about
HTML, templates or the site engine.
"""
