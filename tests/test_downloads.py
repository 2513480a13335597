"""`make publish` and the Downloads page: every file the page links is in the site the deploy uploads.

`publish.publish` runs once for the module on a copy of the repository's
content (reusing the run's real site and offline copies for its first steps),
for English and Arabic and one playbook's handouts (the deploy makes
every language and playbook with the same code). The workflow uploads the
site/ that `make publish` writes; a test checks that it does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from playbook_site.publish import downloads, html_links
from playbook_site.publish import deploy as publish
from sites import REPO

LOCALES = ("en", "ar")
PLAYBOOK = "onboarding-a-glam-partner"
TREES = {"en": "", "es": "es/", "fr": "fr/", "ar": "ar/"}
SCRIPT = REPO / "scripts" / "system-packages.sh"


@pytest.fixture(scope="module")
def published(pristine_content: Path, real_site, offline_copies, tmp_path_factory: pytest.TempPathFactory, browser) -> Path:
    """A copy of the repository, published; returns its root (site/ and .build/downloads/ inside).

    Two steps reuse what the run has already built from the same content with the same code (see
    tests/conftest.py): the first build, without downloads, is the real site, and the one-language
    offline copies are copies of `offline_copies`. The handouts, zips, ZIM files, manifest and the
    final build with the Downloads pages are made here."""
    root = tmp_path_factory.mktemp("publish")
    for name in ("data", "playbooks", "docs"):
        shutil.copytree(pristine_content / name, root / name)
    for name in ("scripts", "overrides"):
        (root / name).symlink_to(REPO / name)
    shutil.copy(pristine_content / "mkdocs.yml", root / "mkdocs.yml")
    builds: list[bool] = []
    build = publish._build

    def first_build_is_the_real_site(at: Path, site: Path, with_downloads: bool) -> None:
        builds.append(with_downloads)
        if with_downloads:
            build(at, site, with_downloads)
        else:
            shutil.copytree(real_site.site, site)

    def shared_offline_copy(locale: str, work: Path, root: Path, progress) -> tuple[Path, dict[str, int]]:
        copy = work / locale
        shutil.copytree(offline_copies[locale].tree, copy)  # publish deletes its copy once zipped
        return copy, dict(offline_copies[locale].counts)

    messages: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(publish, "_build", first_build_is_the_real_site)
        patch.setattr(publish.offline, "prepared_copy", shared_offline_copy)
        publish.publish(root, root / "site", list(LOCALES), [PLAYBOOK], browser=browser, progress=messages.append)
    assert builds == [False, True], builds
    assert any("2/2" in message for message in messages), messages
    return root


def article_links(page: Path) -> list[tuple[str, bool]]:
    """(href, has a download attribute) of each link in the page's <article>."""
    return [(link.url, link.download) for link in html_links.read(page).links if link.tag == "a" and link.in_article and link.url]


def target_of(site: Path, page: Path, href: str) -> Path | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    return target / "index.html" if target.is_dir() else target


@pytest.mark.parametrize("locale", TREES)
def test_every_link_of_the_downloads_page_is_in_the_uploaded_site(published: Path, locale: str) -> None:
    site = published / "site"
    page = site / TREES[locale] / "downloads" / "index.html"
    links = article_links(page)
    missing = [href for href, _ in links if (target := target_of(site, page, href)) is not None and not (target.is_file() and target.is_relative_to(site.resolve()))]
    assert not missing, missing
    files = [href for href, download in links if download]
    if locale in LOCALES:
        names = sorted(href.rsplit("/", 1)[-1] for href in files)
        assert names == sorted([f"partnership-playbooks-{locale}.zip", f"partnership-playbooks-{locale}.zim", f"{PLAYBOOK}-{locale}.pdf", f"{PLAYBOOK}-sheet-{locale}.pdf"])
    else:
        assert files == [], "a language without made files links none"
        html = page.read_text(encoding="utf-8")
        assert 'class="pp-downloads-none"' in html


@pytest.mark.parametrize("locale", LOCALES)
def test_the_page_shows_each_file_s_real_size_and_date(published: Path, locale: str) -> None:
    site = published / "site"
    page = site / TREES[locale] / "downloads" / "index.html"
    html = page.read_text(encoding="utf-8")
    manifest = [item for item in downloads.read_manifest(downloads.folder_for(published)) if item.locale == locale]
    assert {item.kind for item in manifest} == {"offline", "zim", "handout", "sheet"}
    for item in manifest:
        assert (site / item.path).stat().st_size == item.bytes, item.path
        assert downloads.size_text(item.bytes, locale) in html
        assert f'<time datetime="{item.date}">{downloads.date_text(item.date, locale)}</time>' in html
    assert f'<html lang="{locale}"' in html


@pytest.mark.parametrize("locale", LOCALES)
def test_the_files_are_what_they_say(published: Path, locale: str) -> None:
    from libzim.reader import Archive

    folder = published / "site" / TREES[locale] / "downloads"
    with zipfile.ZipFile(folder / f"partnership-playbooks-{locale}.zip") as archive:
        assert f"partnership-playbooks-{locale}/index.html" in archive.namelist()
        assert not any(name.endswith((".zip", ".zim", ".pdf")) for name in archive.namelist()), "an offline copy carries no downloads"
    zim_file = Archive(folder / f"partnership-playbooks-{locale}.zim")
    assert bytes(zim_file.get_metadata("Language")).decode() == {"en": "eng", "ar": "ara"}[locale]
    for name in (f"{PLAYBOOK}-{locale}.pdf", f"{PLAYBOOK}-sheet-{locale}.pdf"):
        text = subprocess.run(["pdftotext", str(folder / "handouts" / name), "-"], capture_output=True, text=True, check=True).stdout
        assert ("GLAM" in text) and len(text) > 200, name


