"""Searching the Section 9 index: one interface, two database backends.

``search_entries`` is what the public search page, the JSON API and the counter's autocomplete
call. Stored text and queries are compared in ``thai.search_key`` form (see the
``search_title``/``search_body`` columns), so every Thai input variant finds the same entries.

Backends, chosen by the database dialect:
- SQLite: the FTS5 table ``index_entries_fts`` (trigram tokenizer, substring matching) finds
  the candidates for every term of three characters or more;
- PostgreSQL: ``LIKE '%term%'`` on ``search_body``, answered by its pg_trgm GIN index.
Trigrams cannot index terms of one or two characters: those are checked with LIKE over the
normalised column, on the rows the longer terms and the filters leave.

Ranking: the exact phrase in the title (or reference) first, then the phrase elsewhere, then
all terms in the title, then the rest; newer documents first among equals.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import Integer, and_, case, column, func, or_, select, table, text
from sqlalchemy.orm import selectinload

from ..admin.models import Office
from ..cache import ProcessCache
from ..extensions import db
from ..security import bounded_int
from ..thai import arabic_digits, normalize_text, query_terms, search_key
from .models import SEARCH_ID_MASK, Category, IndexEntry

MAX_PER_PAGE = 100
MIN_INDEXED = 3  # FTS5 trigram and pg_trgm need three characters to use the index
# Public rankings, for SEARCH_CACHE_SECONDS (see config); a process's own edits drop them at once.
_results_cache = ProcessCache("search_results", (IndexEntry, Category, Office), max_entries=2048)


@dataclass
class SearchHit:
    """One result: the entry, and its title, summary and reference with the matches marked
    (worked out only when a page shows them; the API does not)."""

    entry: IndexEntry
    terms: list[str]

    @cached_property
    def title_html(self) -> Markup:
        return highlight(self.entry.title, self.terms)

    @cached_property
    def summary_html(self) -> Markup:
        return highlight(self.entry.summary, self.terms)

    @cached_property
    def ref_html(self) -> Markup:
        return highlight(self.entry.ref, self.terms)


@dataclass
class SearchPage:
    """A page of results; quacks like Flask-SQLAlchemy's Pagination for the page links."""

    query: str
    terms: list[str]
    items: list[SearchHit]
    total: int
    page: int
    per_page: int
    filters: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge: int = 2, left_current: int = 2, right_current: int = 4,
                   right_edge: int = 2) -> Iterator[int | None]:
        last = 0
        for num in range(1, self.pages + 1):
            if (num <= left_edge or self.page - left_current - 1 < num < self.page + right_current
                    or num > self.pages - right_edge):
                if last + 1 != num:
                    yield None
                yield num
                last = num


# --- filters ---------------------------------------------------------------------------------


def public_filter():
    """What the public may see: published and not closed."""
    return and_(IndexEntry.state == "published", IndexEntry.disclosure != "closed")


def find_category(code: str | None) -> Category | None:
    """The category of a code typed as "9(3)", "๙(๓)", "9 (3)" or "9(8).1"."""
    if not code:
        return None
    wanted = arabic_digits(normalize_text(code)).replace(" ", "")
    return db.session.scalar(select(Category).where(Category.code == wanted))


