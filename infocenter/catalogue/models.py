"""Section 9 categories, index entries and their files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    event,
    inspect,
    literal_column,
    select,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..admin.models import Office
from ..audit import Audited
from ..auth.models import User
from ..dbtypes import UTCDateTime, postgresql_gin
from ..extensions import db
from ..i18n import CodeLabel
from ..thai import N_, fiscal_year, local_today, now_utc, reference_key, search_key
from ..uploads import StoredFile
from .words import EntryWords, indexes_words, store_words

# The fixed categories of Section 9 (DOMAIN.md): code, Thai name, English name.
SECTION9 = (
    (
        "9(1)",
        "ผลการพิจารณาหรือคำวินิจฉัยที่มีผลโดยตรงต่อเอกชน "
        "รวมทั้งความเห็นแย้งและคำสั่งที่เกี่ยวข้องในการพิจารณาวินิจฉัยดังกล่าว",
        "Decisions with direct effect on private persons, with dissenting opinions and related "
        "orders",
    ),
    (
        "9(2)",
        "นโยบายหรือการตีความที่ไม่เข้าข่ายต้องลงพิมพ์ในราชกิจจานุเบกษาตามมาตรา ๗ (๔)",
        "Policies or interpretations not required to be published in the Government Gazette under "
        "7(4)",
    ),
    (
        "9(3)",
        "แผนงาน โครงการ และงบประมาณรายจ่ายประจำปีของปีที่กำลังดำเนินการ",
        "Work plans, projects and the annual expenditure budget of the current year",
    ),
    (
        "9(4)",
        "คู่มือหรือคำสั่งเกี่ยวกับวิธีปฏิบัติงานของเจ้าหน้าที่ของรัฐซึ่งมีผลกระทบถึงสิทธิหน้าที่ของเอกชน",
        "Manuals or orders on officials' procedures that affect private rights and duties",
    ),
    (
        "9(5)",
        "สิ่งพิมพ์ที่ได้มีการอ้างอิงถึงตามมาตรา ๗ วรรคสอง",
        "Publications referred to in Section 7 paragraph 2",
    ),
    (
        "9(6)",
        "สัญญาสัมปทาน สัญญาที่มีลักษณะเป็นการผูกขาดตัดตอน หรือสัญญาร่วมทุนกับเอกชนในการจัดทำบริการสาธารณะ",
        "Concession, monopoly and joint-venture contracts with private parties for public services",
    ),
    (
        "9(7)",
        "มติคณะรัฐมนตรี หรือมติคณะกรรมการที่แต่งตั้งโดยกฎหมายหรือโดยมติคณะรัฐมนตรี ทั้งนี้ ให้ระบุรายชื่อรายงานทางวิชาการ "
        "รายงานข้อเท็จจริง หรือข้อมูลข่าวสารที่นำมาใช้ในการพิจารณาไว้ด้วย",
        "Resolutions of the Cabinet or of boards set up by law or by Cabinet, listing the reports "
        "relied on",
    ),
    (
        "9(8)",
        "ข้อมูลข่าวสารอื่นตามที่คณะกรรมการกำหนด",
        "Other information prescribed by the Official Information Commission (OIC)",
    ),
)

# Section 7 items: published in the Government Gazette and kept at the center beside the
# Section 9 items (agencies list both in one index). Sorted before Section 9 (sort_order 1–5).
SECTION7 = (
    ("7(1)", "โครงสร้างและการจัดองค์กรในการดำเนินงาน", "Structure and organisation of its operation"),
    (
        "7(2)",
        "สรุปอำนาจหน้าที่ที่สำคัญและวิธีการดำเนินงาน",
        "Summary of its main powers and duties and how it works",
    ),
    (
        "7(3)",
        "สถานที่ติดต่อเพื่อขอรับข้อมูลข่าวสารหรือคำแนะนำในการติดต่อกับหน่วยงานของรัฐ",
        "Where and how to contact it for information or advice",
    ),
    (
        "7(4)",
        "กฎ มติคณะรัฐมนตรี ข้อบังคับ คำสั่ง หนังสือเวียน ระเบียบ แบบแผน นโยบายหรือการตีความ ที่มีสภาพอย่างกฎ",
        "By-laws, regulations, orders, circulars, rules and policies or interpretations "
        "with the force of law",
    ),
    (
        "7(5)",
        "ข้อมูลข่าวสารอื่นตามที่คณะกรรมการกำหนด (มาตรา ๗)",
        "Other information the Commission prescribes (Section 7)",
    ),
)

# Sub-items of 9(8) announced by the OIC; an administrator can add more.
SECTION9_8_ITEMS = (
    (
        "9(8).1",
        "สรุปผลการจัดซื้อจัดจ้างรายเดือน (แบบ สขร.๑)",
        "Monthly procurement result summaries (form SorKorRor 1)",
    ),
    ("9(8).2", "ข้อมูลตามหลักเกณฑ์ความโปร่งใส", "Information under the transparency criteria"),
    (
        "9(8).3",
        "ประกาศเชิญชวน ประกาศผู้ชนะการเสนอราคา และสัญญาที่อนุมัติแล้ว",
        "Procurement invitations, winner announcements and approved contracts",
    ),
)

# Labels of codes (Thai; the msgids of their English translations). They stay plain Thai text
# because imports read them back and official documents print them; pages translate them where
# they are shown (the properties below, `_(label)` in templates).
DISCLOSURE_LABELS = {
    "open": N_("เปิดเผย"),
    "partial": N_("เปิดเผยบางส่วน (ปกปิดบางส่วน)"),
    "closed": N_("ไม่เปิดเผย"),
}
STATE_LABELS = {"draft": N_("ร่าง"), "published": N_("เผยแพร่"), "withdrawn": N_("ถอนออก")}
# Grounds for withholding: Section 14, and the sub-clauses of Section 15.
WITHHOLDING_GROUNDS = {
    "14": N_("มาตรา ๑๔ (สถาบันพระมหากษัตริย์)"),
    "15(1)": N_("มาตรา ๑๕ (๑) ความมั่นคงของประเทศ ความสัมพันธ์ระหว่างประเทศ หรือความมั่นคงทางเศรษฐกิจ"),
    "15(2)": N_("มาตรา ๑๕ (๒) การบังคับใช้กฎหมาย"),
    "15(3)": N_("มาตรา ๑๕ (๓) ความเห็นหรือคำแนะนำภายในหน่วยงาน"),
    "15(4)": N_("มาตรา ๑๕ (๔) อันตรายต่อชีวิตหรือความปลอดภัยของบุคคล"),
    "15(5)": N_("มาตรา ๑๕ (๕) ข้อมูลข่าวสารส่วนบุคคล"),
    "15(6)": N_("มาตรา ๑๕ (๖) ข้อมูลที่มีกฎหมายคุ้มครองหรือผู้ให้มาไม่ประสงค์ให้เปิดเผย"),
    "15(7)": N_("มาตรา ๑๕ (๗) กรณีอื่นตามที่กำหนดในพระราชกฤษฎีกา"),
}


class Category(Audited, db.Model):
    """A Section 9 category (9(1)–9(8)) or an admin-added sub-item of 9(8)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # "9(3)", "9(8).1"
    name_th: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    sort_order: Mapped[int] = mapped_column(default=0)
    review_months: Mapped[int] = mapped_column(default=12)  # review-by = last update + this
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Category | None] = relationship(remote_side=[id])

    @property
    def section(self) -> str:
        """The Section 9 code this category counts under ("9(8)" for its sub-items)."""
        return self.parent.code if self.parent else self.code

    @property
    def law_section(self) -> str:
        """The section of the Act the category belongs to: "7" or "9"."""
        return self.section.split("(", 1)[0]

    @property
    def code_th(self) -> str:
        """The code in Thai digits: "๙(๓)" (for Thai documents; pages use the thaidigits filter)."""
        from ..thai import thai_digits

        return thai_digits(self.code)

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


