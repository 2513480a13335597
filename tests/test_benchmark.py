"""The benchmark's pure parts: budgets, verdicts, growth ratios, synthetic data, parsers.

Nothing here is timed; the measurements themselves run with `make bench`.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from benchmark import (
    build_ratio,
    lighthouse,
    reload,
    report,
    scaling,
    synthetic,
    weight,
    workspace,
)
from benchmark.budgets import Budget, BudgetError, compare, parse_budgets, parse_target
from playbook_site.content.catalogue import ContentRoots, load_catalogue
from playbook_site.content.yaml_source import parse_yaml_text
from sites import REPO

README = """# Project

Some text.

## Performance budgets

| budget | what it measures | target |
|---|---|---|
| `build_ratio` | full build / bare Material build | ≤ 1.15 |
| scaling_time | 2,000 case studies × 4 languages | ≤ 60 s |
| scaling_memory | peak memory | <= 300 MB |
| lighthouse_performance | mobile performance | ≥ 95 |
| big | a large number | ≤ 2,000 KB |

Why a target is missed.

## Next section

| not_a_budget | nothing | ≤ 1 |
"""


def budget(text: str, key: str = "b") -> Budget:
    op, limit, unit = parse_target(text)
    return Budget(key, "", op, limit, unit, text)


# -- budgets ------------------------------------------------------------------


def test_budgets_are_read_from_the_table_under_the_heading() -> None:
    budgets = parse_budgets(README)
    assert list(budgets) == ["build_ratio", "scaling_time", "scaling_memory", "lighthouse_performance", "big"]
    assert (budgets["build_ratio"].op, budgets["build_ratio"].limit, budgets["build_ratio"].unit) == ("<=", 1.15, "")
    assert (budgets["scaling_time"].limit, budgets["scaling_time"].unit) == (60.0, "s")
    assert (budgets["scaling_memory"].op, budgets["scaling_memory"].unit) == ("<=", "MB")
    assert budgets["lighthouse_performance"].op == ">="
    assert budgets["big"].limit == 2000.0
    assert budgets["build_ratio"].description == "full build / bare Material build"


def test_a_missing_budgets_section_says_what_to_add() -> None:
    with pytest.raises(BudgetError, match=r"^README\.md: no '## Performance budgets' section"):
        parse_budgets("# Project\n\n## Tests\n")


def test_a_section_without_rows_is_an_error() -> None:
    with pytest.raises(BudgetError, match=r"README\.md:3: .*no table rows"):
        parse_budgets("# P\n\n## Performance budgets\n\nNothing yet.\n")


def test_a_bad_target_names_file_line_and_budget() -> None:
    text = README.replace("≤ 60 s", "about a minute")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "about a minute" in row)
    with pytest.raises(BudgetError, match=rf"^README\.md:{line}: budget 'scaling_time': target 'about a minute'"):
        parse_budgets(text)


def test_a_budget_listed_twice_is_an_error() -> None:
    text = README.replace("| big |", "| build_ratio |")
    with pytest.raises(BudgetError, match="'build_ratio' is listed twice"):
        parse_budgets(text)


@pytest.mark.parametrize("text", ["< 5", "≤ five", "≤ 5 parsecs", "5 s"])
def test_targets_must_have_an_operator_a_number_and_a_known_unit(text: str) -> None:
    with pytest.raises(ValueError):
        parse_target(text)


# -- verdicts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "target", "ok", "status"),
    [
        (1.10, "×", "≤ 1.15", True, "ok"),
        (1.15, "×", "≤ 1.15", True, "ok"),
        (1.38, "×", "≤ 1.15", False, "missed by 20%"),
        (60.3, "s", "≤ 60 s", False, "missed by 0.5%"),
        (76, "score", "≥ 95", False, "missed by 20%"),
        (100, "score", "≥ 100", True, "ok"),
        (500, "KB", "≤ 1 MB", True, "ok"),
        (160, "KB", "≤ 80 KB", False, "missed by 100%"),
        (3000, "ms", "≤ 2 s", False, "missed by 50%"),
    ],
)
def test_compare_says_ok_or_by_how_much_a_target_is_missed(value: float, unit: str, target: str, ok: bool, status: str) -> None:
    verdict = compare(value, unit, budget(target))
    assert (verdict.ok, verdict.status) == (ok, status)


def test_compare_refuses_to_mix_dimensions_and_handles_no_value() -> None:
    assert compare(3.0, "s", budget("≤ 80 KB")).ok is None
    assert "does not fit" in compare(3.0, "s", budget("≤ 80 KB")).status
    assert compare(None, "s", budget("≤ 2 s")).status == "not measured"
    assert compare(1.0, "s", None).status == "no budget"


def test_table_and_json_carry_value_budget_and_status(tmp_path: Path) -> None:
    budgets = parse_budgets(README)
    sections = [
        report.Section("build_ratio", [report.Measure("build: full / bare", 2.3, "×", "build_ratio"), report.Measure("build: full", 11.5, "s")]),
        report.Section("lighthouse", not_run="chromium not found"),
        report.Section("scaling", error="Traceback ..."),
    ]
    text = report.table(sections, budgets)
    row = next(line for line in text.splitlines() if line.startswith("build: full / bare"))
    assert "2.30×" in row and "≤ 1.15" in row and "missed by 100%" in row
    assert "not run: chromium not found" in text and "crashed" in text
    data = report.to_json(sections, budgets, {"quick": True})
    report.write_json(data, tmp_path / "out" / "results.json")
    saved = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    [ratio, full] = saved["measures"]
    assert ratio["ok"] is False and ratio["missed_by_percent"] == 100.0 and ratio["budget"]["limit"] == 1.15
    assert full["budget"] is None and full["ok"] is None
    assert saved["sections"]["scaling"]["error"] == "Traceback ..." and saved["quick"] is True


# -- scaling --------------------------------------------------------------------


def test_growth_ratios_pair_each_count_with_its_double() -> None:
    ratios = scaling.growth_ratios({0: 10.0, 500: 20.0, 1000: 35.0, 2000: 70.0})
    assert ratios == {"500→1000": 1.75, "1000→2000": 2.0}
    assert scaling.growth_ratios({0: 10.0, 50: 12.0, 200: 20.0}) == {}


def test_peak_memory_units_follow_the_platform() -> None:
    assert workspace.maxrss_to_mb(300 * 1024, "linux") == 300.0
    assert workspace.maxrss_to_mb(300 * 1024 * 1024, "darwin") == 300.0


def test_run_measured_reports_the_childs_own_peak_memory(tmp_path: Path) -> None:
    code = "block = bytearray(120 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); raise SystemExit(3)"
    result = workspace.run_measured([sys.executable, "-c", code], tmp_path, workspace.child_env())
    assert result.returncode == 3
    assert 120 <= result.peak_mb < 400
    assert result.cpu_seconds > 0


def test_run_measured_sums_the_memory_of_processes_alive_at_once(tmp_path: Path) -> None:
    """Two children holding 100 MB each at the same time: the tree held over 200 MB, its largest process about 100."""
    child = "import time; block = bytearray(100 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); time.sleep(1.5)"
    parent = f"import subprocess, sys; children = [subprocess.Popen([sys.executable, '-c', {child!r}]) for _ in range(2)]; [c.wait() for c in children]"
    result = workspace.run_measured([sys.executable, "-c", parent], tmp_path, workspace.child_env())
    assert result.returncode == 0
    assert result.peak_mb >= 100  # the kernel's figure may include the pre-exec copy of a large parent (pytest)
    assert result.tree_peak_mb >= 200 and result.processes >= 3
    assert [what.split()[0] for what, _ in result.largest[:2]] == [Path(sys.executable).name] * 2
    assert all(100 <= size < 200 for _, size in result.largest[:2]), result.largest


def test_the_bare_pages_are_split_into_one_project_per_language(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    for name in ("index.md", "playbooks/a.md", "es/index.md", "es/playbooks/a.md", "ar/index.md"):
        (dump / name).parent.mkdir(parents=True, exist_ok=True)
        (dump / name).write_text(name, encoding="utf-8")
    projects = build_ratio.split_by_language(dump, tmp_path / "bare", ("en", "es", "ar"), "en", "site_name: x\n")
    assert [project.name for project in projects] == ["en", "es", "ar"]
    assert sorted(p.relative_to(projects[0]).as_posix() for p in projects[0].rglob("*.md")) == ["docs/index.md", "docs/playbooks/a.md"]
    assert (projects[1] / "docs" / "playbooks" / "a.md").read_text(encoding="utf-8") == "es/playbooks/a.md"
    assert all((project / "mkdocs.yml").is_file() for project in projects)


def test_the_static_server_gzips_text_like_github_pages(tmp_path: Path) -> None:
    import urllib.request

    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>hello</p>" * 100, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"PNG" * 10)
    base, server = workspace.serve_folder(tmp_path)
    try:
        request = urllib.request.Request(base + "page/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()).decode() == "<p>hello</p>" * 100
        with urllib.request.urlopen(base + "page/") as response:
            assert response.headers["Content-Encoding"] is None and response.read().startswith(b"<p>hello")
        request = urllib.request.Request(base + "logo.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] is None and response.read() == b"PNG" * 10
    finally:
        server.shutdown()


# -- synthetic case studies -----------------------------------------------------


LOCALES = ("en", "es", "fr", "ar")


def test_synthetic_entries_have_unique_valid_ids_and_every_language() -> None:
    template = synthetic.read_template(REPO / "data" / "case_studies" / "editatona.yml")
    del template["title"]["fr"]
    template["lessons"] = {"en": template["lessons"]["en"]}
    files = synthetic.synthetic_case_studies(template, 3, LOCALES)
    assert len(files) == 3
    summaries = set()
    for name, text in files.items():
        document, problems = parse_yaml_text(text, Path(name))
        assert document is not None, problems
        data = document.data
        assert name == f"{data['id']}.yml" and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", data["id"])
        assert list(data["title"]) == list(LOCALES) and list(data["lessons"]) == list(LOCALES)
        # The French title is the English one's words, shuffled, then the clone's number.
        assert data["title"]["fr"].endswith(f" ({data['id'][-1]})")
        assert sorted(data["title"]["fr"].rsplit(" (", 1)[0].split()) == sorted(synthetic.shuffled_words(template["title"]["en"], synthetic.random.Random(0)).split())
        assert data["added"] == template["added"] and data["region"] == template["region"]
        summaries.add(data["summary"]["en"])
        assert sorted(data["summary"]["en"].split()) == sorted(synthetic.shuffled_words(template["summary"]["en"], synthetic.random.Random(0)).split())
    assert len(summaries) == 3, "clones must not repeat one text: gzip would hide their cost"
    titles = {json.dumps(parse_yaml_text(text, Path(name))[0].data["title"]) for name, text in files.items()}
    assert len(titles) == 3
    assert files == synthetic.synthetic_case_studies(template, 3, LOCALES)  # a fixed seed


def test_synthetic_texts_compress_like_prose_not_like_copies() -> None:
    folder = REPO / "data" / "case_studies"
    templates = [synthetic.read_template(path) for path in sorted(folder.glob("*.yml"))]
    files = synthetic.synthetic_case_studies(templates, 40, LOCALES)
    joined = "".join(files.values()).encode("utf-8")
    one = "".join(synthetic.synthetic_case_studies(templates[0], 1, LOCALES).values()).encode("utf-8")
    # 40 copies of one entry gzip to little more than one entry; 40 clones cost about 40 entries.
    assert len(gzip.compress(joined)) > 20 * len(gzip.compress(one))
    assert len(gzip.compress(joined)) / len(joined) > 0.25  # prose-like, where copies reach ~0.02
    assert "](http" not in joined.decode("utf-8")


def test_synthetic_entries_load_as_valid_data(tmp_path: Path) -> None:
    for name in ("data", "playbooks", "docs"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    folder = tmp_path / "data" / "case_studies"
    template = synthetic.read_template(min(folder.glob("*.yml")))
    real = {path.stem for path in folder.glob("*.yml")}
    written = synthetic.write_synthetic(folder, template, 5, LOCALES)
    assert len(written) == 5
    catalogue = load_catalogue(ContentRoots.beside(tmp_path / "mkdocs.yml"))
    assert set(catalogue.case_studies) == real | {synthetic.synthetic_id(number) for number in range(1, 6)}
    assert synthetic.write_synthetic(folder, template, 2, LOCALES) and len(list(folder.glob("synthetic-*.yml"))) == 2


# -- build ratio: editing a copy's mkdocs.yml -----------------------------------


MKDOCS_YML = """site_name: X
plugins:
  - search
  - macros:
      module_name: scripts/macros

