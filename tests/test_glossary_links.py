"""glossary_links.link_terms on HTML fragments: what gets explained, where, and how safely."""

from __future__ import annotations

from playbook_site.render.glossary_links import TermForm, link_terms

FORMS = [
    TermForm("GLAM", "glam", "Galleries, libraries, archives and museums."),
    TermForm("GLAMs", "glam", "Galleries, libraries, archives and museums."),
    TermForm("Commons", "commons", "The media project."),
    TermForm("Wikimedia Commons", "commons", "The media project."),
    TermForm("edit-a-thon", "edit-a-thon", 'An "event" <b>with</b> {{ 7*7 }}'),
    TermForm("ويكي بيانات", "wikidata", "مشروع البيانات."),
]


def link(html: str) -> str:
    return link_terms(html, FORMS, "../glossary/")


def test_first_use_of_each_term_is_linked_once() -> None:
    out = link("<p>A GLAM and GLAMs, then another GLAM.</p>")
    assert out == '<p>A <a class="pp-term" href="../glossary/#glam" title="Galleries, libraries, archives and museums.">GLAM</a> and GLAMs, then another GLAM.</p>'


def test_longest_form_wins_and_keeps_the_text_as_written() -> None:
    out = link("<p>Upload to Wikimedia Commons.</p>")
    assert '<a class="pp-term" href="../glossary/#commons" title="The media project.">Wikimedia Commons</a>' in out


def test_first_letter_may_change_case_but_nothing_else() -> None:
    assert ">Edit-a-thon</a>" in link("<p>Edit-a-thon days.</p>")
    assert "pp-term" not in link("<p>EDIT-A-THON and glam.</p>")


def test_whole_words_only() -> None:
    assert "pp-term" not in link("<p>GLAMorous GLAM-Wiki subcommons edit-a-thons2</p>")


def test_headings_links_code_and_controls_are_left_alone() -> None:
    html = '<dl><dt>GLAM</dt></dl><table><tr><th>GLAM</th></tr></table><h2 id="glam">GLAM</h2><p><a href="x">GLAM</a> <code>GLAM</code> <span title="t"><abbr>GLAM</abbr></span></p><pre><code>GLAM</code></pre><button>GLAM</button>'
    assert link(html) == html


def test_text_after_a_skipped_element_is_linked() -> None:
    out = link("<h2>GLAM</h2><p>Our GLAM partner.</p>")
    assert out.startswith("<h2>GLAM</h2><p>Our <a class=\"pp-term\"")


def test_definition_is_an_escaped_attribute() -> None:
    out = link("<p>An edit-a-thon.</p>")
    assert 'title="An &quot;event&quot; &lt;b&gt;with&lt;/b&gt; {{ 7*7 }}"' in out
    assert "<b>" not in out


def test_arabic_terms_with_spaces_and_attached_prefixes() -> None:
    assert '>ويكي بيانات</a>' in link("<p>نستخدم ويكي بيانات كثيرًا.</p>")
    # A prefix glued to the word makes another word; it needs its own form in data.
    assert "pp-term" not in link("<p>وويكي بيانات</p>")


def test_attributes_and_comments_are_never_rewritten() -> None:
    html = '<p title="GLAM"><img alt="GLAM"><!-- GLAM --></p>'
    assert link(html) == html


def test_no_terms_no_change() -> None:
    assert link_terms("<p>GLAM</p>", [], "g/") == "<p>GLAM</p>"


def test_a_greater_than_sign_inside_an_attribute_is_not_text() -> None:
    """A parser, not a regular expression, finds where a tag ends (`>` may sit inside a quoted value)."""
    html = '<p><span data-note="a > museum">The museum opened.</span></p>'
    linked = link_terms(html, [TermForm("museum", "museum", "A place")], "glossary/")
    assert linked.startswith('<p><span data-note="a > museum">The <a class="pp-term"'), linked
    assert linked.count("pp-term") == 1
