"""Smaller Pagefind index chunks, so that a first search downloads less.

Pagefind 1.5 cuts each language's word index into chunks of about 20,000
word locations: a constant in its source (`chunk_index(word_map, 20000)` in
pagefind/src/index/mod.rs), with no option to change it. Such a chunk is
up to 53 KB gzipped. A search downloads the chunk of each word typed
and, since 1.5, the chunk of the word's stem too. In Arabic the two sort far
apart ("الشراكات" typed, "شراك" its stem), so the first search of a common
Arabic word downloaded two whole chunks: about 90 KB of a 150 KB budget.

`rechunk_bundle` cuts the same words, in the same order, into chunks of
about `CHUNK_BYTES`, with word ranges that leave no gap between chunks
(`word_ranges`), and rewrites the list of chunks in the metadata file (and
the metadata file's name in the entry file). Each word's entry is copied byte
for byte: a search finds the same pages with the same scores, except that a
word's longer forms ("partner" -> "partners") are kept in its chunk where
Pagefind's cut could fall between them (`split_words`).

The files are Pagefind's: gzip of the signature "pagefind_dcd" followed by
CBOR (pagefind/src/index/index_words.rs and index_metadata.rs). The few
lines of CBOR reading below find where each word's entry starts and ends
without decoding its numbers: a CBOR library would decode (and re-encode)
every location, millions at 2,000 case studies, ten times slower. These
formats are not a public interface, so only the Pagefind versions in
`CHECKED_VERSIONS` are rewritten; any other version is an error that names
this file, not a search that quietly breaks after an upgrade.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from pathlib import Path

# pagefind-bin versions whose bundle formats this was checked against (requirements.txt pins one).
CHECKED_VERSIONS = ("1.5.2",)
# Bytes of CBOR per chunk, before gzip (which makes them about 40% of that).
# Smaller chunks cost less per word searched, but each chunk adds a line (its
# word range and name) to the metadata that every first search downloads;
# the README has what `make bench` (weight) measured with this size.
CHUNK_BYTES = 12_000
# Words this long or longer stay in one chunk with the words that start with them.
KEEP_WITH_LONGER_FORMS = 3
LAST_CODE_POINT = "\U0010ffff"
SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"

# The metadata file is a CBOR array: [version, pages, index chunks, filters, sorts, meta fields].
_META_VERSION, _META_CHUNKS = 0, 2
_ARRAY, _TEXT = 4, 3  # CBOR major types


class BundleFormatError(Exception):
    """The Pagefind bundle is not in a format this module knows; the message names the file."""


# --- the little CBOR this needs: item heads, item ends, arrays of text ---

def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """(major type, value, where the item's content starts) of the CBOR item at `at`."""
    first = data[at]
    major, extra = first >> 5, first & 31
    if extra < 24:
        return major, extra, at + 1
    if extra > 27:
        raise ValueError(f"a CBOR item Pagefind does not write (byte {first:#x} at {at})")
    width = 1 << (extra - 24)
    return major, int.from_bytes(data[at + 1 : at + 1 + width], "big"), at + 1 + width


def _item_end(data: bytes, at: int) -> int:
    """Where the CBOR item that starts at `at` ends (numbers, strings, arrays and maps of definite length).

    `_head`, written out in the loop: this runs once for each of the millions
    of location numbers in a large index.
    """
    pending = 1
    while pending:
        pending -= 1
        first = data[at]
        major, value = first >> 5, first & 31
        if value < 24:
            at += 1
        elif value == 24:  # most location numbers
            value = data[at + 1]
            at += 2
        elif value < 28:
            width = 1 << (value - 24)
            value = int.from_bytes(data[at + 1 : at + 1 + width], "big")
            at += 1 + width
        else:
            raise ValueError(f"a CBOR item Pagefind does not write (byte {first:#x} at {at})")
        if major == 2 or major == 3:  # byte and text strings
            at += value
        elif major == _ARRAY:
            pending += value
        elif major == 5:  # map
            pending += 2 * value
        elif major > 5:
            raise ValueError(f"a CBOR item Pagefind does not write (major type {major} before {at})")
    return at


def _items(data: bytes, at: int) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each element of the array at `at`, and where the array ends."""
    major, count, first = _head(data, at)
    if major != _ARRAY:
        raise ValueError(f"an array was expected at {at}")
    spans = []
    for _ in range(count):
        end = _item_end(data, first)
        if end > len(data):
            raise ValueError(f"the array at {at} runs past the end of the data")
        spans.append((first, end))
        first = end
    return spans, first


def _text_at(data: bytes, at: int) -> str:
    major, length, start = _head(data, at)
    if major != _TEXT or start + length > len(data):
        raise ValueError(f"a text string was expected at {at}")
    return data[start : start + length].decode("utf-8")


def _encode_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | extra]) + value.to_bytes(width, "big")
    raise ValueError(f"{value} is too large for CBOR")


def _encode_texts(rows: list[list[str]]) -> bytes:
    """CBOR of an array of arrays of text strings."""
    out = [_encode_head(_ARRAY, len(rows))]
    for row in rows:
        out.append(_encode_head(_ARRAY, len(row)))
        for text in row:
            encoded = text.encode("utf-8")
            out += [_encode_head(_TEXT, len(encoded)), encoded]
    return b"".join(out)


# --- Pagefind's files ---

def read_file(path: Path) -> bytes:
    """What follows the signature in one of Pagefind's gzipped files: CBOR (index, metadata) or JSON (page fragments)."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as error:
        raise BundleFormatError(f"{path}: not a gzipped Pagefind file ({error})") from None
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path}: does not start with Pagefind's signature {SIGNATURE.decode()!r}")
    return data[len(SIGNATURE):]