def test_the_downloads_page_is_in_the_navigation(published: Path) -> None:
    for locale, tree in TREES.items():
        home = (published / "site" / tree / "index.html").read_text(encoding="utf-8")
        assert re.search(r'href="(\./)?downloads/"', home), locale


@pytest.mark.browser
@pytest.mark.parametrize("locale", LOCALES)
def test_in_chromium_every_download_link_answers(published: Path, static_server, page, locale: str) -> None:
    url = static_server(published / "site")
    page.goto(f"{url}/{TREES[locale]}downloads/")
    hrefs = page.eval_on_selector_all("article a[download]", "links => links.map(link => link.href)")
    assert len(hrefs) == 4
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok, href
        assert int(response.headers["content-length"]) > 1000, href
    assert page.locator("article h1").inner_text()
    assert not page.problems, page.problems


def test_the_deploy_uploads_what_the_language_jobs_make() -> None:
    """Each language's job makes its tree and files (`make publish-tree`); the deploy job assembles them with the downloads and uploads site/."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    language_steps = workflow["jobs"]["languages"]["steps"]
    publish = next(step for step in language_steps if "make publish-tree TREE=${{ matrix.locale }}" in step.get("run", ""))
    assert "SITE_URL" in publish.get("env", {})
    upload = next(step for step in language_steps if str(step.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["with"]["path"].splitlines() == [".build/languages/${{ matrix.locale }}", ".build/downloads"]
    steps = workflow["jobs"]["deploy"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assemble_at = next(number for number, run in enumerate(runs) if run.strip() == "make assemble")
    upload_at = next(number for number, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert assemble_at < upload_at and steps[upload_at]["with"]["path"] == "site"
    assert steps[assemble_at]["env"]["PUBLISH_DOWNLOADS"] == "1" and "SITE_URL" in steps[assemble_at]["env"]


# -- one list of system packages for the workflow, .ci/run and make test -------------------------


def test_the_workflow_ci_and_make_test_install_from_one_script() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    for name, job in workflow["jobs"].items():
        runs = [step.get("run", "") for step in job["steps"]]
        if not any(runs):
            continue  # a job of GitHub actions only (configure-pages)
        assert "bash scripts/system-packages.sh" in runs, name
        assert job.get("container", "").startswith("debian:"), name
        assert not any("apt-get" in run for run in runs), name
        assert "CHROMIUM" not in str(job), "the workflow uses Debian's chromium, as .ci/run does"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/system-packages.sh" in ci and "apt-get" not in ci
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/system-packages.sh" in test_recipe
    script = SCRIPT.read_text(encoding="utf-8")
    for package in ("chromium", "fonts-noto-core", "poppler-utils", "kiwix-tools", "python3-venv", "make"):
        assert re.search(rf"\b{re.escape(package)}\b", script), package


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _listed_packages() -> list[str]:
    """The PACKAGES list of scripts/system-packages.sh, in order (the one list; comments left out)."""
    text = SCRIPT.read_text(encoding="utf-8")
    block = text[text.index("PACKAGES=(") + len("PACKAGES=("):text.index("\n)", text.index("PACKAGES=("))]
    packages = [word for line in block.splitlines() for word in line.split("#", 1)[0].split()]
    assert "chromium" in packages and len(packages) >= 5, packages
    return packages


@pytest.fixture()
def fake_debian(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A PATH where dpkg says nothing is installed and apt-get only records what it was asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir, "dpkg-query", "exit 1")
    _stub(bin_dir, "apt-get", f'echo "$@" >> {tmp_path}/apt-get.log')
    return tmp_path, {"PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}", "LANG": "C.UTF-8"}


def test_without_rights_the_script_prints_the_one_command(fake_debian: tuple[Path, dict[str, str]]) -> None:
    folder, env = fake_debian
    _stub(folder / "bin", "id", "echo 1000")
    _stub(folder / "bin", "sudo", "exit 1")  # sudo that asks for a password
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    commands = [line.strip() for line in result.stderr.splitlines() if "apt-get install" in line]
    assert commands == [f"sudo apt-get update && sudo apt-get install -y --no-install-recommends {' '.join(_listed_packages())}"]
    assert not (folder / "apt-get.log").exists()


def test_as_root_the_script_installs_what_is_missing(fake_debian: tuple[Path, dict[str, str]]) -> None:
    folder, env = fake_debian
    _stub(folder / "bin", "id", "echo 0")
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    log = (folder / "apt-get.log").read_text(encoding="utf-8").splitlines()
    assert log == ["update -qq", f"install -y -qq --no-install-recommends {' '.join(_listed_packages())}"]


def test_here_nothing_is_missing() -> None:
    result = subprocess.run(["bash", str(SCRIPT), "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_only_the_publish_build_reads_the_manifest(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `make build` after `make publish` links no leftover files; a one-language build never does."""
    from types import SimpleNamespace

    def config(only: str | None) -> SimpleNamespace:
        i18n = SimpleNamespace(config=SimpleNamespace(build_only_locale=only))
        return SimpleNamespace(plugins={"i18n": i18n}, config_file_path=str(published / "mkdocs.yml"))

    monkeypatch.delenv(downloads.SWITCH, raising=False)
    assert downloads.for_build(config(None)) == []
    monkeypatch.setenv(downloads.SWITCH, "1")
    assert len(downloads.for_build(config(None))) == 8
    assert downloads.for_build(config("ar")) == []
