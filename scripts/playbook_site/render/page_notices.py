"""Notices at the top of pages in the translated trees.

- fallback: the page has no translation yet, so static-i18n serves the English
  file in the reader's tree. The reader gets a notice in their language and the
  English body is marked lang="en" dir="ltr", so screen readers and the
  right-to-left layout treat it as English.
- draft: the page is translated, but no native speaker has reviewed the
  translation yet (data/translation_reviews.yml lists the reviewed pages).
- stale: the English original changed after this translation was made
  (data/translation_sources.yml, see translation_status.py).
"""

from __future__ import annotations

from markupsafe import Markup

from .views import PageContext


def with_notice(ctx: PageContext, html: str, *, fallback: bool, original_url: str | None, stale: bool = False) -> str:
    kind = "fallback" if fallback else "stale" if stale else "draft"
    message = ctx.t({"fallback": "fallback_notice", "stale": "stale_translation_notice", "draft": "draft_translation_notice"}[kind])
    body = Markup(html)  # noqa: S704 (the page's own rendered HTML)
    return str(ctx.render("page_notice.html", compact=False, kind=kind, message=message, original_url=None if fallback else original_url, original_locale=ctx.default_locale, body=body))