def encode_file(cbor: bytes) -> bytes:
    """A Pagefind file's bytes: the same bytes for the same content."""
    return gzip.compress(SIGNATURE + cbor, compresslevel=9, mtime=0)


def listed_chunks(meta: bytes) -> list[tuple[str, str, str]]:
    """(from, to, name) of each index chunk a metadata file lists, in its order."""
    parts, _ = _items(meta, 0)
    rows, _ = _items(meta, parts[_META_CHUNKS][0])
    listed = []
    for row_start, _ in rows:
        fields, _ = _items(meta, row_start)
        start, end, name = (_text_at(meta, at) for at, _ in fields[:3])
        listed.append((start, end, name))
    return listed


def chunk_words(cbor: bytes) -> list[tuple[str, bytes]]:
    """(word, the word's whole entry as CBOR) of each word in an index chunk: [[[word, pages...], ...]]."""
    outer, end = _items(cbor, 0)
    if len(outer) != 1 or end != len(cbor):
        raise ValueError("an index chunk holds one list of words and nothing after it")
    entries, _ = _items(cbor, outer[0][0])
    words = []
    for start, end in entries:
        major, _, first = _head(cbor, start)
        if major != _ARRAY:
            raise ValueError(f"a word's entry was expected at {start}")
        words.append((_text_at(cbor, first), cbor[start:end]))
    return words


def chunk_cbor(words: list[tuple[str, bytes]]) -> bytes:
    """An index chunk's CBOR: one list of the words' entries, as `chunk_words` reads it."""
    return _encode_head(_ARRAY, 1) + _encode_head(_ARRAY, len(words)) + b"".join(entry for _, entry in words)


# --- cutting ---

def split_words(words: list[tuple[str, bytes]], limit: int) -> list[list[tuple[str, bytes]]]:
    """Words (sorted) in runs of about `limit` bytes of entries.

    A run closes once it reaches `limit`, but not between a word and the words
    that start with it ("partner", "partners", "partnership"): Pagefind also
    finds a searched word's longer forms, and only in the chunks it loaded,
    which are the chunks of the word itself. Words shorter than
    `KEEP_WITH_LONGER_FORMS` letters ("a", "in") are left out of this rule, or
    one run would hold every word that starts with them; and a run closes at
    twice `limit` in any case ("وال" starts hundreds of Arabic words).
    """
    chunks: list[list[tuple[str, bytes]]] = []
    chunk: list[tuple[str, bytes]] = []
    held: set[str] = set()  # the run's words that their longer forms stay with
    size = 0
    for word, entry in words:
        longer_form = any(word[:end] in held for end in range(KEEP_WITH_LONGER_FORMS, len(word)))
        if size >= limit and (size >= 2 * limit or not longer_form):
            chunks.append(chunk)
            chunk, held, size = [], set(), 0
        chunk.append((word, entry))
        if len(word) >= KEEP_WITH_LONGER_FORMS:
            held.add(word)
        size += len(entry)
    if chunk:
        chunks.append(chunk)
    return chunks


def _distinct_start(previous: str, word: str) -> str:
    """The shortest start of `word` that sorts after `previous` (as Pagefind's get_prefixes starts a chunk)."""
    common = 0
    for a, b in zip(previous, word):
        if a != b:
            break
        common += 1
    return word[: common + 1]


def _just_below(text: str) -> str:
    """A string that sorts after every word below `text` and before `text` itself.

    Its last letter is the one before `text`'s, followed by the last code
    point there is, which no query holds: 'band' -> 'banc\U0010ffff'.
    """
    below = ord(text[-1]) - 1
    if below < 0:  # nothing sorts between 'ab' and 'ab\x00'
        return text[:-1]
    if 0xD800 <= below <= 0xDFFF:  # surrogates are not text
        below = 0xD7FF
    return text[:-1] + chr(below) + LAST_CODE_POINT