def find_office(value: str | int | None) -> Office | None:
    """An office by code (case-insensitive) or id."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if (office_id := bounded_int(text, 1)) is not None:
        office = db.session.get(Office, office_id)
        if office is not None:
            return office
    return db.session.scalar(select(Office).where(func.upper(Office.code) == text.upper()))


def parse_fiscal_year(value: str | int | None) -> int | None:
    """A BE fiscal year typed in Arabic or Thai digits; CE years are converted; else None."""
    if value in (None, ""):
        return None
    text = arabic_digits(str(value)).strip()
    if not text.isdigit():
        return None
    year = int(text)
    if 1900 <= year < 2400:
        year += 543
    return year if 2400 <= year <= 3000 else None


def _like(column, term: str):
    return column.contains(term, autoescape=True)


def _contains(column, term: str):
    """A cheap substring test for ranking (no LIKE pattern, no escaping)."""
    if _dialect() == "postgresql":
        return func.strpos(column, term) > 0
    return func.instr(column, term) > 0


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _filters(public_only: bool, category: Category | None, office: Office | None, office_ids: list[int] | None,
             fiscal_year: int | None, state: str | None) -> list:
    """WHERE clauses of the filters (not of the query terms, and not "public": see callers)."""
    where = []
    if category is not None:
        subs = select(Category.id).where(or_(Category.id == category.id, Category.parent_id == category.id))
        where.append(IndexEntry.category_id.in_(subs))
    if office is not None:
        where.append(IndexEntry.office_id == office.id)
    if office_ids is not None:
        where.append(IndexEntry.office_id.in_(office_ids))
    if fiscal_year is not None:
        where.append(IndexEntry.fiscal_year == fiscal_year)
    if state:
        where.append(IndexEntry.state == state)
    return where


# --- SQLite: FTS5 ----------------------------------------------------------------------------

_fts = table("index_entries_fts", column("rowid", Integer))


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_tiers(terms: list[str], phrase: str, public_only: bool) -> tuple[str, list[str]]:
    """The FTS5 query for every match, and one query per ranking tier (disjoint, best first)."""
    titles = "{pub_title}" if public_only else "{pub_title priv_title}"
    texts = "{pub_title pub_body}" if public_only else "{pub_title pub_body priv_title priv_body}"
    every = " AND ".join(_quote(t) for t in terms)
    matches = f"{texts} : ({every})"
    phrase_title = f"{titles} : {_quote(phrase)}"
    phrase_any = f"{texts} : {_quote(phrase)}"
    tiers = [phrase_title, f"({phrase_any}) NOT ({phrase_title})"]
    if len(terms) > 1:  # with one term, the phrase is the term: two tiers say it all
        title_terms = f"{titles} : ({every})"
        tiers += [f"({title_terms}) NOT ({phrase_any})", f"({matches}) NOT ({title_terms}) NOT ({phrase_any})"]
    return matches, tiers


def _fts_select(what, match: str, where: list):
    stmt = select(what).select_from(_fts).where(text("index_entries_fts MATCH :match").bindparams(match=match))
    if where:
        stmt = stmt.join(IndexEntry, IndexEntry.id == _fts.c.rowid.op("&")(SEARCH_ID_MASK)).where(*where)
    return stmt


def _fts_page(terms: list[str], phrase: str, public_only: bool, where: list, offset: int,
              limit: int) -> tuple[int, list[int]]:
    """Total and one page of ids, tier by tier in the index's own (newest first) order."""
    matches, tiers = _fts_tiers(terms, phrase, public_only)
    total = db.session.scalar(_fts_select(func.count(), matches, where)) or 0
    ids: list[int] = []
    for tier in tiers:
        if len(ids) >= limit or offset >= total:
            break
        if offset:
            size = db.session.scalar(_fts_select(func.count(), tier, where)) or 0
            if offset >= size:
                offset -= size
                continue
        rows = db.session.scalars(_fts_select(_fts.c.rowid, tier, where).order_by(_fts.c.rowid.desc())
                                  .limit(limit - len(ids)).offset(offset))
        ids += [r & SEARCH_ID_MASK for r in rows]
        offset = 0
    return total, ids


# --- both: SQL over the normalised columns ---------------------------------------------------


def _term_filter(terms: list[str], public_only: bool) -> list:
    """WHERE clauses making every term a substring of the normalised text."""
    if _dialect() != "sqlite":
        # PostgreSQL: the pg_trgm GIN index answers LIKE '%term%' directly.
        return [_like(IndexEntry.search_body, t) for t in terms]
    clauses = []
    long_terms = [t for t in terms if len(t) >= MIN_INDEXED]
    if long_terms:
        # Candidates from the trigram index; the short terms are checked on those rows only.
        matches, _ = _fts_tiers(long_terms, long_terms[0], public_only)
        clauses.append(IndexEntry.id.in_(_fts_select(_fts.c.rowid.op("&")(SEARCH_ID_MASK), matches, [])))
    clauses.extend(_like(IndexEntry.search_body, t) for t in terms if len(t) < MIN_INDEXED)
    return clauses