# IndexEntry.is_public as SQL text, for the partial indexes' WHERE.
PUBLIC_SQL = "state = 'published' AND disclosure != 'closed'"


class IndexEntry(Audited, db.Model):
    """One entry of the Section 9 index: a document kept for public inspection."""

    __tablename__ = "index_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    ref: Mapped[str] = mapped_column(String(120), default="")  # เลขที่หนังสือ
    # The agency's own numbering of the item, as written in its files ("9(8)-2", "9(4) – 3"):
    # kept, shown and searchable, while the entry is filed under the category it belongs to.
    agency_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")  # separated by ";"
    doc_date: Mapped[date | None] = mapped_column(Date)
    fiscal_year: Mapped[int | None] = mapped_column(index=True)  # BE, derived from doc_date
    location: Mapped[str] = mapped_column(String(200), default="")  # binder, shelf
    disclosure: Mapped[str] = mapped_column(String(16), default="open")
    withheld_ground: Mapped[str | None] = mapped_column(String(16))
    review_by: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_utc, onupdate=now_utc, index=True
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Normalised copies (thai.search_key) that the search index is built over; kept in sync
    # by the before_insert/before_update hooks below and by search_columns() for bulk inserts.
    search_title: Mapped[str] = mapped_column(Text, default="")  # ref + title
    search_body: Mapped[str] = mapped_column(Text, default="")  # ref + title + summary + keywords
    search_ref: Mapped[str] = mapped_column(
        String(120), default="", index=True
    )  # thai.reference_key(ref)
    # PostgreSQL also keeps the words of search_body, for counting: words.EntryWords.

    __audit_exclude__ = ("search_title", "search_body", "search_ref")

    office: Mapped[Office] = relationship(lazy="joined")
    category: Mapped[Category] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    files: Mapped[list[EntryFile]] = relationship(
        back_populates="entry", order_by="EntryFile.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("disclosure IN ('open', 'partial', 'closed')", name="disclosure"),
        CheckConstraint("state IN ('draft', 'published', 'withdrawn')", name="state"),
        Index("ix_index_entries_public", "state", "disclosure", "doc_date"),
        # Browsing a category: its public rows in display order (newest first, read backwards),
        # so a page is the first 20 index entries and the total a count over the index alone.
        Index(
            "ix_index_entries_public_category",
            "category_id",
            "doc_date",
            "id",
            sqlite_where=text(PUBLIC_SQL),
            postgresql_where=text(PUBLIC_SQL),
        ),
        # The PostgreSQL search index. SQLite searches through the FTS5 table below instead.
        postgresql_gin("ix_index_entries_search_trgm", "search_body", "gin_trgm_ops"),
        # The same for titles: "the phrase in the title" is then read from the short titles
        # (สตรี at 100k: 54 -> 12 ms). Migration 0023.
        postgresql_gin("ix_index_entries_title_trgm", "search_title", "gin_trgm_ops"),
    )

    @hybrid_property
    def is_public(self) -> bool:
        """Shown to the public: published and not closed (the one home of this legal rule: use
        ``entry.is_public`` on an entry and ``IndexEntry.is_public`` in a query)."""
        return self.state == "published" and self.disclosure != "closed"

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        # Literals, not bound parameters: so the planner can match the partial indexes below.
        return and_(
            cls.state == literal_column("'published'"), cls.disclosure != literal_column("'closed'")
        )

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in (self.keywords or "").split(";") if k.strip()]

    disclosure_label = CodeLabel(DISCLOSURE_LABELS, "disclosure")
    state_label = CodeLabel(STATE_LABELS, "state")