def word_ranges(chunks: list[list[tuple[str, bytes]]]) -> list[list[str]]:
    """[from, to] of each chunk: for a word typed and its stem, a search loads the chunk whose range holds it.

    Each chunk starts where Pagefind would start it: its first word cut to
    the shortest start that tells it from the word before, so a query that
    starts a word ('soci' for 'social') finds that word's chunk. But each
    chunk ends just below where the next one starts, the first begins at ''
    and the last ends after any query: every query falls in exactly one
    range. Pagefind ends a chunk at the same kind of shortened word, which
    leaves gaps between the ranges ('de' then 'dea': 'demandé' is in
    neither); for a query in a gap Pagefind loads every chunk whose range,
    cut to the query's length, holds it: there, also the whole chunk of
    the word 'de' (52 KB gzipped at 2,000 case studies).
    """
    starts = [chunk[0][0] for chunk in chunks]
    for index in range(1, len(chunks)):
        starts[index] = _distinct_start(chunks[index - 1][-1][0], chunks[index][0][0])
    ends = [_just_below(start) for start in starts[1:]] + [LAST_CODE_POINT * 2]
    return [["" if index == 0 else start, end] for index, (start, end) in enumerate(zip(starts, ends))]


def _name(prefix: str, data: bytes, length: int, taken: set[str]) -> str:
    """`<language>_<hash>`, made longer where two files would share a name."""
    digest = hashlib.sha256(data).hexdigest()
    name = f"{prefix}_{digest[:length]}"
    while name in taken and length < len(digest):
        length += 1
        name = f"{prefix}_{digest[:length]}"
    taken.add(name)
    return name


def _read_words(index_dir: Path, chunk_names: list[str]) -> list[tuple[str, bytes]]:
    words: list[tuple[str, bytes]] = []
    for name in chunk_names:
        path = index_dir / f"{name}.pf_index"
        try:
            words += chunk_words(read_file(path))
        except (ValueError, IndexError) as error:
            raise BundleFormatError(f"{path}: not a Pagefind word index ({error})") from None
    for (before, _), (after, _) in zip(words, words[1:]):
        if not before < after:
            raise BundleFormatError(f"{index_dir}: the words are not in order ({before!r} before {after!r})")
    return words


def rechunk_language(bundle_dir: Path, language: str, meta_name: str, limit: int = CHUNK_BYTES) -> str:
    """Cut one language's word index into chunks of about `limit` bytes; return the new metadata file's name (without extension)."""
    meta_path = bundle_dir / f"pagefind.{meta_name}.pf_meta"
    meta = read_file(meta_path)
    try:
        parts, _ = _items(meta, 0)
        version = _text_at(meta, parts[_META_VERSION][0])
        old_names = [name for _, _, name in listed_chunks(meta)]
    except (ValueError, IndexError) as error:
        raise BundleFormatError(f"{meta_path}: not Pagefind's metadata layout ({error})") from None
    if version not in CHECKED_VERSIONS:
        raise BundleFormatError(
            f"{meta_path}: made by Pagefind {version}, but {Path(__file__).name} was checked with "
            f"{', '.join(CHECKED_VERSIONS)} only; check the chunk format and add the version to CHECKED_VERSIONS"
        )
    index_dir = bundle_dir / "index"
    chunks = split_words(_read_words(index_dir, old_names), limit)
    taken: set[str] = set()
    files: dict[str, bytes] = {}
    listed = []
    for (start, end), chunk in zip(word_ranges(chunks), chunks):
        data = encode_file(chunk_cbor(chunk))
        name = _name(language, data, 7, taken)
        files[name] = data
        listed.append([start, end, name])
    chunks_start, chunks_end = parts[_META_CHUNKS]
    meta_data = encode_file(meta[:chunks_start] + _encode_texts(listed) + meta[chunks_end:])
    new_name = _name(language, meta_data, 10, set())
    # The new files first, then the old ones that are not among them.
    for name, data in files.items():
        (index_dir / f"{name}.pf_index").write_bytes(data)
    (bundle_dir / f"pagefind.{new_name}.pf_meta").write_bytes(meta_data)
    for name in set(old_names) - set(files):
        (index_dir / f"{name}.pf_index").unlink()
    if new_name != meta_name:
        meta_path.unlink()
    return new_name


def rechunk_bundle(bundle_dir: Path, limit: int = CHUNK_BYTES) -> None:
    """Re-cut the word index of every language in a Pagefind bundle (a tree's pagefind/ folder)."""
    entry_path = bundle_dir / ENTRY
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
        names = {language: info["hash"] for language, info in languages.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BundleFormatError(f"{entry_path}: cannot read the bundle's languages ({error})") from None
    for language, name in names.items():
        languages[language]["hash"] = rechunk_language(bundle_dir, language, name, limit)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