def _rank(terms: list[str], phrase: str):
    title_all = and_(*[_contains(IndexEntry.search_title, t) for t in terms])
    return case(
        (_contains(IndexEntry.search_title, phrase), 0),
        (_contains(IndexEntry.search_body, phrase), 1),
        (title_all, 2),
        else_=3,
    )


def _sql_page(terms: list[str], phrase: str, public_only: bool, where: list, offset: int,
              limit: int) -> tuple[int, list[int]]:
    """Total and one page of ids by plain SQL (PostgreSQL; short terms and browsing on SQLite)."""
    where = list(where) + _term_filter(terms, public_only)
    if public_only:
        where.append(public_filter())
    newest = IndexEntry.doc_date.desc().nulls_last() if _dialect() == "postgresql" else IndexEntry.doc_date.desc()
    order = [newest, IndexEntry.id.desc()]
    if terms:
        order.insert(0, _rank(terms, phrase))
    count = select(func.count(IndexEntry.id)).where(*where)
    if not terms:
        # Browsing (no words, maybe filters): the page is a top-N sort and the count a second
        # query that an index answers; a window count here would carry every public row through
        # the sort (100k entries on SQLite: /search 152 ms before, 52 ms now).
        ids = list(db.session.scalars(select(IndexEntry.id).where(*where).order_by(*order)
                                      .limit(limit).offset(offset)))
        if not offset and len(ids) < limit:
            return len(ids), ids
        return db.session.scalar(count) or 0, ids
    # With words every match is ranked anyway: one pass gives the page and the total
    # (count(*) OVER ()); only a page past the end needs a separate count.
    rows = db.session.execute(select(IndexEntry.id, func.count().over()).where(*where).order_by(*order)
                              .limit(limit).offset(offset)).all()
    if rows:
        return rows[0][1], [row[0] for row in rows]
    return (db.session.scalar(count) or 0 if offset else 0), []


def search_entries(query: str = "", category: str | Category | None = None, office: str | int | Office | None = None,
                   fiscal_year: str | int | None = None, page: int = 1, per_page: int = 20,
                   public_only: bool = True, office_ids: list[int] | None = None,
                   state: str | None = None) -> SearchPage:
    """Search the index: all terms required, ranked, paginated, with highlighted matches.

    ``category`` may be a code ("9(3)", "๙(๓)"; 9(8) includes its sub-items), ``office`` a code or
    id, ``fiscal_year`` a BE year. Unknown filter values match nothing rather than everything.
    """
    cat = category if isinstance(category, Category) or category is None else find_category(category)
    off = office if isinstance(office, Office) or office in (None, "") else find_office(office)
    year = parse_fiscal_year(fiscal_year)
    filters = {"category": cat, "office": off, "fiscal_year": year}
    per_page = max(1, min(int(per_page or 20), MAX_PER_PAGE))
    page = max(1, int(page or 1))
    terms = query_terms(query or "")
    phrase = search_key(query or "")
    unknown = ((category not in (None, "") and cat is None) or (office not in (None, "") and off is None)
               or (fiscal_year not in (None, "") and year is None))
    if unknown:
        return SearchPage(query, terms, [], 0, page, per_page, filters)
    offset = (page - 1) * per_page

    def ranked() -> tuple[int, list[int]]:
        where = _filters(public_only, cat, off or None, office_ids, year, state)
        if terms and _dialect() == "sqlite" and all(len(t) >= MIN_INDEXED for t in terms):
            return _fts_page(terms, phrase, public_only, where, offset, per_page)
        return _sql_page(terms, phrase, public_only, where, offset, per_page)

    ttl = current_app.config.get("SEARCH_CACHE_SECONDS", 0)
    if public_only and office_ids is None and state is None and ttl > 0:
        # The public search and API: the same popular searches come again and again, so the
        # ranking (total and the page's ids) is kept for a short while per process.
        key = (tuple(terms), phrase, cat and cat.id, off and off.id, year, offset, per_page)
        total, ids = _results_cache.get(key, ranked, ttl=ttl)
    else:
        total, ids = ranked()
    entries = select(IndexEntry).where(IndexEntry.id.in_(ids)).options(selectinload(IndexEntry.files))
    if public_only:  # read now, not from the cache: an entry withdrawn meanwhile is not shown
        entries = entries.where(public_filter())
    found = {e.id: e for e in db.session.scalars(entries).unique()}
    hits = [SearchHit(found[i], terms) for i in ids if i in found]
    return SearchPage(query, terms, hits, total, page, per_page, filters)


