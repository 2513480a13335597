"""What in a built page a browser would run: the payload tests of the mini and the hostile site share it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

INERT_ATTRIBUTES = {"title", "alt", "aria-label", "content"}  # shown as text, never run; so are data-* (scripts read them; the browser tests run those scripts)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
EMBEDDING_TAGS = {"iframe", "frame", "object", "embed", "base"}


class _LiveParts(HTMLParser):
    """Everything in a page that a browser would run: scripts, handlers, script URLs, embedded documents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in EMBEDDING_TAGS:
            self.live.append(f"<{tag}>")
        if tag == "script":
            self._script = ""
            source = dict(attrs).get("src") or ""
            if source and "assets/" not in source:
                self.live.append(f"<script src={source!r}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}={value[:50]!r}>")
            elif name in URL_ATTRIBUTES:
                if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:", "vbscript:")):
                    self.live.append(f"<{tag} {name}={value[:50]!r}>")
            elif name not in INERT_ATTRIBUTES and not name.startswith("data-") and ("alert(" in value or "__pwned" in value):
                self.live.append(f"<{tag} {name}={value[:50]!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.live.append("<img src=x>")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if "alert(" in self._script or "__pwned" in self._script or "xss-" in self._script:
                self.live.append(f"<script>{self._script[:50]}")
            self._script = None


def live_parts(html: str) -> list[str]:
    parser = _LiveParts()
    parser.feed(html)
    parser.close()
    return parser.live
