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

Ranking (``_ranked``): the exact reference first, then a relevance score worked out from the
stored text (phrase in the title, elsewhere, every term in the title, then title > summary >
keywords), newer documents first among equals. Work follows the page: only the newest matches
are scored and the total is counted up to ``SEARCH_COUNT_LIMIT`` past the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import (
    Integer,
    and_,
    any_,
    column,
    func,
    literal,
    not_,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import selectinload

from ..admin.models import Office, office_by_code
from ..cache import ProcessCache
from ..extensions import db
from ..security import bounded_int
from ..thai import (
    THAI_MONTHS_SHORT,
    arabic_digits,
    ce_year,
    fiscal_year_range,
    month_days,
    month_number,
    month_spellings,
    normalize_text,
    query_terms,
    query_text,
    reference_key,
    search_key,
    search_key_map,
    split_syllables,
    year_from_input,
)
from .models import SEARCH_ID_BITS, SEARCH_ID_MASK, SEARCH_SEPARATOR, Category, IndexEntry
from .synonyms import Expansion, expand
from .words import MAX_LENGTH as MAX_WORD
from .words import MIN_LENGTH as MIN_WORD
from .words import EntryWords, holding, holds_word, similar_words

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

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
    expansions: list[Expansion] = field(
        default_factory=list
    )  # terms searched with their equivalents
    suggestion: str | None = None  # "คุณหมายถึง …": a spelling found in the index
    approximate: bool = False  # the items are the suggestion's, not the query's
    total_is_lower_bound: bool = False  # counting stopped: there are more than ``total``

    @property
    def shown_query(self) -> str:
        """The query as it was searched, for "พบ … สำหรับ “…”" (no stray spaces or quotes)."""
        return query_text(self.query)

    @property
    def added_forms(self) -> list[str]:
        """The equivalent forms the search included ("รวมผลของ …")."""
        return [form for e in self.expansions for form in e.added]

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

    def iter_pages(
        self, left_edge: int = 2, left_current: int = 2, right_current: int = 4, right_edge: int = 2
    ) -> Iterator[int | None]:
        last = 0
        for num in range(1, self.pages + 1):
            if (
                num <= left_edge
                or self.page - left_current - 1 < num < self.page + right_current
                or num > self.pages - right_edge
            ):
                if last + 1 != num:
                    yield None
                yield num
                last = num


# --- filters ---------------------------------------------------------------------------------


def public_filter():
    """What the public may see: published and not closed."""
    return IndexEntry.is_public


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
    return office_by_code(text)


def _like(column, term: str):
    return column.contains(term, autoescape=True)


def _contains(column, term: str):
    """A cheap substring test for ranking (no LIKE pattern, no escaping)."""
    if _dialect() == "postgresql":
        return func.strpos(column, term) > 0
    return func.instr(column, term) > 0


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _filters(
    public_only: bool,
    category: Category | None,
    office: Office | None,
    office_ids: list[int] | None,
    fiscal_year: int | None,
    state: str | None,
) -> list:
    """WHERE clauses of the filters (not of the query terms, and not "public": see callers)."""
    where = []
    if category is not None:
        # The ids now, not a subquery: one category is then one range of the browse index.
        ids = [
            category.id,
            *db.session.scalars(select(Category.id).where(Category.parent_id == category.id)),
        ]
        where.append(
            IndexEntry.category_id == ids[0] if len(ids) == 1 else IndexEntry.category_id.in_(ids)
        )
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
_fts_entry_id = _fts.c.rowid.op("&")(SEARCH_ID_MASK)  # see models.SEARCH_ID_MASK


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _any_of(alternatives: tuple[str, ...]) -> str:
    alternatives = _fewest(alternatives)
    if len(alternatives) == 1:
        return _quote(alternatives[0])
    return "(" + " OR ".join(_quote(a) for a in alternatives) + ")"


def _fts_queries(terms: list[tuple[str, ...]], phrase: str, public_only: bool) -> tuple[str, str]:
    """The FTS5 queries for every match and for the matches with the phrase in the title; each
    term is the tuple of its alternatives (the term and its equivalents)."""
    titles = "{pub_title}" if public_only else "{pub_title priv_title}"
    texts = "{pub_title pub_body}" if public_only else "{pub_title pub_body priv_title priv_body}"
    every = " AND ".join(_any_of(t) for t in terms)
    return f"{texts} : ({every})", f"{titles} : {_quote(phrase)}"


def _fts_select(what, match: str, where: list):
    stmt = (
        select(what)
        .select_from(_fts)
        .where(text("index_entries_fts MATCH :match").bindparams(match=match))
    )
    if where:
        stmt = stmt.join(IndexEntry, IndexEntry.id == _fts_entry_id).where(*where)
    return stmt


def _count(ids, cap: int | None) -> int:
    """How many rows a SELECT of ids gives, counting at most ``cap + 1`` of them (None: all)."""
    if cap is not None:
        ids = ids.limit(cap + 1)
    return _rows(select(func.count()).select_from(ids.subquery())).scalar() or 0


# --- both: SQL over the normalised columns ---------------------------------------------------


def _like_any(column, alternatives: tuple[str, ...]):
    return or_(*[_like(column, a) for a in _fewest(alternatives)])


def _fewest(alternatives: tuple[str, ...]) -> tuple[str, ...]:
    """The alternatives a substring test needs: one that holds another adds nothing (a text
    with พรบ. has พรบ), and each costs a test of every row read."""
    return (
        tuple(a for a in alternatives if not any(b != a and b in a for b in alternatives if b))
        or alternatives
    )


def _indexed(alternatives: tuple[str, ...]) -> bool:
    return all(len(a) >= MIN_INDEXED for a in alternatives)


def _term_filter(terms: list[tuple[str, ...]], public_only: bool) -> list:
    """WHERE clauses making every term (one of its alternatives) a substring of the normalised
    text."""
    if _dialect() != "sqlite":
        # PostgreSQL: the pg_trgm GIN index answers LIKE '%term%' directly.
        return [_like_any(IndexEntry.search_body, t) for t in terms]
    clauses = []
    long_terms = [t for t in terms if _indexed(t)]
    if long_terms:
        # Candidates from the trigram index; the short terms are checked on those rows only.
        matches, _ = _fts_queries(long_terms, long_terms[0][0], public_only)
        clauses.append(IndexEntry.id.in_(_fts_select(_fts_entry_id, matches, [])))
    clauses.extend(_like_any(IndexEntry.search_body, t) for t in terms if not _indexed(t))
    return clauses


def _newest() -> list:
    """Display order among equals: newest document first (undated last), then newest entry."""
    newest = (
        IndexEntry.doc_date.desc().nulls_last()
        if _dialect() == "postgresql"
        else IndexEntry.doc_date.desc()
    )
    return [newest, IndexEntry.id.desc()]


def _browse_page(
    public_only: bool, where: list, offset: int, limit: int, cap: int | None = None
) -> tuple[int, list[int]]:
    """Total (at most ``cap + 1``) and one page of ids without words, newest first: the page
    is read in order from the browse index and the total is a second, bounded count."""
    where = list(where)
    if public_only:
        where.append(public_filter())
    ids = _column(
        select(IndexEntry.id).where(*where).order_by(*_newest()).limit(limit).offset(offset)
    )
    if len(ids) < limit and (ids or not offset):
        return offset + len(ids), ids
    return _count(select(IndexEntry.id).where(*where), cap), ids


def search_from_args(args: MultiDict[str, str], *, per_page: int, **options: Any) -> SearchPage:
    """``search_entries`` with the words, filters and page read from a URL's query string (the
    public page, the staff list and the API all take the same ``q``, ``category``, ``office``,
    ``fiscal_year`` and ``page``)."""
    return search_entries(
        args.get("q", ""),
        args.get("category"),
        args.get("office"),
        args.get("fiscal_year"),
        page=args.get("page", 1, type=int),
        per_page=per_page,
        **options,
    )


def search_entries(
    query: str = "",
    category: str | Category | None = None,
    office: str | int | Office | None = None,
    fiscal_year: str | int | None = None,
    page: int = 1,
    per_page: int = 20,
    public_only: bool = True,
    office_ids: list[int] | None = None,
    state: str | None = None,
    expand_terms: bool = True,
    suggest: bool = True,
    count_limit: int | None = -1,
) -> SearchPage:
    """Search the index: all terms required (each with its equivalents), ranked, paginated,
    with highlighted matches. An exact reference ("นว 0015/1" in any spacing or digits) or
    "#id" comes first. When nothing matches, a spelling from the index's own words is suggested
    ("คุณหมายถึง …") and its results are shown, marked approximate.

    ``category`` may be a code ("9(3)", "๙(๓)"; 9(8) includes its sub-items), ``office`` a code or
    id, ``fiscal_year`` a BE year. Unknown filter values match nothing rather than everything.

    The total counts at most ``count_limit`` matches past the page's offset (default: the
    ``SEARCH_COUNT_LIMIT`` setting for the public search, all of them for staff; None: all);
    beyond that ``total_is_lower_bound`` says there are more.
    """
    cat = (
        category if isinstance(category, Category) or category is None else find_category(category)
    )
    off = office if isinstance(office, Office) or office in (None, "") else find_office(office)
    year = year_from_input(fiscal_year)
    filters = {"category": cat, "office": off, "fiscal_year": year}
    per_page = max(1, min(int(per_page or 20), MAX_PER_PAGE))
    page = max(1, int(page or 1))
    terms = query_terms(query or "")
    phrase = search_key(query_text(query or ""))
    unknown = (
        (category not in (None, "") and cat is None)
        or (office not in (None, "") and off is None)
        or (fiscal_year not in (None, "") and year is None)
    )
    if unknown:
        return SearchPage(query, terms, [], 0, page, per_page, filters)
    offset = (page - 1) * per_page
    if count_limit == -1:
        count_limit = current_app.config.get("SEARCH_COUNT_LIMIT") if public_only else None
    cap = None if count_limit is None else offset + max(count_limit, per_page)
    expansions = [expand(t) if expand_terms else Expansion(t, (t,), ()) for t in terms]
    groups = [e.alternatives for e in expansions]
    where = _filters(public_only, cat, off or None, office_ids, year, state)
    exact = _exact_ids(query or "", where + ([IndexEntry.is_public] if public_only else []))
    if _ENTRY_ID_RE.fullmatch(arabic_digits(phrase)):  # "#123": that entry only
        groups = []

    said = find_year(query or "") if groups else None
    if said is not None:  # "ปี 67": the year as entries write it, not "ปี" and "67" anywhere
        expansions = said.searched_as(expansions)
        terms, groups = [e.term for e in expansions], [e.alternatives for e in expansions]
    until = said.period[1] if said is not None else None
    matching = Matching(groups, phrase, public_only, where, until)

    def ranked() -> tuple[int, list[int]]:
        if not groups and exact:
            return 0, []
        if said is not None:
            return _ranked_with_year(said, matching, offset, per_page, cap)
        return _ranked(matching, offset, per_page, cap)

    ttl = current_app.config.get("SEARCH_CACHE_SECONDS", 0)
    if public_only and office_ids is None and state is None and ttl > 0:
        # The public search and API: the same popular searches come again and again, so the
        # ranking (total and the page's ids) is kept for a short while per process.
        key = (tuple(groups), phrase, cat and cat.id, off and off.id, year, offset, per_page, cap)
        total, ids = _results_cache.get(key, ranked, ttl=ttl)
    else:
        total, ids = ranked()
    if exact:  # the exact reference first; it also matches the words, so it is counted already
        ids = (
            (exact + [i for i in ids if i not in exact])[:per_page]
            if page == 1
            else [i for i in ids if i not in exact]
        )
        total = max(total, len(exact))
    result = SearchPage(
        query,
        terms,
        _hits(ids, terms + [a for g in groups for a in g[1:]], public_only),
        total,
        page,
        per_page,
        filters,
        expansions,
    )
    if suggest and groups and total <= FEW and not exact:
        _suggest(
            result,
            groups,
            public_only,
            lambda g, p: _ranked(Matching(g, p, public_only, where), offset, per_page, cap),
        )
    if cap is not None and result.total > cap:  # counting stopped: "more than cap"
        result.total, result.total_is_lower_bound = cap, True
    return result


_ENTRY_ID_RE = re.compile(r"#\d{1,9}")


class Matching(NamedTuple):
    """What a ranking matches: the terms (each a tuple of alternatives), the phrase as typed,
    whether only public entries count, the filters; and the last day of a year the query names
    (its matches are mostly older: see ``_newest_fts``)."""

    groups: list[tuple[str, ...]]
    phrase: str
    public_only: bool
    where: list
    until: date | None = None


def _ranked(
    m: Matching, offset: int, per_page: int, cap: int | None = None
) -> tuple[int, list[int]]:
    """Total (at most ``cap + 1``) and one page of ids for what ``m`` matches, in relevance
    order (see ``_relevance``).

    The work follows the page, not the number of matches: the index gives the newest
    ``RANK_WINDOW + 1`` matches; they and the newest ``RANK_WINDOW`` with the phrase in the
    title are scored and come first, the other matches follow newest first; the total is
    counted by the database up to ``cap + 1``. Scores are worked out here from the stored text,
    so both databases give the same order for the same data."""
    groups, phrase, public_only, where, until = m
    if not groups:
        return _browse_page(public_only, where, offset, per_page, cap)
    if cap is not None and _dialect() == "postgresql":
        return _ranked_postgresql(m, offset, per_page, cap)
    # A bounded count reads the newest cap + 1 matches once: they are the count, the window
    # and the page that follows it (one index walk instead of two or three).
    read_all = cap is not None and cap < READ_ONCE_LIMIT
    limit = cap + 1 if read_all else RANK_WINDOW + 1
    ids = _match_ids(groups, phrase, public_only, where, limit, until=until)
    window = ids[:RANK_WINDOW]
    total = len(ids)
    if total > RANK_WINDOW:
        # An older entry with the phrase in its title still comes first.
        window += _match_ids(
            groups, phrase, public_only, where, RANK_WINDOW, title_phrase=True, until=until
        )
        if not read_all:  # the database's own count (stepping every match costs more)
            total = _count(_match_select(groups, phrase, public_only, where).order_by(None), cap)
    scored = _by_relevance(set(window), groups, phrase)
    if offset + per_page > len(scored) and total > RANK_WINDOW:
        wanted = offset + per_page + len(scored)
        if read_all and (wanted <= len(ids) or len(ids) <= cap):  # all of them, or enough
            newest = ids[:wanted]
        else:
            newest = _match_ids(groups, phrase, public_only, where, wanted, until=until)
        scored = _then_newest(scored, newest)
    return total, scored[offset : offset + per_page]


def _then_newest(scored: list[int], newest: list[int]) -> list[int]:
    """The scored ids, then the other matches newest first (a page past the scored window)."""
    seen = set(scored)
    return scored + [i for i in newest if i not in seen]


def _newest_key(day, entry_id: int) -> tuple:
    """Display order among equals, in Python (as ``_newest`` in SQL): newest document first,
    undated last, then newest entry."""
    return (day is None, -(day.toordinal() if day else 0), -entry_id)


def _ranked_postgresql(m: Matching, offset: int, per_page: int, cap: int) -> tuple[int, list[int]]:
    """``_ranked`` with a bounded count on PostgreSQL, where reading a match costs more than on
    SQLite (a row and a LIKE that tries every Thai character: about 3 µs; 16 ms for the 1,001
    newest matches of สตรี at 100k). The words' index first says whether there are more than
    ``cap`` matches for sure (``_at_least``); then the newest matches come from the cheapest
    read that is sure to hold them:

    - not known to be many: every match, read at once in no order by the trigram index with
      its date and whether the phrase is in its title, at most ``cap``, ordered here: they are
      the total, both windows and every page. More than ``cap`` after all (a term inside words,
      the forms of a year the words do not hold): as many;
    - many, and common among the newest entries: the newest ``MANY_WALK`` public rows, tested
      with ``strpos`` on the text the newest-first index holds (``_newest_by_strpos``);
    - otherwise every match read and ordered here likewise, at most ``SORT_LIMIT``;
    - more than that, for a query naming an older year: ``_split_at_year``;
    - otherwise (an older year's common term): newest first as the planner chooses.
    """
    groups, phrase, public_only, where, until = m
    if _at_least(groups, where, cap + 1) <= cap:  # the words find few: read the text's matches
        # (more than cap only for a term inside words or a year's forms, which are not words)
        rows = _every_match(groups, phrase, public_only, where, SORT_LIMIT + 1)
        if len(rows) <= SORT_LIMIT:
            return _ordered_here(rows, groups, phrase, offset, per_page, cap)
    window = _newest_by_strpos(groups, where, RANK_WINDOW) if public_only else []
    if len(window) < RANK_WINDOW:
        if until is not None and (split := _split_at_year(m, offset + per_page, SORT_LIMIT)):
            return cap + 1, _page(*split, groups, phrase, offset, per_page)
        rows = _every_match(groups, phrase, public_only, where, SORT_LIMIT + 1)
        if len(rows) <= SORT_LIMIT:
            return _ordered_here(rows, groups, phrase, offset, per_page, cap)
        window = _match_ids(groups, phrase, public_only, where, RANK_WINDOW)
    # More than cap: the newest matches and the newest with the phrase in the title (which may
    # be rare among the many: the planner chooses between its trigram index and a walk).
    window += _match_ids(groups, phrase, public_only, where, RANK_WINDOW, title_phrase=True)
    scored = _by_relevance(set(window), groups, phrase)
    if offset + per_page > len(scored):  # past the scored ones: the newest of the rest
        newest = _match_ids(groups, phrase, public_only, where, offset + per_page + len(scored))
        scored = _then_newest(scored, newest)
    return cap + 1, scored[offset : offset + per_page]


def _ordered_here(
    rows: list[tuple[int, Any, bool]], groups, phrase: str, offset: int, per_page: int, cap: int
) -> tuple[int, list[int]]:
    """Total (at most ``cap + 1``) and page when every match was read (``_every_match``)."""
    ids, in_title = _newest_first(rows)
    return min(len(ids), cap + 1), _page(ids, in_title, groups, phrase, offset, per_page)


def _newest_first(rows: list[tuple[int, Any, bool]]) -> tuple[list[int], list[int]]:
    """``_every_match``'s rows in display order: their ids, and those with the phrase in the
    title."""
    rows = sorted(rows, key=lambda r: _newest_key(r[1], r[0]))
    return [r[0] for r in rows], [r[0] for r in rows if r[2]]


def _page(
    ids: list[int], in_title: list[int], groups, phrase: str, offset: int, per_page: int
) -> list[int]:
    """A page when the newest matches are known (``ids`` and ``in_title`` newest first): the
    newest ``RANK_WINDOW`` of each scored first, then the others newest first."""
    scored = _by_relevance(set(ids[:RANK_WINDOW] + in_title[:RANK_WINDOW]), groups, phrase)
    return _then_newest(scored, ids)[offset : offset + per_page]


def _split_at_year(m: Matching, wanted: int, limit: int) -> tuple[list[int], list[int]] | None:
    """PostgreSQL, a query naming an older year with too many matches to order here: the newest
    matches, and the newest with the phrase in the title, at least ``wanted`` + ``RANK_WINDOW``
    of the first; None when the matches after that year are more than ``limit`` too.

    The planner reads such matches newest first through the date index, testing every newer
    row (ปี2567 at 1M: 815,000 rows, 2 s; the title 0.8 s). Here the matches dated after the
    year are read at once by the trigram index and ordered, then the walk goes back from the
    year's last day, where its own matches are dense (1 ms)."""
    groups, phrase, public_only, where, until = m
    after = IndexEntry.doc_date > until
    newer = _every_match(groups, phrase, public_only, [*where, after], limit + 1)
    if len(newer) > limit:
        return None
    ids, in_title = _newest_first(newer)
    ids += _older(m, wanted + 2 * RANK_WINDOW)
    if len(in_title) < RANK_WINDOW:
        in_title += _older(m, RANK_WINDOW, title_phrase=True)
    return ids, in_title


def _older(m: Matching, limit: int, title_phrase: bool = False) -> list[int]:
    """The newest ``limit`` matches dated in or before the year the query names, then undated
    ones (last in display order). Two reads: "dated on or before" alone is a range of the
    newest-first index; with "or undated" the planner walks it all (1 ms against 43 ms)."""
    groups, phrase, public_only, where, until = m
    dated = [*where, IndexEntry.doc_date <= until]
    ids = _match_ids(groups, phrase, public_only, dated, limit, title_phrase=title_phrase)
    if len(ids) < limit:
        undated = [*where, IndexEntry.doc_date.is_(None)]
        ids += _match_ids(groups, phrase, public_only, undated, limit - len(ids), title_phrase)
    return ids


MANY_WALK = 3_000  # PostgreSQL: newest public rows tested with strpos for a common term's matches
MANY_WALK_MAX = 12_000  # PostgreSQL: and at most this many when the first ones promise enough
SORT_LIMIT = 5_000  # PostgreSQL: at most this many matches are read at once and ordered here


def _newest_by_strpos(groups: list[tuple[str, ...]], where: list, limit: int) -> list[int]:
    """PostgreSQL, public entries: the newest ``limit`` matches among the newest ``MANY_WALK``
    rows, tested with ``strpos`` on the text the newest-first index holds (0.5-1 µs a row,
    against 2-3 µs for LIKE on the row). When they are fewer there but not rare, the walk goes
    as far as they promise, up to ``MANY_WALK_MAX`` rows (พรบ at 100k: 55 in the first 3,000,
    all 100 in 5,500 rows: 7 ms, against 14 ms to read and order every match). Fewer than
    ``limit`` when they are not all there."""
    ids = _newest_by_strpos_within(groups, where, limit, MANY_WALK)
    if len(ids) * 1000 >= MANY_WALK and len(ids) < limit:  # at least 1 in 1,000 rows
        further = limit * MANY_WALK * 5 // (len(ids) * 4)  # what they promise, and a quarter
        if further <= MANY_WALK_MAX:
            ids = _newest_by_strpos_within(groups, where, limit, further)
    return ids


def _newest_by_strpos_within(
    groups: list[tuple[str, ...]], where: list, limit: int, rows: int
) -> list[int]:
    newest = (
        select(IndexEntry.id, IndexEntry.doc_date, IndexEntry.search_body)
        .where(*where, public_filter())
        .order_by(*_newest())
        .limit(rows)
        .subquery()
    )
    holds = [or_(*[func.strpos(newest.c.search_body, a) > 0 for a in _fewest(g)]) for g in groups]
    order = [newest.c.doc_date.desc().nulls_last(), newest.c.id.desc()]
    return _column(select(newest.c.id).where(*holds).order_by(*order).limit(limit))


def _every_match(
    groups: list[tuple[str, ...]], phrase: str, public_only: bool, where: list, limit: int
) -> list[tuple[int, Any, bool]]:
    """PostgreSQL: (id, document date, phrase in the title) of the entries matching every term,
    in no order, at most ``limit``: the trigram index finds them without a walk in date order."""
    clauses = [*where, *_term_filter(groups, public_only)]
    if public_only:
        clauses.append(public_filter())
    stmt = select(
        IndexEntry.id, IndexEntry.doc_date, _contains(IndexEntry.search_title, phrase)
    ).where(*clauses)
    return [tuple(r) for r in _rows(stmt.limit(limit))]


READ_ONCE_LIMIT = 5000  # a count bounded below this reads the matches' ids in one walk
RANK_WINDOW = 100  # the newest matches scored (at 100k on SQLite, 200 cost 1.5× the CPU time)
# Relevance: the exact phrase in the title, then elsewhere, then every term in the title lead
# (in that order, as the tiers did before); then a BM25-like weight of each term's best field.
PHRASE_IN_TITLE, PHRASE_ELSEWHERE, ALL_IN_TITLE = 100.0, 50.0, 25.0
FIELD_WEIGHTS = (3.0, 1.5, 1.0)  # title (with the reference), summary, keywords
K1 = 1.2  # BM25's term saturation: a second occurrence adds less than the first


def _match_select(
    groups: list[tuple[str, ...]],
    phrase: str,
    public_only: bool,
    where: list,
    title_phrase=False,
):
    """SELECT of the ids of the entries matching every term (``title_phrase``: and the phrase in
    the title), newest first: an order the index serves (SQLite: FTS5 rowids are date-ordered;
    PostgreSQL: the pg_trgm GIN index or the newest-first partial index, as the planner sees
    fit). On SQLite the ids are FTS5 rowids (see ``_match_ids``)."""
    if _uses_fts(groups):
        matches, in_title = _fts_queries(groups, phrase, public_only)
        query = in_title if title_phrase else matches
        return _fts_select(_fts.c.rowid, query, where).order_by(_fts.c.rowid.desc())
    if title_phrase and _dialect() == "postgresql":
        # The phrase in the title holds every typed term (the phrase is the query's key, the
        # terms are its pieces), as the FTS5 title query above assumes too: the titles' own
        # trigram index answers alone, without reading the matches of the text.
        clauses = [*where, _like(IndexEntry.search_title, phrase)]
    else:
        clauses = list(where) + _term_filter(groups, public_only)
        if title_phrase:
            clauses += [
                _like(IndexEntry.search_body, phrase),
                _contains(IndexEntry.search_title, phrase),
            ]
    if public_only:
        clauses.append(public_filter())
    return select(IndexEntry.id).where(*clauses).order_by(*_newest())


def _match_ids(
    groups: list[tuple[str, ...]],
    phrase: str,
    public_only: bool,
    where: list,
    limit: int,
    title_phrase: bool = False,
    until: date | None = None,
) -> list[int]:
    """Ids of the entries matching every term, newest first, at most ``limit`` (``until``: the
    last day of a year the query names, see ``_newest_fts``)."""
    stmt = _match_select(groups, phrase, public_only, where, title_phrase)
    if _uses_fts(groups):
        if until is None and _numeric(groups):  # amounts, numbers: few matches, anywhere
            until = date.min
        return [r & SEARCH_ID_MASK for r in _newest_fts(stmt, limit, until)]
    return _column(stmt.limit(limit))


def _day_rowid(day: date) -> int:
    """The smallest FTS5 rowid of an entry dated ``day`` (models._fts_values: the day's Julian
    day number, shifted above the id)."""
    return (day.toordinal() + 1721424) << SEARCH_ID_BITS


def _newest_fts(stmt, limit: int, until: date | None = None) -> list[int]:
    """The ``limit`` newest FTS5 rowids of a match, newest first (``stmt``: ordered newest
    first, without a limit).

    FTS5 walks its lists forwards fast, skipping to the next rowid that holds every term, and
    backwards slowly. When the newest matches are old, a plain ``ORDER BY rowid DESC`` walks
    back through every newer entry that holds some of the terms: a query naming an older year
    (งบประมาณ 2567 at 1M: 37 ms for the text, 42 ms for the title phrase). For such a query
    (``until``: the last day of the year it names), the matches dated after that day are read
    forwards first; when they are fewer than ``limit`` they are all of them, and the walk back
    starts at that day, where the year's own matches are dense. ``date.min``: every match is
    read forwards (a number: 1,500,000 at 1M has no match, 25 ms backwards, 11 ms forwards)."""
    if until is None:
        return _column(stmt.limit(limit))
    rowid, boundary = _fts.c.rowid, _day_rowid(until + timedelta(days=1))
    newer = _column(stmt.where(rowid >= boundary).order_by(None).order_by(rowid).limit(limit + 1))
    if len(newer) > limit:  # many newer matches after all: they are the answer
        return _column(stmt.limit(limit))
    if len(newer) == limit or until == date.min:
        return newer[::-1]
    return newer[::-1] + _column(stmt.where(rowid < boundary).limit(limit - len(newer)))


def _numeric(groups: list[tuple[str, ...]]) -> bool:
    """Whether every term is a number (its search key has digits only: 1,500,000 is 1500000)."""
    return all(a.isdigit() for g in groups for a in g)


def _at_least(groups: list[tuple[str, ...]], where: list, limit: int) -> int:
    """PostgreSQL: how many public entries hold every term (one of its alternatives) among their
    words (catalogue/words.py), counting at most ``limit``. A word is a piece of the entry's
    text, so this never exceeds the true count, public or not: "more than" is safe to say from
    it, "fewer" is not (the caller counts the text then)."""
    holds = []
    for alternatives in groups:
        pieces = [a for a in alternatives if MIN_WORD <= len(a) <= MAX_WORD]
        if not pieces:
            return 0
        holds.append(holding(pieces))
    ids = select(EntryWords.entry_id).where(*holds)  # public entries only (words.py)
    if where:
        # Each entry the words' index gives is then looked up by its key for the filters, and
        # counting stops at the limit. OFFSET 0 keeps the planner from joining instead: it
        # would hash every entry holding the words first (28 ms for จัดซื้อจัดจ้าง at 100k,
        # against 7 ms).
        entry = (
            select(IndexEntry.id)
            .where(IndexEntry.id == EntryWords.entry_id, *where)
            .offset(0)
            .lateral()
        )
        ids = ids.join(entry, true())
    return _count(ids, limit - 1)


def _id_among(ids) -> Any:
    """``IndexEntry.id IN ids``. PostgreSQL: one array parameter, ``= ANY(:ids)``; an IN list
    of a hundred ids rendered a hundred bound casts (milliseconds of Python per search) and made
    a new statement each time, which the driver could never prepare."""
    if _dialect() == "postgresql":
        return IndexEntry.id == any_(literal(list(ids), ARRAY(Integer)))
    return IndexEntry.id.in_(ids)


def _column(stmt) -> list:
    """The first column of every row (see ``_rows``)."""
    return list(_rows(stmt).scalars().all())


def _rows(stmt):
    """Rows of plain values (ids, keys, dates), not entries: through the session's connection,
    which skips the ORM's per-statement work (100 ids: 0.19 ms of CPU against 0.68 ms through
    the session; 1,001 ids through ``session.scalars``: 6.1 ms). Searches run after the
    request's writes are committed, so nothing waits to be flushed."""
    return db.session.connection().execute(stmt)


def _uses_fts(groups: list[tuple[str, ...]]) -> bool:
    """Whether the SQLite FTS5 table answers these terms (all of them three characters or more)."""
    return _dialect() == "sqlite" and all(_indexed(g) for g in groups)


def _by_relevance(ids: set[int], groups: list[tuple[str, ...]], phrase: str) -> list[int]:
    """The ids, best first: by ``_relevance``, then newest document, then newest entry."""
    if not ids:
        return []
    rows = _rows(
        select(
            IndexEntry.id,
            IndexEntry.search_title,
            IndexEntry.search_body,
            func.length(func.coalesce(IndexEntry.summary, "")) > 0,
            IndexEntry.doc_date,
        ).where(_id_among(ids))
    ).all()
    keyed = []
    for entry_id, title, body, has_summary, day in rows:
        rest = body[len(title) + 1 :] if title else body
        summary, _, keywords = rest.partition(SEARCH_SEPARATOR) if has_summary else ("", "", rest)
        score = _relevance(groups, phrase, title, summary, keywords, body)
        keyed.append((-score, *_newest_key(day, entry_id)))
    return [-key[-1] for key in sorted(keyed)]


def _relevance(
    groups: list[tuple[str, ...]],
    phrase: str,
    title: str,
    summary: str,
    keywords: str,
    body: str,
) -> float:
    """How well an entry's normalised text answers the terms: the phrase in the title, in the
    text, every term in the title; then, per term, the best field it is in (title > summary >
    keywords) and how often it occurs there, saturating (BM25's k1). Plain Python over the
    stored keys, so SQLite and PostgreSQL rank alike."""
    score = 0.0
    if phrase and _occurrences(title, phrase):
        score += PHRASE_IN_TITLE
    elif phrase and _occurrences(body, phrase):
        score += PHRASE_ELSEWHERE
    if all(any(_occurrences(title, a) for a in g) for g in groups):
        score += ALL_IN_TITLE
    weight = 0.0
    for g in groups:
        for field_weight, field_text in zip(FIELD_WEIGHTS, (title, summary, keywords), strict=True):
            if tf := sum(_occurrences(field_text, a) for a in g):  # the best field the term is in
                weight += field_weight / FIELD_WEIGHTS[0] * tf / (K1 + tf)
                break
    return round(score + weight / len(groups), 6)  # the weight stays below one: tiers hold


def _occurrences(text: str, term: str) -> int:
    """How often a term is in a text. A number counts where it is not part of a longer one:
    "2567" in "ปี 2567", not in "นว 0001/12567" (such an entry matches, but scores as if the
    term were missing from that field)."""
    pattern = _whole_number(term)
    return text.count(term) if pattern is None else len(pattern.findall(text))


@lru_cache(maxsize=1024)
def _whole_number(term: str) -> re.Pattern[str] | None:
    """The term with no digit before or after its own digits at its edges; None when neither of
    its ends is a digit (then a plain count is the same and faster)."""
    first, last = term[:1].isdigit(), term[-1:].isdigit()
    if not (first or last):
        return None
    return re.compile(("(?<!\\d)" if first else "") + re.escape(term) + ("(?!\\d)" if last else ""))


# --- years: "2566", "๒๕๖๖", "ปี 66" also find the entries of that fiscal year -----------------

# Words after which a number is a year: "ปี 66", "ปีงบ 2566", "พ.ศ. ๒๕๖๖". They only say "the
# year", so an entry of that fiscal year need not contain them ("งบประมาณ" must still match).
_YEAR_WORDS = ("ปีงบประมาณ", "ปีงบ", "ปี", "งบ", "พ.ศ.", "พ.ศ", "พศ.", "พศ")
_YEAR_LEADS = (*_YEAR_WORDS, "งบประมาณ")
# A number after these is a reference or an item ("ที่ 2566", "หมู่ที่ 12"), before these an
# amount or a count ("2566 บาท"): not a year.
_NOT_YEAR_BEFORE = ("ที่", "เลขที่", "ฉบับที่", "ครั้งที่", "หมู่ที่", "ข้อ", "มาตรา", "no", "no.")
_NOT_YEAR_AFTER = (
    "บาท",
    "ราย",
    "คน",
    "ฉบับ",
    "เล่ม",
    "หน้า",
    "ครั้ง",
    "แห่ง",
    "ชิ้น",
    "ล้าน",
    "หลัง",
    "ไร่",
    "%",
)
_GLUED_NUMBER_RE = re.compile(r"(\D+?)(\d{4}|\d{2})")  # "ปี66", "งบประมาณปี2566", "ต.ค.66"
_GLUED_YEAR_RE = re.compile(r"(.*?)(ปีงบประมาณ|ปีงบ|งบประมาณ|ปี|งบ|พ\.?ศ\.?)")


# How an entry's text ends the word before a two-digit year, in search_key form: "ปี 67",
# "ปีงบ 67", "ปีงบประมาณ 67", "พ.ศ. 67" or "พศ.67", and a month's abbreviation ("ม.ค. 67",
# "ก.พ. 67", "เม.ย. 67": every one ends in ค., พ. or ย.). Each costs a test of the rows a search
# reads, so the shared ends stand for the words.
_SHORT_YEAR_AFTER = (
    "ปี",
    "งบ",
    "ประมาณ",
    "ศ.",
    "ศ",
    *sorted({search_key(m)[-2:] for m in THAI_MONTHS_SHORT}),
)


@dataclass(frozen=True)
class YearTerm:
    """A year the query names (its BE fiscal year), or a month of a BE year ("ต.ค. 66"); the
    query terms that say it, and what of those terms an entry of that period must still contain
    ("งบประมาณ" of "งบประมาณปี66"); whether the query wrote the year with two digits."""

    year: int
    terms: tuple[str, ...]
    rest: tuple[str, ...] = ()
    short: bool = False
    month: int | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        """How an entry's text says the year: "2567"; for a year the query wrote with two
        digits, also those two digits after a word for the year or a month ("ปี67", "พ.ศ.67",
        "ม.ค.67"). Never the two digits alone: "67" is also inside references (นว 0001/17671)
        and amounts. A month: each of its spellings with the year in four or two digits
        ("ตุลาคม2566", "ต.ค.66", "ตค66")."""
        short = str(self.year)[-2:]
        if self.month is not None:
            years = (str(self.year), short)
            return tuple(name + year for name in month_spellings(self.month) for year in years)
        if not self.short:
            return (str(self.year),)
        return (str(self.year), *(word + short for word in _SHORT_YEAR_AFTER))

    @property
    def period(self) -> tuple[date, date]:
        """The first and last day of the fiscal year, or of the month."""
        if self.month is None:
            return fiscal_year_range(self.year)
        return month_days(ce_year(self.year), self.month)

    @property
    def in_period(self) -> Any:
        """SQL: an entry of the fiscal year (as entered), or dated in the month."""
        if self.month is None:
            return IndexEntry.fiscal_year == self.year
        return IndexEntry.doc_date.between(*self.period)

    def searched_as(self, expansions: list[Expansion]) -> list[Expansion]:
        """The query's terms with the ones that say the year replaced, where they stood, by the
        year's forms and what else they hold ("งบประมาณ" of "งบประมาณปี66"); the words that only
        say "the year" ("ปี", "พ.ศ.") are not searched for on their own."""
        others = {e.term for e in expansions} - set(self.terms)
        instead = [*(expand(r) for r in self.rest if r not in others)]
        instead.append(Expansion(str(self.year), self.forms, ()))
        searched: list[Expansion] = []
        for e in expansions:
            if e.term not in self.terms:
                searched.append(e)
            elif instead:
                searched += instead
                instead = []
        return searched


def find_year(query: str) -> YearTerm | None:
    """The first year a query names, or None: "2566", "๒๕๖๖", "ปี 66", "งบประมาณปี66",
    "ปีงบประมาณ 2566"; a month of a year: "ต.ค. 66", "ตุลาคม 2566", "ต.ค.66"; not "2,566",
    "2566 บาท", "ที่ 2566" or "นว 0015/2566"."""
    raw = arabic_digits(normalize_text(query)).casefold().split(" ")
    keys = [search_key(part) for part in raw]
    for i, key in enumerate(keys):
        before = keys[i - 1] if i else ""
        after = keys[i + 1] if i + 1 < len(keys) else ""
        if after.startswith(_NOT_YEAR_AFTER) or "," in raw[i]:
            continue
        if key.isascii() and key.isdigit():
            month = _month_at_end(before)
            if (
                (len(key) == 4 or (len(key) == 2 and (before in _YEAR_LEADS or month)))
                and before not in _NOT_YEAR_BEFORE
                and (year := year_from_input(key, common_era=False)) is not None
            ):
                if month is not None:
                    rest = (month[0],) if month[0] else ()
                    return YearTerm(year, (key, before), rest, len(key) == 2, month[1])
                said = (key, before) if before in _YEAR_WORDS else (key,)
                return YearTerm(year, said, short=len(key) == 2)
            continue
        m = _GLUED_NUMBER_RE.fullmatch(key)
        if m and (year := year_from_input(m.group(2), common_era=False)) is not None:
            if (month := _month_at_end(m.group(1))) is not None:
                rest = (month[0],) if month[0] else ()
                return YearTerm(year, (key,), rest, len(m.group(2)) == 2, month[1])
            if g := _GLUED_YEAR_RE.fullmatch(m.group(1)):
                rest = g.group(1) + (g.group(2) if g.group(2) not in _YEAR_WORDS else "")
                return YearTerm(year, (key,), (rest,) if rest else (), len(m.group(2)) == 2)
    return None


def _month_at_end(word: str) -> tuple[str, int] | None:
    """(what comes before, the month) when a word ends in a month's name: "ต.ค.", "ตุลาคม",
    "เดือนตุลาคม", "จัดซื้อต.ค."; a short spelling without dots ("ตค") only as the whole word,
    since inside a longer one those letters are something else."""
    for start in range(len(word) - 1):  # the longest name first
        part = word[start:]
        if (month := month_number(part)) is not None and (
            start == 0 or "." in part or len(part) >= 4
        ):
            return word[:start], month
    return None


def _ranked_with_year(
    said: YearTerm, m: Matching, offset: int, per_page: int, cap: int | None
) -> tuple[int, list[int]]:
    """The text matches (the year in one of its forms and the other words) ranked as usual,
    then the entries of the named fiscal year (ranked by the other words) or dated in the named
    month (newest first) whose text does not say it but has the query's other words."""
    groups, _, public_only, where, _ = m
    total, ids = _ranked(m, offset, per_page, cap)
    rest = [g for g in groups if g != said.forms]
    # LIKE over that year's rows, not FTS5: one statement can carry only one MATCH (:match).
    text_says = and_(*[_like_any(IndexEntry.search_body, g) for g in groups])
    year_only = [*where, said.in_period, not_(text_says)]
    if said.month is not None:
        # A month's few hundred rows, each tested, newest first: the index's matches of the
        # other words can be thousands, nearly all outside the month (66 ms against 3 at 100k).
        year_only += [_like_any(IndexEntry.search_body, g) for g in rest]
        rest = []
    if cap is not None and total > cap:  # "more than" already: the year's rows change nothing
        if len(ids) >= per_page:
            return total, ids
        extra_cap: int | None = 0
    else:
        extra_cap = None if cap is None else cap - total
    count = select(IndexEntry.id).where(*year_only, *_term_filter(rest, public_only))
    if public_only:
        count = count.where(public_filter())
    extra = _count(count, extra_cap)
    if extra and len(ids) < per_page:
        _, more = _ranked(
            Matching(rest, "".join(g[0] for g in rest), public_only, year_only),
            max(0, offset - total),
            per_page - len(ids),
            cap,
        )
        ids += more
    return total + extra, ids


def _exact_ids(query: str, where: list) -> list[int]:
    """Entries whose reference is the query (any spacing, Thai or Arabic digits), or "#id"."""
    key = reference_key(query)
    if m := _ENTRY_ID_RE.fullmatch(arabic_digits(key)):
        return list(
            db.session.scalars(
                select(IndexEntry.id).where(IndexEntry.id == int(m.group()[1:]), *where)
            )
        )
    if len(key) < 3 or not any(ch.isdigit() for ch in key):
        return []
    return list(
        db.session.scalars(
            select(IndexEntry.id)
            .where(IndexEntry.search_ref == key, *where)
            .order_by(IndexEntry.doc_date.desc(), IndexEntry.id.desc())
            .limit(MAX_PER_PAGE)
        )
    )


def _hits(ids: list[int], terms: list[str], public_only: bool) -> list[SearchHit]:
    entries = select(IndexEntry).where(_id_among(ids)).options(selectinload(IndexEntry.files))
    if public_only:  # read now, not from the cache: an entry withdrawn meanwhile is not shown
        entries = entries.where(IndexEntry.is_public)
    found = {e.id: e for e in db.session.scalars(entries).unique()}
    return [SearchHit(found[i], terms) for i in ids if i in found]


# --- typo tolerance --------------------------------------------------------------------------

FEW = 2  # at most this many results: look for a better spelling too
FUZZY_CANDIDATES = 30  # entries whose text the closest spelling is looked for in
FUZZY_SCOPE = 100_000  # the newest entries the trigram-ranked fallback looks among (SQLite)
FUZZY_RANKED_MAX = 20  # characters: longer terms get the halves' candidates only (SQLite)
PG_FUZZY_THRESHOLDS = (0.6, 0.2)  # word similarity, PostgreSQL: strict first, then as loose as ever


def _max_distance(term: str) -> int:
    return 1 if len(term) < 8 else 2 if len(term) < 14 else 3


def _fuzzy_candidates(term: str, public_only: bool) -> list[str]:
    """Normalised texts of the entries most similar to the term (trigram index on both DBs)."""
    if _dialect() == "sqlite":
        grams = sorted({term[i : i + 3] for i in range(len(term) - 2)})
        texts = (
            "{pub_title pub_body}" if public_only else "{pub_title pub_body priv_title priv_body}"
        )
        match = f"{texts} : (" + " OR ".join(_quote(g) for g in grams) + ")"
        ranked = (
            select(_fts_entry_id)
            .select_from(_fts)
            .where(text("index_entries_fts MATCH :match").bindparams(match=match))
            .order_by(text("rank"))
            .limit(FUZZY_CANDIDATES)
        )
        if (oldest := _fuzzy_scope_start()) is not None:
            ranked = ranked.where(_fts.c.rowid >= oldest)
        return _bodies(_column(ranked), public_only)
    else:
        # PostgreSQL: texts holding a spelling close to the term (``%>``, word similarity, which
        # the trigram GIN index answers), the closest class first. Not ordered by similarity:
        # a typo of a common phrase is near tens of thousands of rows, and scoring them all took
        # seconds; any few above a strict threshold hold the spelling meant, and
        # ``_closest_in`` picks it out of them.
        stmt = (
            select(IndexEntry.search_body)
            .where(IndexEntry.search_body.op("%>")(term))
            .limit(FUZZY_CANDIDATES)
        )
        if public_only:
            stmt = stmt.where(IndexEntry.is_public)
        for threshold in PG_FUZZY_THRESHOLDS:
            db.session.execute(
                text("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true)"),
                {"t": str(threshold)},
            )
            found = list(db.session.scalars(stmt))
            if found:
                return found
        return []


def _bodies(ids, public_only: bool) -> list[str]:
    """The normalised texts of the entries ``ids`` (a list or a SELECT of ids)."""
    stmt = select(IndexEntry.search_body).where(_id_among(ids))
    if public_only:
        stmt = stmt.where(IndexEntry.is_public)
    return list(db.session.scalars(stmt))


def _fuzzy_scope_start() -> int | None:
    """The FTS rowid of the oldest of the newest ``FUZZY_SCOPE`` entries (None: fewer). Ranking
    every entry that shares a trigram with a typo is work in proportion to the index (seconds at
    a million entries); the ranked fallback looks among the newest ``FUZZY_SCOPE`` only. Read
    from the FTS5 table's rowids (9 ms at a million, as long at 100k where it reads them all)
    and kept per process like the filter menus."""
    return _scope_cache.get(
        FUZZY_SCOPE,
        lambda: db.session.scalar(
            select(_fts.c.rowid)
            .select_from(_fts)
            .order_by(_fts.c.rowid.desc())
            .offset(FUZZY_SCOPE)
            .limit(1)
        ),
    )


def _syllable_edges(text: str) -> set[int]:
    """Where the syllables of a stored text begin and end: a suggested spelling starts and ends
    on them, never inside a syllable (าชบัญญัติ or ชบัญญัติ out of พระราชบัญญัติ, อบ out of
    ขอบ), while a word inside a compound (ประเมิน in การประเมิน) can still be suggested."""
    edges, at = {0}, 0
    for part in split_syllables(text):
        at += len(part)
        edges.add(at)
    return edges


def _closest_in(term: str, body: str) -> tuple[int, str] | None:
    """The part of ``body`` spelled most like ``term``: (edit distance, that part)."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    best: tuple[int, str] | None = None
    for field_text in body.split("\n"):
        if len(field_text) < 2:
            continue
        spot = fuzz.partial_ratio_alignment(term, field_text)
        if spot is None or spot.score < 50:
            continue
        n = len(term)
        edges = _syllable_edges(field_text)
        for start in range(max(0, spot.dest_start - 2), min(len(field_text), spot.dest_start + 3)):
            if start not in edges:
                continue
            for size in range(max(2, n - 2), n + 3):
                end = start + size
                if end > len(field_text) or end not in edges:
                    continue
                part = field_text[start:end]
                d = Levenshtein.distance(term, part)
                if best is None or (d, abs(len(part) - n)) < (best[0], abs(len(best[1]) - n)):
                    best = (d, part)
    return best


def closest_spelling(term: str, public_only: bool = True) -> str | None:
    """A spelling of ``term`` (search_key form) found in the index's own text, within a few
    edits (ฎ/ฏ, a missing tone mark, ใ/ไ, a doubled or dropped letter); None if none is close."""
    if len(term) < 3 or not any(
        ch.isalpha() for ch in term
    ):  # numbers and references are not misspelt
        return None
    # PostgreSQL: the vocabulary first, a few hundred thousand short words (words.py); a word
    # gone since its last refresh is not offered.
    if _dialect() == "postgresql":
        found = similar_words(term, FUZZY_CANDIDATES)
        spelling = _commonest_close(term, [w for w, _ in found], [n for _, n in found])
        if spelling is not None and holds_word(spelling):
            return spelling
    # Then the entries holding one half of the term as typed (one typo spoils at most one
    # half; on SQLite a bounded FTS5 read at any size), then the entries richest in the term's
    # trigrams. On SQLite the latter ranks every entry sharing a trigram, so a longer term (a
    # phrase typed without spaces, dozens of trigrams: seconds at a million) gets halves only.
    passes = [_half_candidates]
    if len(term) <= FUZZY_RANKED_MAX or _dialect() != "sqlite":
        passes.append(_fuzzy_candidates)
    for candidates in passes:
        spelling = _commonest_close(term, candidates(term, public_only))
        if spelling is not None:
            return spelling
    return None


def _half_candidates(term: str, public_only: bool) -> list[str]:
    """Normalised texts of the newest entries holding either half of the term (SQLite; on
    PostgreSQL a substring read newest first can walk far, and word similarity is indexed)."""
    if _dialect() != "sqlite" or len(term) < 2 * MIN_INDEXED:
        return []
    middle = len(term) // 2
    halves = ((term[:middle], term[middle:]),)  # one term: either half, as one FTS5 query
    matches, _ = _fts_queries(halves, term, public_only)
    newest = (
        _fts_select(_fts_entry_id, matches, [])
        .order_by(_fts.c.rowid.desc())
        .limit(FUZZY_CANDIDATES)
    )
    return _bodies(newest, public_only)


def _commonest_close(term: str, bodies: list[str], weights: list[int] | None = None) -> str | None:
    """The spelling close to ``term`` found in most of ``bodies`` (the fewest edits first; a
    body counts its weight: a vocabulary word, the entries holding it)."""
    counts: dict[str, int] = {}
    best_d = _max_distance(term)  # at most this many edits (นายอำเภอ is not ที่อำเภอ)
    for body, weight in zip(bodies, weights or [1] * len(bodies), strict=True):
        found = _closest_in(term, body)
        if found is None or found[0] == 0 or found[0] > best_d:
            continue
        if found[0] < best_d:
            best_d, counts = found[0], {}
        counts[found[1]] = counts.get(found[1], 0) + weight
    if not counts:
        return None
    return max(sorted(counts), key=lambda part: counts[part])  # the commonest, then alphabetically


def _suggest(result: SearchPage, groups: list[tuple[str, ...]], public_only: bool, run) -> None:
    """Fill in "คุณหมายถึง …" and, when the query found nothing, the suggestion's results."""
    fixed: list[tuple[str, ...]] = []
    changed = False
    for group in groups:
        if len(groups) > 1 and run([group], group[0])[0] > 0:
            fixed.append(group)
            continue
        spelling = closest_spelling(group[0], public_only)
        if spelling is None:
            fixed.append(group)
            continue
        fixed.append(expand(spelling).alternatives)
        changed = True
    if not changed:
        return
    words = [g[0] for g in fixed]
    total, ids = run(fixed, "".join(words))
    if total <= result.total:
        return
    result.suggestion = " ".join(words)
    if result.total == 0:
        result.items = _hits(ids, [a for g in fixed for a in g], public_only)
        result.total = total
        result.approximate = True


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
    counts = {
        sid: n for n, sid in db.session.execute(base.add_columns(section).group_by(section)).all()
    }
    direct = db.session.execute(
        base.add_columns(Category.id).where(Category.parent_id.is_not(None)).group_by(Category.id)
    ).all()
    counts.update({cid: n for n, cid in direct})
    return counts


def fiscal_years() -> list[int]:
    """The fiscal years the index spans, newest first (for the filter)."""
    # min/max come straight from the fiscal_year index; a GROUP BY over public rows would read them
    # all.
    low, high = db.session.execute(
        select(func.min(IndexEntry.fiscal_year), func.max(IndexEntry.fiscal_year))
    ).one()
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


_choices_cache = ProcessCache(
    "catalogue_filter_choices", (Category, Office, IndexEntry), CHOICES_TTL
)
_counts_cache = ProcessCache("catalogue_category_counts", (Category, IndexEntry), CHOICES_TTL)
_scope_cache = ProcessCache("search_fuzzy_scope", (IndexEntry,), CHOICES_TTL)


def _load_filter_choices() -> FilterChoices:
    cats = db.session.scalars(
        select(Category)
        .where(Category.active.is_(True))
        .order_by(Category.sort_order, Category.code)
    )
    offices = db.session.scalars(Office.ordered())
    return FilterChoices(
        [CategoryChoice(c.id, c.code, c.code_th, c.name_th, c.parent_id) for c in cats],
        [OfficeChoice(o.id, o.code, o.name) for o in offices],
        fiscal_years(),
    )


def filter_choices() -> FilterChoices:
    """Categories, offices and fiscal years for the search filters, cached per process: every
    search page needs them and they rarely change (edits in this process refresh them at once)."""
    return _choices_cache.get("all", _load_filter_choices)


# --- highlighting ----------------------------------------------------------------------------


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
    mapped = search_key_map(text)
    if mapped is None:
        return escape(text)
    key, src = mapped
    spans: list[tuple[int, int]] = []  # marked source ranges, inclusive
    for term in terms:
        start = key.find(term)
        while start != -1:
            span = src[start : start + len(term)]
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
        parts.append(f"<mark>{escape(text[lo : hi + 1])}</mark>")
        i = hi + 1
    if i < len(text):
        parts.append(str(escape(text[i:])))
    return Markup("".join(parts))