def category_counts(all_states: bool = False) -> dict[int, int]:
    """Entries per category id (public ones unless ``all_states``); a top-level category's
    count includes its sub-items. The public counts are kept per process like the filter menus
    (a GROUP BY over every public entry: 150 ms at 100k on SQLite); staff see them live."""
    if all_states:
        return _category_counts(True)
    return _counts_cache.get("public", lambda: _category_counts(False))


def _category_counts(all_states: bool) -> dict[int, int]:
    section = func.coalesce(Category.parent_id, Category.id)
    base = select(func.count(IndexEntry.id)).join(Category, IndexEntry.category_id == Category.id)
    if not all_states:
        base = base.where(public_filter())
    counts = {sid: n for n, sid in db.session.execute(base.add_columns(section).group_by(section)).all()}
    direct = db.session.execute(base.add_columns(Category.id).where(Category.parent_id.is_not(None))
                                .group_by(Category.id)).all()
    counts.update({cid: n for n, cid in direct})
    return counts


def fiscal_years() -> list[int]:
    """The fiscal years the index spans, newest first (for the filter)."""
    # min/max come straight from the fiscal_year index; a GROUP BY over public rows would read them all.
    low, high = db.session.execute(select(func.min(IndexEntry.fiscal_year), func.max(IndexEntry.fiscal_year))).one()
    return list(range(high, low - 1, -1)) if low is not None else []


# --- filter choices ------------------------------------------------------------------------

CHOICES_TTL = 60.0  # seconds; other processes' edits (workers, CLI, bulk imports) show within that


@dataclass(frozen=True)
class CategoryChoice:
    """A category as the filter menus show it (plain data, safe to keep between requests)."""

    id: int
    code: str
    code_th: str
    name_th: str
    parent_id: int | None


