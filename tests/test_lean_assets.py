"""What every first load downloads, made smaller after the build (publish/lean_assets.py)."""

from __future__ import annotations

import re
from pathlib import Path

from playbook_site.publish import lean_assets
from sites import REPO, BuildResult

PALETTE = [
    {"media": "(prefers-color-scheme)"},
    {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "teal", "accent": "deep orange"},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "teal", "accent": "deep orange"},
]


def test_palette_colours_are_material_s_names_with_its_default() -> None:
    assert lean_assets.palette_colours(PALETTE) == {"primary": {"indigo", "teal"}, "accent": {"indigo", "deep-orange"}}
    assert lean_assets.palette_colours({"primary": "Light Blue"}) == {"primary": {"light-blue"}, "accent": {"indigo"}}
    assert lean_assets.palette_colours(None) == {"primary": set(), "accent": set()}


def test_trimming_keeps_the_used_colours_and_every_rule_that_names_none() -> None:
    css = (
        ":root{--a:1}"
        "@media screen{[data-md-color-scheme=slate]{--b:2}[data-md-color-scheme=slate][data-md-color-primary=pink]{--c:3}}"
        "[data-md-color-primary=pink]{--d:4}[data-md-color-primary=teal]{--e:5}"
        "[data-md-color-accent=deep-orange],[data-md-color-accent=lime]{--f:6}"
        "@media screen and (max-width:10em){[data-md-color-primary=red] .x{--g:7}}"
        "[data-md-color-primary=teal] :is(.h,.i),[data-md-color-primary=red] .j{--k:8}"
    )
    trimmed = lean_assets.trim_palette_css(css, lean_assets.palette_colours(PALETTE))
    assert trimmed == (
        ":root{--a:1}@media screen{[data-md-color-scheme=slate]{--b:2}}"
        "[data-md-color-primary=teal]{--e:5}[data-md-color-accent=deep-orange]{--f:6}"
        "[data-md-color-primary=teal] :is(.h,.i){--k:8}"
    )


def test_material_s_palette_is_trimmed_to_a_third(real_site: BuildResult) -> None:
    """The built palette keeps teal, deep orange, the default indigo and the dark scheme, and nothing else."""
    path = next((real_site.site / "assets" / "stylesheets").glob("palette.*.css"))
    css = path.read_text(encoding="utf-8")
    assert {"teal", "indigo"} == set(re.findall(r"data-md-color-primary=([\w-]+)", css))
    assert {"deep-orange", "indigo"} == set(re.findall(r"data-md-color-accent=([\w-]+)", css))
    assert "[data-md-color-scheme=slate]" in css
    assert len(css) < 5000, len(css)
    assert not list(path.parent.glob("palette.*.map"))  # Material's source map would no longer match


def test_the_site_s_own_assets_are_minified_and_the_sources_are_not(real_site: BuildResult) -> None:
    built = {path.name: path.read_text(encoding="utf-8") for path in (real_site.site / "assets").glob("*.*") if path.suffix in (".css", ".js")}
    assert {"site.css", "explorer.css", "language-switch.js", "explorer.js"} <= set(built)
    for name, text in built.items():
        source = (REPO / "docs" / "assets" / name).read_text(encoding="utf-8")
        assert "/*" in source or "//" in source, name  # the sources explain themselves
        assert "/*" not in text and "\n  " not in text and len(text) < len(source), name


def test_minifying_twice_changes_nothing(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "a.css").write_text("/* note */\n.a > .b {\n  margin-inline-start: 0.5rem;\n}\n", encoding="utf-8")
    (assets / "a.js").write_text("// note\nconst f = (b) => `x  ${b}`;\n", encoding="utf-8")
    (assets / "logo.svg").write_text("<svg>  </svg>", encoding="utf-8")
    lean_assets.minify_own_assets(tmp_path)
    once = {path.name: path.read_text(encoding="utf-8") for path in assets.iterdir()}
    assert once == {"a.css": ".a>.b{margin-inline-start:0.5rem}", "a.js": "const f=(b)=>`x  ${b}`;", "logo.svg": "<svg>  </svg>"}
    lean_assets.minify_own_assets(tmp_path)
    assert {path.name: path.read_text(encoding="utf-8") for path in assets.iterdir()} == once


def test_collapsing_whitespace_keeps_what_can_matter() -> None:
    html = '<div>\n    <p>One  two</p>   \n\n  <pre><code>a\n    b\n\n</code></pre>\n  <script>\n  x = "a\n  b";\n</script>\n <textarea>\n  t\n</textarea>\n</div>\n'
    assert lean_assets.collapse_whitespace(html) == (
        '<div>\n<p>One  two</p>\n<pre><code>a\n    b\n\n</code></pre>\n<script>\n  x = "a\n  b";\n</script>\n<textarea>\n  t\n</textarea>\n</div>\n'
    )


def test_a_pre_that_is_not_an_element_does_not_stop_the_collapsing() -> None:
    """The page is read with the HTML parser: "<pre>" in an attribute, a comment or a script is not a pre element."""
    html = '<p title="<pre>">\n    a</p>\n  <!-- <pre> -->\n    <p>\n      b\n    </p>\n  <script>s = "<pre>";\n    t();</script>\n    <p>c</p>\n  <pre>d\n    e</pre>\n'
    assert lean_assets.collapse_whitespace(html) == '<p title="<pre>">\na</p>\n<!-- <pre> -->\n<p>\nb\n</p>\n<script>s = "<pre>";\n    t();</script>\n<p>c</p>\n<pre>d\n    e</pre>\n'
    assert lean_assets.lean_page(html) == lean_assets.collapse_whitespace(html)


def test_built_pages_carry_no_indentation_outside_pre(real_site: BuildResult) -> None:
    page = (real_site.site / "ar" / "playbooks" / "onboarding-a-glam-partner" / "index.html").read_text(encoding="utf-8")
    outside = re.sub(r"<(pre|script|textarea|style)\b.*?</\1>", "<kept/>", page, flags=re.DOTALL)
    assert not re.search(r"\n[ \t]+<|\n\n", outside)


def test_material_s_settings_keep_their_letters_and_stay_html_safe() -> None:
    page = '<p>\\u0627</p><script id="__config" type="application/json">{"translations": {"a": "\\u062a\\u0645 <b> & \'x\'"}}</script>'
    lean = lean_assets.readable_config(page)
    assert lean == '<p>\\u0627</p><script id="__config" type="application/json">{"translations": {"a": "تم \\u003cb\\u003e \\u0026 \\u0027x\\u0027"}}</script>'
    assert lean_assets.readable_config(lean) == lean


def test_arabic_pages_carry_material_s_words_as_letters(real_site: BuildResult) -> None:
    page = (real_site.site / "ar" / "playbooks" / "onboarding-a-glam-partner" / "index.html").read_text(encoding="utf-8")
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.DOTALL).group(1)
    assert "\\u06" not in config and "نسخ" in config