hooks:
  - scripts/hooks.py

nav:
  - index.md
  - about.md
markdown_extensions:
  - toc:
      permalink: true
"""


def test_top_level_blocks_and_the_extra_hook() -> None:
    assert build_ratio.top_level_block(MKDOCS_YML, "hooks") == "hooks:\n  - scripts/hooks.py\n"
    assert build_ratio.top_level_block(MKDOCS_YML, "nav") == "nav:\n  - index.md\n  - about.md\n"
    changed = build_ratio.with_extra_hook(MKDOCS_YML, "scripts/benchmark/dump_rendered.py")
    assert "hooks:\n  - scripts/hooks.py\n  - scripts/benchmark/dump_rendered.py\n" in changed
    with pytest.raises(ValueError, match="no top-level 'theme:'"):
        build_ratio.top_level_block(MKDOCS_YML, "theme")


def test_the_bare_project_has_material_and_search_only() -> None:
    config = build_ratio.bare_config(MKDOCS_YML)
    assert "macros" not in config and "hooks" not in config and "i18n" not in config
    assert "theme:\n  name: material\n" in config and "plugins:\n  - search\n" in config
    assert "toc:\n      permalink: true" in config and "nav:\n  - index.md" in config


# -- reload: editing a YAML title ------------------------------------------------


def test_replace_localized_sets_one_language_whatever_the_style() -> None:
    text = 'id: x\ntitle:\n  en: >-\n    Long title\n    on two lines\n  es: "Título"\nsummary:\n  en: Text\n'
    changed = reload.replace_localized(text, "title", "en", 'New "title" ü')
    assert changed == 'id: x\ntitle:\n  en: "New \\"title\\" ü"\n  es: "Título"\nsummary:\n  en: Text\n'
    assert reload.replace_localized(text, "summary", "en", "S").endswith('summary:\n  en: "S"\n')
    with pytest.raises(ValueError, match="no 'fr:'"):
        reload.replace_localized(text, "title", "fr", "x")
    with pytest.raises(ValueError, match="no top-level 'lessons:'"):
        reload.replace_localized(text, "lessons", "en", "x")


# -- weight --------------------------------------------------------------------


def test_weight_summary_counts_encoded_bytes_and_names_search_and_data_files() -> None:
    base = "http://127.0.0.1:9/"
    entries = [
        {"url": base + "playbooks/x/", "type": "document", "status": 200, "encoding": "gzip", "body": 9000, "headers": 200},
        {"url": base + "assets/bundle.js", "type": "script", "status": 200, "encoding": "gzip", "body": 30000, "headers": 200},
        {"url": base + "sitemap.xml", "type": "fetch", "status": 200, "encoding": "gzip", "body": 2000, "headers": 150},
        {"url": base + "pagefind/wasm.en.pagefind", "type": "fetch", "status": 200, "encoding": "", "body": 70000, "headers": 150},
        {"url": "https://fonts.example.org/x.css", "type": "stylesheet", "status": 200, "encoding": "", "body": 100, "headers": 100},
    ]
    got = weight.summary(entries, base)
    assert (got["requests"], got["body_bytes"], got["header_bytes"]) == (5, 111100, 800)
    assert got["search_bytes"] == 70000 and got["data_files"] == ["sitemap.xml"]
    assert got["outside"] == ["https://fonts.example.org/x.css"]
    assert got["files"][1]["url"] == "assets/bundle.js"


def test_weight_measures_three_page_types_in_english_and_arabic_and_the_playbook_in_every_language() -> None:
    pages = weight.pages_to_measure(REPO, LOCALES, "en")
    others = [locale for locale in LOCALES if locale not in ("en", "ar")]
    assert others and [(locale, kind) for locale, kind, _ in pages] == [(locale, kind) for locale in ("en", "ar") for kind in ("playbook", "case study", "explorer")] + [(locale, "playbook") for locale in others]
    for locale, _, path in pages:
        assert (REPO / "docs" / path.removeprefix("ar/")).exists() or (REPO / "data" / "case_studies" / (path.rstrip("/").rsplit("/", 1)[-1] + ".yml")).exists() or (REPO / "playbooks" / (path.rstrip("/").rsplit("/", 1)[-1] + ".md")).exists(), path
        assert path.startswith(f"{locale}/") == (locale != "en")
    assert set(weight.COMMON_WORDS) == set(LOCALES)


def test_the_common_words_searched_are_those_on_the_most_pages_of_the_tree(tmp_path: Path) -> None:
    texts = ["Partners meet the museum; التعلّم،", "Partners and museums, again partners. التعلّم", "A museum of partners «التعلّم»", "Libraries only 12345"]
    folder = tmp_path / "es" / "pagefind" / "fragment"
    folder.mkdir(parents=True)
    for number, text in enumerate(texts):
        (folder / f"es_{number}.pf_fragment").write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps({"url": "/", "content": text}).encode()))
    assert weight.common_words(tmp_path, "es/", 3) == ["partners", "التعلّم", "museum"]  # ties in alphabetical order; the word with its shadda, without the comma


def test_weight_measures_today_and_2000_case_studies_unless_told_which(tmp_path: Path) -> None:
    from benchmark.workspace import Context

    assert weight.site_counts(Context(work=tmp_path)) == (0, 2000)
    assert weight.site_counts(Context(work=tmp_path, quick=True)) == (0, 200)
    assert weight.site_counts(Context(work=tmp_path, counts=(0,))) == (0,)  # `--counts 0`: first loads of the site as it is, in a minute


# -- lighthouse ------------------------------------------------------------------


def test_lighthouse_scores_and_the_audits_that_cost_points() -> None:
    result = {
        "categories": {
            "performance": {"score": 0.77, "auditRefs": [{"id": "total-blocking-time", "weight": 30}, {"id": "cls", "weight": 25}, {"id": "info", "weight": 0}]},
            "accessibility": {"score": 1.0, "auditRefs": []},
        },
        "audits": {"total-blocking-time": {"score": 0.45, "displayValue": "650 ms"}, "cls": {"score": 1}, "info": {"score": 0}},
    }
    assert lighthouse.scores(result) == {"performance": 77, "accessibility": 100}
    assert lighthouse.failing_audits(result, "performance") == ["total-blocking-time (0.45, 650 ms)"]
    assert lighthouse.median_scores([{"performance": 60, "accessibility": 100}, {"performance": 90, "accessibility": None}, {"performance": 70}]) == {"performance": 70, "accessibility": 100}
    with pytest.raises(lighthouse.NotRun, match="runtime error: no page"):
        lighthouse.scores({"runtimeError": {"code": "X", "message": "no page"}})


def test_the_dump_hook_writes_each_pages_rendered_markdown_into_its_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from benchmark import dump_rendered
    from markupsafe import escape

    monkeypatch.setenv("PP_BENCH_DUMP", str(tmp_path))
    i18n = SimpleNamespace(default_language="en")
    for locale in ("en", "ar"):
        config = SimpleNamespace(theme={"language": locale}, plugins={"i18n": i18n})
        page = SimpleNamespace(
            file=SimpleNamespace(src_uri=f"case-studies/x.{locale}.md", norm_src_uri="case-studies/x.md"),
            meta={"data_page": "case_study", "title": escape("Tom & Jerry")},
            markdown=f"<h1>{locale}</h1>\n",
        )
        assert dump_rendered.on_page_content("<p>html</p>", page, config, None) == "<p>html</p>"
    english = (tmp_path / "case-studies" / "x.md").read_text(encoding="utf-8")
    assert english == "---\ndata_page: case_study\ntitle: Tom & Jerry\n---\n\n<h1>en</h1>\n"
    assert (tmp_path / "ar" / "case-studies" / "x.md").read_text(encoding="utf-8").endswith("<h1>ar</h1>\n")