@event.listens_for(IndexEntry.doc_date, "set")
def _derive_fiscal_year(target: IndexEntry, value: date | None, oldvalue, initiator) -> None:
    target.fiscal_year = fiscal_year(value) if value else None


# Fields are normalised one by one and joined by a newline, which no normalised text contains,
# so a term can never match across the end of one field and the start of the next.
SEARCH_SEPARATOR = "\n"


def search_columns(
    ref: str,
    title: str,
    summary: str = "",
    keywords: str = "",
    agency_code: str = "",
) -> dict[str, str]:
    """The normalised search columns of an entry (for bulk inserts that bypass the ORM hooks:
    on PostgreSQL, call ``rebuild_words`` after them)."""
    keywords = ";".join(k for k in (keywords, agency_code) if k)  # the agency's code is found
    ref_key, title_key = search_key(ref or ""), search_key(title or "")
    head = SEARCH_SEPARATOR.join(p for p in (ref_key, title_key) if p)
    tail = [search_key(summary or "")] + [search_key(k) for k in (keywords or "").split(";")]
    body = SEARCH_SEPARATOR.join(p for p in [head, *tail] if p)
    return {"search_title": head, "search_body": body, "search_ref": reference_key(ref or "")[:120]}


def rebuild_search_keys(conn, batch: int = 2000) -> int:
    """Recompute every entry's search columns with the current normalisation (migration 0013,
    `flask index reindex`); on SQLite the FTS triggers re-index the rows that change. Returns
    how many rows changed. PostgreSQL: the changed rows' words too."""
    from sqlalchemy import bindparam, literal, update

    # Only the columns this database has: migrations call this before later columns exist.
    present = {c["name"] for c in inspect(conn).get_columns("index_entries")}
    words = indexes_words(conn) and inspect(conn).has_table("index_entry_words")
    t = IndexEntry.__table__
    keys = ["search_title", "search_body", "search_ref"]
    code = t.c.agency_code if "agency_code" in present else literal("")
    sources = (t.c.ref, t.c.title, t.c.summary, t.c.keywords, code)
    # One statement for a batch's changed rows (executemany: pipelined on PostgreSQL).
    store = update(t).where(t.c.id == bindparam("row_id")).values({k: bindparam(k) for k in keys})
    changed, last = 0, 0
    while rows := conn.execute(
        select(t.c.id, *sources, *(t.c[k] for k in keys))
        .where(t.c.id > last)
        .order_by(t.c.id)
        .limit(batch)
    ).all():
        updates = []
        for r in rows:
            new = search_columns(*r[1:6])
            if list(new.values()) != list(r[6:]):
                updates.append({"row_id": r.id, **new})
        if updates:
            conn.execute(store, updates)
            if words:  # the words of a changed text change with it
                rebuild_words(conn, ids=[u["row_id"] for u in updates])
            changed += len(updates)
        last = rows[-1].id
    return changed


