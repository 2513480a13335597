"""Notices at the top of pages in the translated trees.

- fallback: the page has no translation yet, so static-i18n serves the English
  file in the reader's tree. The reader gets a notice in their language and the
  English body is marked lang="en" dir="ltr", so screen readers and the
  right-to-left layout treat it as English.
- draft: the page is translated, but no native speaker has reviewed the
  translation yet (data/translation_reviews.yml lists the reviewed pages).
"""

from __future__ import annotations

from markupsafe import Markup

from .views import PageContext


def with_notice(ctx: PageContext, html: str, *, fallback: bool, original_url: str | None) -> str:
    kind = "fallback" if fallback else "draft"
    message = ctx.t("fallback_notice" if fallback else "draft_translation_notice")
    body = Markup(html)  # noqa: S704 (the page's own rendered HTML)
    return str(ctx.render("page_notice.html", compact=False, kind=kind, message=message, original_url=None if fallback else original_url, original_locale=ctx.default_locale, body=body))