@dataclass(frozen=True)
class OfficeChoice:
    """An office as the filter menu shows it."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class FilterChoices:
    categories: list[CategoryChoice]
    offices: list[OfficeChoice]
    years: list[int]


_choices_cache = ProcessCache("catalogue_filter_choices", (Category, Office, IndexEntry), CHOICES_TTL)
_counts_cache = ProcessCache("catalogue_category_counts", (Category, IndexEntry), CHOICES_TTL)


def _load_filter_choices() -> FilterChoices:
    cats = db.session.scalars(select(Category).where(Category.active.is_(True))
                              .order_by(Category.sort_order, Category.code))
    offices = db.session.scalars(select(Office).order_by(Office.kind != "province", Office.code))
    return FilterChoices([CategoryChoice(c.id, c.code, c.code_th, c.name_th, c.parent_id) for c in cats],
                         [OfficeChoice(o.id, o.code, o.name) for o in offices], fiscal_years())


def filter_choices() -> FilterChoices:
    """Categories, offices and fiscal years for the search filters, cached per process: every
    search page needs them and they rarely change (edits in this process refresh them at once)."""
    return _choices_cache.get("all", _load_filter_choices)


# --- highlighting ----------------------------------------------------------------------------

_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_TONES = set("\u0e48\u0e49\u0e4a\u0e4b")
_MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """One character as search_key folds it (NFKC, Thai digits to 0-9, case folded)."""
    # NFKC would split sara am into nikhahit + sara aa; normalize_text joins them again.
    folded = ch if ch == "\u0e33" else unicodedata.normalize("NFKC", ch)
    return arabic_digits(folded).casefold()


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _key_with_map(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """``search_key(text)`` built character by character, with the span of source characters
    each output character came from; None when the result differs from ``search_key`` (then
    nothing is highlighted rather than the wrong part)."""
    out: list[str] = []
    src: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in _ZERO_WIDTH:
            i += 1
            continue
        if ch.isspace():
            j = i
            while j < n and (text[j].isspace() or text[j] in _ZERO_WIDTH):
                j += 1
            # A space survives only between non-Thai text (search_key drops it between Thai).
            if out and j < n and not (_is_thai(out[-1]) and _is_thai(arabic_digits(text[j]))):
                out.append(" ")
                src.append((i, j - 1))
            i = j
            continue
        if ch == "\u0e4d":  # nikhahit + (tone) + sara aa is sara am
            k = i + 1 + (i + 1 < n and text[i + 1] in _TONES)
            if k < n and text[k] == "\u0e32":
                if k == i + 2:
                    out.append(text[i + 1])
                    src.append((i, k))
                out.append("\u0e33")
                src.append((i, k))
                i = k + 1
                continue
        if ch == "\u0e40" and i + 1 < n and text[i + 1] == "\u0e40":  # เเ typed for แ
            out.append("\u0e41")
            src.append((i, i + 1))
            i += 2
            continue
        if ch in _MARKS and out and out[-1] == ch:  # a repeated mark
            i += 1
            continue
        for c in _fold(ch):
            out.append(c)
            src.append((i, i))
        i += 1
    key = "".join(out)
    return (key, src) if key == search_key(text) else None


# Text made only of printable ASCII and Thai (without nikhahit, half of a typed sara am), single
# spaces and no space at either end folds to search_key one character for one character, dropping
# only the spaces between Thai letters; most titles and summaries are like that.
_PLAIN = "\x21-\x7e\u0e01-\u0e3a\u0e3f-\u0e4c\u0e4e-\u0e5b"
_PLAIN_RE = re.compile(f"[{_PLAIN}]+(?: [{_PLAIN}]+)*")
_THAI_LETTER = "\u0e00-\u0e4f\u0e5a-\u0e7f"  # Thai digits fold to 0-9, which are not Thai
_DROPPED_SPACE_RE = re.compile(f"(?<=[{_THAI_LETTER}]) (?=[{_THAI_LETTER}])")
_FOLDS_TOGETHER_RE = re.compile("\u0e40\u0e40|([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\\1")


def _key_with_map_fast(text: str, key: str) -> tuple[str, list[tuple[int, int]]] | None:
    """What ``_key_with_map`` gives, worked out with regular expressions for plain text (the
    common case); None when the text is not plain (then ``_key_with_map`` walks it)."""
    if not _PLAIN_RE.fullmatch(text):
        return None
    dropped = {m.start() for m in _DROPPED_SPACE_RE.finditer(text)}
    if dropped:
        kept = [i for i in range(len(text)) if i not in dropped]
        folded = "".join(text[i] for i in kept)
    else:
        kept, folded = range(len(text)), text
    # Marks or เ that meet once a space is dropped are left to the character walk, which
    # handles them as it always has.
    if _FOLDS_TOGETHER_RE.search(folded) or arabic_digits(folded).casefold() != key:
        return None
    return key, [(i, i) for i in kept]


def highlight(text: str | None, terms: list[str]) -> Markup:
    """The text, HTML-escaped, with every match of a search term wrapped in <mark>."""
    text = text or ""
    if not terms or not text:
        return escape(text)
    return _highlight(text, tuple(terms))


# Pure: the same title or summary under the same query (a popular search, the next page) is
# marked once per worker, not on every request.
@lru_cache(maxsize=2048)
def _highlight(text: str, terms: tuple[str, ...]) -> Markup:
    key = search_key(text)
    if not any(term in key for term in terms):  # nothing to mark: skip building the map
        return escape(text)
    mapped = _key_with_map_fast(text, key) or _key_with_map(text)
    if mapped is None:
        return escape(text)
    key, src = mapped
    spans: list[tuple[int, int]] = []  # marked source ranges, inclusive
    for term in terms:
        start = key.find(term)
        while start != -1:
            span = src[start:start + len(term)]
            lo, hi = min(a for a, _ in span), max(b for _, b in span)
            if start + len(term) == len(src):
                hi = len(text) - 1
            spans.append((lo, hi))
            start = key.find(term, start + 1)
    spans.sort()
    merged: list[list[int]] = []
    for lo, hi in spans:  # overlapping or touching matches make one <mark>
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    parts: list[str] = []
    i = 0
    for lo, hi in merged:
        if i < lo:
            parts.append(str(escape(text[i:lo])))
        parts.append(f"<mark>{escape(text[lo:hi + 1])}</mark>")
        i = hi + 1
    if i < len(text):
        parts.append(str(escape(text[i:])))
    return Markup("".join(parts))