def rebuild_words(
    conn, missing_only: bool = False, ids: list[int] | None = None, batch: int = 2000
) -> int:
    """PostgreSQL: work out the words of every public entry (``missing_only``: of those that have
    none yet, after a bulk insert; ``ids``: of these entries, public or not); returns how many
    were stored. Nothing to do on SQLite."""
    if not indexes_words(conn):
        return 0
    stmt = (
        select(IndexEntry.id, IndexEntry.search_body, IndexEntry.is_public)
        .order_by(IndexEntry.id)
        .limit(batch)
    )
    if ids is not None:
        stmt = stmt.where(IndexEntry.id.in_(ids))
    else:
        stmt = stmt.where(IndexEntry.is_public)
    if missing_only:
        stmt = stmt.where(
            ~select(EntryWords.entry_id).where(EntryWords.entry_id == IndexEntry.id).exists()
        )
    done, last = 0, 0
    while rows := conn.execute(stmt.where(IndexEntry.id > last)).all():
        done += store_words(conn, rows)
        last = rows[-1][0]
    if done > batch:
        conn.execute(text("ANALYZE index_entry_words"))
    return done


@event.listens_for(IndexEntry, "before_insert")
@event.listens_for(IndexEntry, "before_update")
def _sync_search_columns(mapper, connection, target: IndexEntry) -> None:
    columns = search_columns(
        target.ref, target.title, target.summary, target.keywords, target.agency_code
    )
    for key, value in columns.items():
        if getattr(target, key) != value:
            setattr(target, key, value)


@event.listens_for(IndexEntry, "after_insert")
@event.listens_for(IndexEntry, "after_update")
def _store_words(mapper, connection, target: IndexEntry) -> None:
    """PostgreSQL: the words of a new or changed text, or of an entry made public; none for an
    entry no longer public (words.EntryWords)."""
    if not indexes_words(connection):
        return
    attrs = inspect(target).attrs
    if any(attrs[k].history.has_changes() for k in ("search_body", "state", "disclosure")):
        store_words(connection, [(target.id, target.search_body, target.is_public)])


