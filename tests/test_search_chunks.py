"""Smaller Pagefind index chunks (publish/search_chunks.py).

Pagefind itself indexes small hand-written pages; the tests re-cut that
bundle and check that every word's entry is kept byte for byte, that every
word and query falls in exactly one chunk's range (a model of Pagefind's
lookup; `make bench` measures what a search really loads), that a word's
longer forms stay in its chunk, and, in Chromium, that searches give the
same pages with the same scores from Pagefind's own chunks and from ours.
The real site's bundles are checked at the end.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from playbook_site.publish import search_chunks, search_index

ENGLISH = "partner partners partnership partnerships museum museums library libraries archive archives volunteer volunteers workshop workshops editathon editathons the them their".split()
ARABIC = "الشراكات الشراكة شراكة شراكات الشريك الشركاء المتحف المتاحف المكتبة المكتبات ويكيميديا ورشة ورشات متطوع المتطوعين".split()
SMALL = 150  # bytes per chunk in these tests: many chunks from a few pages


def page_text(words: list[str], number: int) -> str:
    """A page's paragraphs: the words in a different order and mix on each page, so their entries differ."""
    rotated = words[number % len(words):] + words[: number % len(words)]
    return "".join(f"<p>{' '.join(rotated[start::3])} {number}</p>" for start in range(3))


