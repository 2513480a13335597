"""The fix-ups applied to every built page (publish/language_trees.py), read with the HTML parser."""

from __future__ import annotations

from playbook_site.publish import language_trees as lt

PAGE = """<!doctype html>
<html lang="ar" class="no-js">
  <head>
    <meta charset="utf-8">
      <link rel="alternate" href="/" hreflang="en">
      <link hreflang="es" title="a > b" rel="alternate" href="/es/">
    <link rel="alternate feed" type="application/atom+xml" href="feed.xml">
    <title>x</title>
  </head>
  <body dir="rtl">
  <header><a href="/fr/playbooks/x/" hreflang="fr" class="md-select__link">Français</a></header>
  <p data-note='<link rel="alternate" href="/" hreflang="en">'>text</p>
"""


def test_alternate_links_go_whatever_their_attribute_order_and_nothing_else() -> None:
    fixed = lt.drop_alternate_links(PAGE)
    assert 'hreflang="en"' not in fixed.split("<body")[0] and 'hreflang="es"' not in fixed
    assert '<link rel="alternate feed"' in fixed, "the feed link stays"
    assert "<p data-note='<link rel=\"alternate\" href=\"/\" hreflang=\"en\">'>" in fixed, "text in the body is not a tag of the head"
    assert "\n    <title>x</title>" in fixed and "\n\n" not in fixed.split("<body")[0], "each removed tag takes its line"


def test_html_gets_the_body_direction_once() -> None:
    fixed = lt.set_html_direction(PAGE)
    assert '<html lang="ar" class="no-js" dir="rtl">' in fixed
    assert lt.set_html_direction(fixed) == fixed
    ltr = PAGE.replace('<html lang="ar" class="no-js">', '<html lang="ar" dir="ltr">')
    assert lt.set_html_direction(ltr) == ltr, "a direction already on <html> is kept"


def test_404_language_menu_leads_to_each_tree_home_under_the_site_path() -> None:
    fixed = lt.fix_404_page(PAGE, "https://example.org/pp", "en")
    assert '<a href="/pp/fr/" hreflang="fr" class="md-select__link">Français</a>' in fixed
    assert 'rel="alternate" href="/"' not in fixed.split("<body")[0]