# SQLite: a contentless FTS5 table with the trigram tokenizer, kept in step with index_entries by
# triggers (so Core bulk inserts and deletes are indexed too). Two things make a search cheap
# even when a term is in a third of the index:
# - public and non-public entries fill different columns (pub_* / priv_*), so the public search
#   filters by a column of the index instead of joining every match to index_entries;
# - the FTS rowid is a sort key, (document day << 24) | id, so "newer first" is the index's own
#   order and the first page is read without sorting the matches. id = rowid & SEARCH_ID_MASK.
SEARCH_ID_BITS = 24
SEARCH_ID_MASK = (1 << SEARCH_ID_BITS) - 1


def _fts_values(row: str) -> str:
    public = f"({row}.state = 'published' AND {row}.disclosure != 'closed')"
    key = (
        f"((CAST(julianday(COALESCE({row}.doc_date, '1900-01-01')) AS INTEGER) << {SEARCH_ID_BITS})"
        f" | {row}.id)"
    )
    # search_body starts with search_title and a newline: index only the rest as the body, so
    # title words are not indexed twice (smaller lists, faster counts).
    rest = (
        f"CASE WHEN {row}.search_title = '' THEN {row}.search_body "
        f"ELSE substr({row}.search_body, length({row}.search_title) + 2) END"
    )
    return (
        f"{key}, CASE WHEN {public} THEN {row}.search_title ELSE '' END, "
        f"CASE WHEN {public} THEN {rest} ELSE '' END, "
        f"CASE WHEN {public} THEN '' ELSE {row}.search_title END, "
        f"CASE WHEN {public} THEN '' ELSE {rest} END"
    )


_FTS_COLUMNS = "rowid, pub_title, pub_body, priv_title, priv_body"
_FTS_INSERT = f"INSERT INTO index_entries_fts({_FTS_COLUMNS}) VALUES ({_fts_values('new')});"
_FTS_DELETE = (
    f"INSERT INTO index_entries_fts(index_entries_fts, {_FTS_COLUMNS}) "
    f"VALUES ('delete', {_fts_values('old')});"
)
SEARCH_DDL_SQLITE = (
    "CREATE VIRTUAL TABLE index_entries_fts USING fts5("
    "pub_title, pub_body, priv_title, priv_body, content='', tokenize='trigram')",
    f"CREATE TRIGGER index_entries_fts_ai AFTER INSERT ON index_entries BEGIN {_FTS_INSERT} END",
    f"CREATE TRIGGER index_entries_fts_ad AFTER DELETE ON index_entries BEGIN {_FTS_DELETE} END",
    "CREATE TRIGGER index_entries_fts_au AFTER UPDATE OF search_title, search_body, state, "
    "disclosure, doc_date "
    f"ON index_entries BEGIN {_FTS_DELETE} {_FTS_INSERT} END",
)
# Fills the index from the table (after a migration, or after a bulk load without triggers).
SEARCH_FILL_SQLITE = (
    f"INSERT INTO index_entries_fts({_FTS_COLUMNS}) "
    f"SELECT {_fts_values('index_entries')} FROM index_entries"
)
SEARCH_DROP_SQLITE = (
    "DROP TRIGGER IF EXISTS index_entries_fts_au",
    "DROP TRIGGER IF EXISTS index_entries_fts_ad",
    "DROP TRIGGER IF EXISTS index_entries_fts_ai",
    "DROP TABLE IF EXISTS index_entries_fts",
)
PG_TRGM = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
# Public rows newest first, the order of every result list (undated last, then newest entry):
# PostgreSQL reads the newest matches of a common word in this order and stops at the count
# limit instead of sorting them all (จัดซื้อจัดจ้าง at 100k: 96 ms -> 15 ms), and browsing
# without words reads its page from it. Raw DDL: SQLite has no NULLS LAST in an index (its DESC
# puts NULL last anyway). Migration 0021_search_rank. On PostgreSQL it also holds the normalised
# title and text (INCLUDE), so reading the newest matches of a common term, or the newest with
# the phrase in the title, tests them in the index without visiting each row (search.
# _newest_by_strpos; at 100k a third of the blocks read; migration 0024_search_words).
PUBLIC_NEWEST_INDEX = "ix_index_entries_public_newest"
PUBLIC_NEWEST_DDL = {
    "postgresql": f"CREATE INDEX IF NOT EXISTS {PUBLIC_NEWEST_INDEX} ON index_entries "
    f"(doc_date DESC NULLS LAST, id DESC) INCLUDE (search_title, search_body) WHERE {PUBLIC_SQL}",
    "sqlite": f"CREATE INDEX IF NOT EXISTS {PUBLIC_NEWEST_INDEX} ON index_entries "
    f"(doc_date DESC, id DESC) WHERE {PUBLIC_SQL}",
}
for _dialect, _sql in PUBLIC_NEWEST_DDL.items():
    event.listen(IndexEntry.__table__, "after_create", DDL(_sql).execute_if(dialect=_dialect))

