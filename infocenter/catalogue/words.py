"""The words of each entry (PostgreSQL's ``index_entry_words``): what the search can count
without reading the matching rows one by one.

A search term matches any substring of an entry's normalised text (``search_body``), and the
trigram index finds those; but to say "พบมากกว่า 1,000 รายการ" PostgreSQL had to check 1,001 of
them, one row at a time (about 3 µs each: 16 ms for สตรี at 100k, 131 ms for โอทอป, whose
matches are sparser). The words of an entry are pieces of that same text, so an entry holding
the term as one of its words certainly holds it as a substring: counting with the words' GIN
index gives a lower bound of the true count, enough to say "more than 1,000" and never more
than the truth. When the words find fewer, the search counts the text as before. So the results
are the same with or without this table (tests/search/test_search_words.py).

The words of a text are:
- its words as PyThaiNLP's newmm splits them (สตรี, กองทุนหมู่บ้าน, ita, 0015);
- two and three of them in a row (โอ + ทอ + ป = โอทอป; จัดซื้อ + จัดจ้าง), for terms the
  dictionary splits;
- every dictionary word that starts where one of them starts (กองทุน in กองทุนหมู่บ้าน).

They live in their own table, not in ``index_entries``: 65 words make about 2 KB a row, which
would double the rows every search walks. Only public entries have them, since only the public
search counts from them: then it needs no look at ``index_entries`` unless it filters. SQLite
has the table but leaves it empty: its FTS5 index counts by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import DDL, JSON, ForeignKey, Text, delete, event, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import postgresql_gin
from ..extensions import db
from ..thai import dictionary_words_at, split_words

MIN_LENGTH = 3  # characters, as search.MIN_INDEXED: shorter terms are never counted from here
MAX_LENGTH = 60  # characters: longer pieces are never typed as one term
RUN = 3  # words in a row kept as one piece


class EntryWords(db.Model):
    """The words of one entry's ``search_body`` (PostgreSQL; see the module's docstring)."""

    __tablename__ = "index_entry_words"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("index_entries.id", ondelete="CASCADE"), primary_key=True
    )
    words: Mapped[list[str]] = mapped_column(JSON().with_variant(ARRAY(Text), "postgresql"))

    __table_args__ = (
        # "words && ARRAY[...]": the entries holding one of a term's forms as a word.
        postgresql_gin("ix_index_entry_words_words", "words"),
    )


# No statistics for the words (PostgreSQL): with them the planner answers "the first 1,001
# entries holding จัดซื้อจัดจ้าง" by reading rows in order until it has them, which means
# reading every row's words (22 ms at 100k), instead of asking the GIN index (4 ms).
NO_STATISTICS = "ALTER TABLE index_entry_words ALTER COLUMN words SET STATISTICS 0"
event.listen(
    EntryWords.__table__, "after_create", DDL(NO_STATISTICS).execute_if(dialect="postgresql")
)


# The vocabulary: every word of the public entries once, with the number of entries holding it,
# and a trigram index, so that a misspelt term finds the spellings close to it among a few
# hundred thousand short words (3-5 ms at 100k entries) instead of rechecking the text of every
# entry sharing a trigram with it (55-330 ms at 100k, seconds at 1M). A materialised view,
# refreshed by ``flask index optimize`` (nightly) and ``flask index reindex``: a word new since
# then is found by the search's other passes; one gone since is never suggested (the words
# table, kept current, is asked first: ``search.closest_spelling``).
VOCABULARY = "search_vocabulary"
VOCABULARY_DDL = (
    f"CREATE MATERIALIZED VIEW {VOCABULARY} AS SELECT word, count(*)::integer AS entries "
    "FROM index_entry_words, unnest(words) AS word GROUP BY word",
    f"CREATE UNIQUE INDEX ux_{VOCABULARY}_word ON {VOCABULARY} (word)",  # refreshed concurrently
    f"CREATE INDEX ix_{VOCABULARY}_trgm ON {VOCABULARY} USING gin (word gin_trgm_ops)",
)
VOCABULARY_DROP = f"DROP MATERIALIZED VIEW IF EXISTS {VOCABULARY}"
for _sql in VOCABULARY_DDL:
    event.listen(EntryWords.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
event.listen(
    EntryWords.__table__, "before_drop", DDL(VOCABULARY_DROP).execute_if(dialect="postgresql")
)


def refresh_vocabulary(conn) -> bool:
    """PostgreSQL: count the words of the public entries again (2 s at 100k entries), without
    blocking searches meanwhile; False on SQLite, which has no vocabulary."""
    if not indexes_words(conn):
        return False
    conn.execute(text(f"REFRESH MATERIALIZED VIEW CONCURRENTLY {VOCABULARY}"))
    return True


def similar_words(term: str, limit: int) -> list[tuple[str, int]]:
    """PostgreSQL: (word, entries holding it) of the ``limit`` words spelled most like ``term``
    (trigram similarity at least ``pg_trgm.similarity_threshold``, 0.3 unless set otherwise),
    the most similar and then the commonest first."""
    rows = db.session.execute(
        text(
            f"SELECT word, entries FROM {VOCABULARY} WHERE word % :term "
            "ORDER BY similarity(word, :term) DESC, entries DESC, word LIMIT :limit"
        ),
        {"term": term, "limit": limit},
    )
    return [(word, entries) for word, entries in rows]


def holding(words: list[str]):
    """SQL: the entry holds one of ``words`` as a word (``words && ARRAY[...]``, the GIN index)."""
    return EntryWords.words.op("&&")(literal(words, ARRAY(Text)))


def holds_word(word: str) -> bool:
    """PostgreSQL: whether a public entry holds ``word`` as one of its words now."""
    found = select(EntryWords.entry_id).where(holding([word]))
    return db.session.execute(found.limit(1)).first() is not None


def entry_words(body: str) -> list[str]:
    """The words of a normalised text (``search_body``), sorted, each once; every one of them
    is a substring of ``body`` (the lower bound above depends on it)."""
    found: set[str] = set()
    # The fields' separator (a newline) and the spaces left between Latin words end a piece.
    for chunk in _SPACE_RE.split(body or ""):
        if not chunk:
            continue
        starts = [0]
        for token in split_words(chunk, cache=False):
            starts.append(starts[-1] + len(token))
        for i, start in enumerate(starts[:-1]):
            for end in starts[i + 1 : i + 1 + RUN]:
                found.add(chunk[start:end])
            found.update(dictionary_words_at(chunk, start))
    return sorted(w for w in found if MIN_LENGTH <= len(w) <= MAX_LENGTH)


_SPACE_RE = re.compile(r"\s+")


def indexes_words(bind) -> bool:
    """Whether this database keeps the entries' words (PostgreSQL; see above)."""
    return bind.dialect.name == "postgresql"


def store_words(conn, entries: Iterable[tuple[int, str, bool]]) -> int:
    """Store the words of these (entry id, ``search_body``, public) entries, replacing any kept
    before; an entry that is not public has none (only the public search counts from them).
    Returns how many were stored."""
    rows, hidden = [], []
    for entry_id, body, public in entries:
        if public:
            rows.append({"entry_id": entry_id, "words": entry_words(body)})
        else:
            hidden.append(entry_id)
    if hidden:
        conn.execute(delete(EntryWords).where(EntryWords.entry_id.in_(hidden)))
    if rows:
        stmt = insert(EntryWords.__table__)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["entry_id"], set_={"words": stmt.excluded.words}
            ),
            rows,
        )
    return len(rows)
