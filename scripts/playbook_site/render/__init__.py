"""Render: the catalogue turned into page content in one language.

Views pick each entry's text in the reader's language (or its original, marked
with lang and dir), fill the Jinja templates in overrides/components/, and
return escaped HTML. Contributor Markdown is rendered on its own and cleaned
(safe_markdown.py). Nothing here writes files for the engine or knows which
engine wraps the pages.
"""