event.listen(IndexEntry.__table__, "before_create", DDL(PG_TRGM).execute_if(dialect="postgresql"))

# PostgreSQL: the database itself forgets an entry's words when its text changes or it stops
# being public, whatever wrote the row (the ORM, a bulk UPDATE, psql). A count from the words
# may then say less than the truth until the words are stored again (the ORM hook below does it
# at once; `flask index reindex` for the rest), never more. Migration 0024_search_words.
_NEW_IS_PUBLIC = PUBLIC_SQL.replace("state", "NEW.state").replace("disclosure", "NEW.disclosure")
WORDS_FORGET_DDL = (
    "CREATE OR REPLACE FUNCTION index_entry_words_forget() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF NEW.search_body IS DISTINCT FROM OLD.search_body OR NOT "
    f"({_NEW_IS_PUBLIC}) THEN DELETE FROM index_entry_words WHERE entry_id = NEW.id; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER index_entries_words_forget AFTER UPDATE OF search_body, state, disclosure "
    "ON index_entries FOR EACH ROW EXECUTE FUNCTION index_entry_words_forget()",
)
for _sql in WORDS_FORGET_DDL:
    event.listen(EntryWords.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
for _sql in SEARCH_DDL_SQLITE:
    event.listen(IndexEntry.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in SEARCH_DROP_SQLITE:
    event.listen(IndexEntry.__table__, "before_drop", DDL(_sql).execute_if(dialect="sqlite"))


def review_date(updated: date, months: int) -> date:
    """The review-by date: ``months`` after the last update (the day clipped to the month's end)."""
    import calendar

    month0 = updated.month - 1 + months
    year, month = updated.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(updated.day, calendar.monthrange(year, month)[1]))


def default_review_by(category: Category, updated: date | None = None) -> date:
    """Review-by date for an entry of ``category`` updated on ``updated`` (default today)."""
    return review_date(updated or local_today(), category.review_months or 12)


class EntryFile(StoredFile, Audited, db.Model):
    """A file attached to an index entry, stored under UPLOAD_DIR/entries with a generated name."""

    __tablename__ = "entry_files"
    upload_folder = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("index_entries.id", ondelete="CASCADE"), index=True
    )

    entry: Mapped[IndexEntry] = relationship(back_populates="files")


def ensure_categories() -> None:
    """Create the fixed Section 7 and 9 categories and the OIC's 9(8) sub-items when missing."""
    existing = set(db.session.scalars(select(Category.code)))
    parents: dict[str, Category] = {}
    for order, (code, th, en) in enumerate(SECTION9, start=1):
        if code not in existing:
            db.session.add(Category(code=code, name_th=th, name_en=en, sort_order=order * 10))
    for order, (code, th, en) in enumerate(SECTION7, start=1):
        if code not in existing:
            db.session.add(Category(code=code, name_th=th, name_en=en, sort_order=order))
    db.session.flush()
    parents = {
        c.code: c for c in db.session.scalars(select(Category).where(Category.parent_id.is_(None)))
    }
    for order, (code, th, en) in enumerate(SECTION9_8_ITEMS, start=1):
        if code not in existing:
            db.session.add(
                Category(
                    code=code,
                    name_th=th,
                    name_en=en,
                    parent_id=parents["9(8)"].id,
                    sort_order=80 + order,
                )
            )
    db.session.flush()
