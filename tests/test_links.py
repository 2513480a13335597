"""Every internal link and anchor of the built site resolves, in every language."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playbook_site.publish.link_check import external_links, internal_link_problems
from sites import BuildResult, site_url

BASE_PATH = urlsplit(site_url()).path  # "/", or the path of $SITE_URL: where links from the server root start


def write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def test_every_internal_link_and_anchor_resolves(real_site: BuildResult) -> None:
    problems = internal_link_problems(real_site.site, base=BASE_PATH)
    assert not problems, "\n".join(map(str, problems[:40]))


def test_the_fixture_site_links_resolve_too(mini_site: BuildResult) -> None:
    problems = internal_link_problems(mini_site.site, base=BASE_PATH)
    assert not problems, "\n".join(map(str, problems[:40]))


def test_the_checker_finds_broken_pages_anchors_and_schemes(tmp_path: Path) -> None:
    write(tmp_path / "index.html", '<h1 id="top">Home</h1><a href="ok/">ok</a><a href="ok/#step-2">anchor</a><a href="#top">self</a>')
    write(tmp_path / "ok" / "index.html", '<h2 id="step-2">Two</h2><a href="../missing/">gone</a><a href="../#nope">bad anchor</a>')
    write(tmp_path / "es" / "index.html", '<a href="../ok/#step-2">ok</a><a href="javascript:alert(1)">x</a><a href="https://example.org/">ext</a><a href="#">top</a>')
    # A redirect page's target is a link too: its meta refresh and its canonical link.
    write(tmp_path / "go" / "x" / "index.html", '<meta http-equiv="refresh" content="0; url=../../ok/#step-9"><link rel="canonical" href="../../ok/#step-2">')
    found = sorted(str(problem) for problem in internal_link_problems(tmp_path))
    assert found == [
        "/es/index.html: javascript:alert(1): 'javascript:' links are not allowed",
        "/go/x/index.html: ../../ok/#step-9: no element with id 'step-9' on that page",
        "/ok/index.html: ../#nope: no element with id 'nope' on that page",
        "/ok/index.html: ../missing/: no such page or file",
    ]
    assert external_links(tmp_path) == {"https://example.org/": ["/es/index.html"]}


def test_the_checker_follows_the_site_path(tmp_path: Path) -> None:
    """A site served under /playbooks/ links from the server root with that path in front."""
    write(tmp_path / "index.html", '<a href="/playbooks/ok/">ok</a><a href="/ok/">outside</a><a href="/playbooks/missing/">gone</a>')
    write(tmp_path / "ok" / "index.html", '<a href="../">up</a><a href="/playbooks/#x">no anchor</a>')
    found = sorted(str(problem) for problem in internal_link_problems(tmp_path, base="/playbooks/"))
    assert found == [
        "/index.html: /ok/: outside the site's path /playbooks/",
        "/index.html: /playbooks/missing/: no such page or file",
        "/ok/index.html: /playbooks/#x: no element with id 'x' on that page",
    ]
    assert [str(problem) for problem in internal_link_problems(tmp_path)] == ["/index.html: /playbooks/ok/: no such page or file", "/index.html: /playbooks/missing/: no such page or file", "/ok/index.html: /playbooks/#x: no such page or file"]


def test_the_real_site_has_links_to_check(real_site: BuildResult) -> None:
    """Guard against a checker that silently reads nothing."""
    html = (real_site.site / "ar" / "playbooks" / "onboarding-a-glam-partner" / "index.html").read_text(encoding="utf-8")
    assert html.count('href="../../glossary/#') >= 3
    assert len(external_links(real_site.site)) >= 5
