"""MkDocs hook added to a *copy's* mkdocs.yml by build_ratio: saves each page's rendered Markdown.

At on_page_content time page.markdown holds the Markdown after mkdocs-macros
ran, which is what a bare Material build of "the same pages" should start
from. Pages are written to $PP_BENCH_DUMP/<tree>/<source path>, where <tree>
is '' for the default language and '<locale>/' for the others, so relative
links inside each tree still resolve.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import yaml


def on_page_content(content, page, config, files):
    out = Path(os.environ["PP_BENCH_DUMP"])
    locale = config.theme["language"]
    default = config.plugins["i18n"].default_language
    source = getattr(page.file, "norm_src_uri", page.file.src_uri)
    target = out / ("" if locale == default else locale) / source
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = json.loads(json.dumps(page.meta, default=str))
    if "title" in meta:
        meta["title"] = html.unescape(str(page.meta["title"]))
    front = f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n\n" if meta else ""
    target.write_text(front + page.markdown, encoding="utf-8")
    return content