def write_tree(tree: Path, lang: str, words: list[str], pages: int = 12) -> None:
    for number in range(pages):
        target = tree / f"page-{number}" / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        body = f"<h1>{words[number % len(words)]} {number}</h1>{page_text(words, number)}"
        target.write_text(f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{number}</title></head><body><main data-pagefind-body>{body}</main></body></html>', encoding="utf-8")


def pagefind_own_bundle(tree: Path) -> Path:
    """Pagefind's bundle of `tree`, as Pagefind writes it (no re-cutting): tree/pagefind/."""
    result = subprocess.run(search_index.pagefind_command(tree), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return tree / search_index.BUNDLE


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """{language: (Pagefind's own bundle, a copy re-cut into SMALL chunks)}; the site is one folder with both."""
    site = tmp_path_factory.mktemp("chunks")
    found = {}
    for lang, tree, words in (("en", site, ENGLISH), ("ar", site / "ar", ARABIC)):
        write_tree(tree, lang, words)
        own = pagefind_own_bundle(tree)
        cut = tree / "pagefind-cut"
        shutil.copytree(own, cut)
        search_chunks.rechunk_bundle(cut, SMALL)
        found[lang] = (own, cut)
    return found


def meta_of(bundle: Path) -> tuple[str, bytes]:
    entry = json.loads((bundle / search_chunks.ENTRY).read_text(encoding="utf-8"))
    [(language, info)] = entry["languages"].items()
    return language, search_chunks.read_file(bundle / f"pagefind.{info['hash']}.pf_meta")


def chunk_list(bundle: Path) -> list[tuple[str, str, list[tuple[str, bytes]]]]:
    """(from, to, words) of each chunk, in the metadata's order."""
    _, meta = meta_of(bundle)
    return [
        (start, end, search_chunks.chunk_words(search_chunks.read_file(bundle / "index" / f"{name}.pf_index")))
        for start, end, name in search_chunks.listed_chunks(meta)
    ]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_word_entry_is_kept_byte_for_byte_and_the_rest_of_the_metadata_too(bundles, lang: str) -> None:
    own, cut = bundles[lang]
    before = [word for *_, words in chunk_list(own) for word in words]
    after = [word for *_, words in chunk_list(cut) for word in words]
    assert len(chunk_list(own)) == 1 and len(chunk_list(cut)) > 5  # the fixture is meant to be cut
    assert after == before
    (_, own_meta), (_, cut_meta) = meta_of(own), meta_of(cut)
    own_parts, _ = search_chunks._items(own_meta, 0)
    cut_parts, _ = search_chunks._items(cut_meta, 0)
    assert [own_meta[a:b] for i, (a, b) in enumerate(own_parts) if i != 2] == [cut_meta[a:b] for i, (a, b) in enumerate(cut_parts) if i != 2]
    # The old chunk is gone, the new ones are all listed, and the entry file names the new metadata.
    assert {path.suffix for path in (cut / "index").iterdir()} == {".pf_index"}
    assert len(list((cut / "index").iterdir())) == len(chunk_list(cut))
    assert len(list(cut.glob("*.pf_meta"))) == 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_word_and_each_query_falls_in_exactly_one_range(bundles, lang: str) -> None:
    chunks = chunk_list(bundles[lang][1])
    assert chunks[0][0] == "" and chunks[-1][1] > "\uffff" * 10  # every query is covered
    for (_, end, _), (start, _, _) in zip(chunks, chunks[1:]):
        assert end < start and end.endswith(search_chunks.LAST_CODE_POINT)  # no gap a real query can fall in
    words = [word for *_, held in chunks for word, _ in held]
    queries = words + [word[:3] for word in words] + [word + "x" for word in words] + ["", "0", "zzzz", "ي" * 6]
    for query in queries:
        ranges = [held for start, end, held in chunks if start <= query <= end]
        assert len(ranges) == 1, query  # Pagefind's strict lookup finds it; its fallback is never needed
        if query in words:
            assert query in {word for word, _ in ranges[0]}, query
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_chunks_stay_small_and_keep_a_word_with_its_longer_forms(bundles, lang: str) -> None:
    chunks = chunk_list(bundles[lang][1])
    for (_, _, left), (_, _, right) in zip(chunks, chunks[1:]):
        size = sum(len(entry) for _, entry in left)
        assert size >= SMALL
        assert size - len(left[-1][1]) < 2 * SMALL  # closed once it reached SMALL, at twice SMALL at the latest
        if size < 2 * SMALL:
            held = [word for word, _ in left if len(word) >= search_chunks.KEEP_WITH_LONGER_FORMS]
            assert not [word for word in held if right[0][0].startswith(word)], (left[-1][0], right[0][0])


def test_a_bundle_already_in_many_chunks_is_cut_again_keeping_every_entry(bundles, tmp_path: Path) -> None:
    cut = bundles["ar"][1]
    again = shutil.copytree(cut, tmp_path / "pagefind")
    search_chunks.rechunk_bundle(again, SMALL * 3)
    assert 1 < len(chunk_list(again)) < len(chunk_list(cut))
    assert [word for *_, words in chunk_list(again) for word in words] == [word for *_, words in chunk_list(cut) for word in words]
    assert len(list((again / "index").iterdir())) == len(chunk_list(again)) and len(list(again.glob("*.pf_meta"))) == 1


def entries(*sized: tuple[str, int]) -> list[tuple[str, bytes]]:
    """Made-up words with entries of the given sizes."""
    return [(word, b"x" * size) for word, size in sized]


def test_a_chunk_closes_at_the_limit_but_not_before_a_longer_form_until_twice_the_limit() -> None:
    words = entries(("apple", 60), ("banana", 60), ("band", 60), ("bandana", 20), ("bands", 20), ("cab", 10))
    cut = search_chunks.split_words(words, 100)
    # 'band' is held: 'bandana' and 'bands' stay with it although the chunk passed 100 bytes; 'cab' starts a new one.
    assert [[word for word, _ in chunk] for chunk in cut] == [["apple", "banana"], ["band", "bandana", "bands"], ["cab"]]
    # Words shorter than KEEP_WITH_LONGER_FORMS hold nothing: 'de' does not keep 'demande' in its chunk.
    assert search_chunks.KEEP_WITH_LONGER_FORMS == 3
    cut = search_chunks.split_words(entries(("de", 120), ("demande", 10)), 100)
    assert [[word for word, _ in chunk] for chunk in cut] == [["de"], ["demande"]]
    # At twice the limit a chunk closes even before a longer form ('وال' starts hundreds of Arabic words).
    family = entries(("وال", 50), *((f"وال{letter}", 40) for letter in "ابتثجحخد"))
    cut = search_chunks.split_words(family, 100)
    assert len(cut) > 1 and all(sum(len(entry) for _, entry in chunk[:-1]) < 200 for chunk in cut)


def test_just_below_a_start_sorts_below_it_and_above_every_word_before_it() -> None:
    last = search_chunks.LAST_CODE_POINT
    assert search_chunks._just_below("band") == "banc" + last
    assert search_chunks._just_below("a\ue000") == "a\ud7ff" + last  # not a surrogate, which is not text
    assert search_chunks._just_below("ab\x00") == "ab"
    for start in ("band", "a\ue000", "ab\x00", "شراك"):
        below = search_chunks._just_below(start)
        below.encode("utf-8")
        assert below < start and not [word for word in (start[:-1], start[:-1] + "z") if below < word < start]


def test_each_range_starts_at_pagefinds_shortest_distinct_start_and_ends_just_below_the_next() -> None:
    chunks = [[("apple", b""), ("apricot", b"")], [("aprium", b""), ("banana", b"")], [("bandana", b"")]]
    last = search_chunks.LAST_CODE_POINT
    assert search_chunks.word_ranges(chunks) == [["", "aprit" + last], ["apriu", "banc" + last], ["band", last * 2]]
    # 'soci' (a stem that is not itself a word) sorts into the chunk of 'social', its longer form.
    ranges = search_chunks.word_ranges([[("sobre", b"")], [("social", b""), ("socio", b"")]])
    assert ranges[1][0] <= "soci" <= ranges[1][1] and not ranges[0][0] <= "soci" <= ranges[0][1]


def test_the_same_searches_find_the_same_pages_with_the_same_scores(bundles, browser, static_server) -> None:
    """In Chromium: Pagefind's own bundle and the re-cut copy, searched for every word and some prefixes."""
    own, _ = bundles["en"]
    base = static_server(own.parent)
    page = browser.new_page()
    try:
        for lang, tree, words in (("en", "", ENGLISH), ("ar", "ar/", ARABIC)):
            page.goto(f"{base}/{tree}page-0/")
            queries = words + [word[:4] for word in words] + [" ".join(pair) for pair in zip(words, words[3:])]
            results = page.evaluate(
                """async ([queries, bundles]) => {
                  const found = [];
                  for (const bundle of bundles) {
                    const pagefind = await import(bundle + "pagefind.js");
                    await pagefind.options({ noWorker: true });
                    await pagefind.init();
                    const answers = [];
                    for (const query of queries) {
                      const result = await pagefind.search(query);
                      answers.push(result.results.map((r) => [r.id, r.score.toFixed(6), r.words.join(",")]));
                    }
                    found.push(answers);
                  }
                  return found;
                }""",
                [queries, [f"/{tree}pagefind/", f"/{tree}pagefind-cut/"]],
            )
            own_answers, cut_answers = results
            assert sum(map(len, own_answers)) > len(queries), lang  # the searches find pages
            assert cut_answers == own_answers, lang
    finally:
        page.close()


def _rewrite_meta(bundle: Path, change) -> Path:
    path = next(bundle.glob("*.pf_meta"))
    path.write_bytes(gzip.compress(search_chunks.SIGNATURE + change(search_chunks.read_file(path))))
    return path


def test_a_pagefind_version_not_checked_is_refused_with_the_file_and_what_to_do(bundles, tmp_path: Path) -> None:
    bundle = shutil.copytree(bundles["en"][0], tmp_path / "pagefind")
    version = search_chunks.CHECKED_VERSIONS[0].encode()
    path = _rewrite_meta(bundle, lambda meta: meta.replace(version, b"9" * len(version), 1))
    with pytest.raises(search_chunks.BundleFormatError) as error:
        search_chunks.rechunk_bundle(bundle)
    assert str(path) in str(error.value) and "9" * len(version) in str(error.value) and "CHECKED_VERSIONS" in str(error.value)


def test_a_damaged_chunk_is_reported_with_its_file(bundles, tmp_path: Path) -> None:
    bundle = shutil.copytree(bundles["ar"][0], tmp_path / "pagefind")
    chunk = next((bundle / "index").glob("*.pf_index"))
    good = gzip.decompress(chunk.read_bytes())
    damaged = {
        "not a Pagefind word index": gzip.compress(search_chunks.SIGNATURE + b"\xff\x00"),
        "not a Pagefind word index ": gzip.compress(good + b"more"),  # something after the list of words
        "not a gzipped Pagefind file": b"not gzip",
        "not a gzipped Pagefind file ": chunk.read_bytes()[:12] + bytes(b ^ 0xFF for b in chunk.read_bytes()[12:40]) + chunk.read_bytes()[40:],  # a broken deflate stream
    }
    for message, data in damaged.items():
        chunk.write_bytes(data)
        before = sorted((path.name, path.stat().st_size) for path in bundle.rglob("*"))
        with pytest.raises(search_chunks.BundleFormatError, match=f"{chunk}: {message.strip()}"):
            search_chunks.rechunk_bundle(bundle)
        assert sorted((path.name, path.stat().st_size) for path in bundle.rglob("*")) == before, message  # nothing written


# -- the real site -------------------------------------------------------------------------------

def test_the_real_sites_bundles_are_cut_into_small_chunks(real_site) -> None:
    for bundle in sorted(real_site.site.glob("**/pagefind/pagefind-entry.json")):
        chunks = chunk_list(bundle.parent)
        sizes = [sum(len(entry) for _, entry in words) for *_, words in chunks]
        largest_word = max(len(entry) for *_, words in chunks for _, entry in words)
        assert len(chunks) > 5 and chunks[0][0] == "", bundle  # re-cut: Pagefind's own first range starts at its first word
        assert max(sizes) < 2 * search_chunks.CHUNK_BYTES + largest_word, bundle
