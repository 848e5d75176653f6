"""catalogue search: normalised search columns, SQLite FTS5 trigram table, PostgreSQL pg_trgm index

Revision ID: 0003_search
Revises: 0002_catalogue
Create Date: 2026-11-21 20:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_search"
down_revision = "0002_catalogue"
branch_labels = None
depends_on = None


PG_TRGM = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
# The first FTS5 layout (replaced by 0003b_search_v2); kept literal so this revision never changes.
SEARCH_DDL_SQLITE = (
    "CREATE VIRTUAL TABLE index_entries_fts USING fts5("
    "search_body, content='index_entries', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER index_entries_fts_ai AFTER INSERT ON index_entries BEGIN "
    "INSERT INTO index_entries_fts(rowid, search_body) VALUES (new.id, new.search_body); END",
    "CREATE TRIGGER index_entries_fts_ad AFTER DELETE ON index_entries BEGIN "
    "INSERT INTO index_entries_fts(index_entries_fts, rowid, search_body) "
    "VALUES ('delete', old.id, old.search_body); END",
    "CREATE TRIGGER index_entries_fts_au AFTER UPDATE OF search_body ON index_entries BEGIN "
    "INSERT INTO index_entries_fts(index_entries_fts, rowid, search_body) "
    "VALUES ('delete', old.id, old.search_body); "
    "INSERT INTO index_entries_fts(rowid, search_body) VALUES (new.id, new.search_body); END",
)
SEARCH_DROP_SQLITE = (
    "DROP TRIGGER IF EXISTS index_entries_fts_au",
    "DROP TRIGGER IF EXISTS index_entries_fts_ad",
    "DROP TRIGGER IF EXISTS index_entries_fts_ai",
    "DROP TABLE IF EXISTS index_entries_fts",
)


def upgrade():
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("index_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_title", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("search_body", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("index_entries", schema=None) as batch_op:
        batch_op.alter_column("search_title", server_default=None)
        batch_op.alter_column("search_body", server_default=None)
    if dialect == "postgresql":
        op.execute(PG_TRGM)
        op.create_index(
            "ix_index_entries_search_trgm",
            "index_entries",
            ["search_body"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"search_body": "gin_trgm_ops"},
        )
    else:
        op.create_index(
            "ix_index_entries_search_trgm",
            "index_entries",
            ["search_body"],
            unique=False,
            sqlite_where=sa.text("0"),
        )
        for sql in SEARCH_DDL_SQLITE:
            op.execute(sql)
    _fill_search_columns()


def _fill_search_columns():
    """Entries made before this revision get their normalised search text (and FTS rows)."""
    from infocenter.catalogue.models import search_columns

    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, ref, title, summary, keywords FROM index_entries")
    ).all()
    for row in rows:
        bind.execute(
            sa.text(
                "UPDATE index_entries SET search_title = :search_title, search_body = :search_body "
                "WHERE id = :id"
            ),
            {"id": row.id, **search_columns(row.ref, row.title, row.summary, row.keywords)},
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for sql in SEARCH_DROP_SQLITE:
            op.execute(sql)
    op.drop_index("ix_index_entries_search_trgm", table_name="index_entries")
    with op.batch_alter_table("index_entries", schema=None) as batch_op:
        batch_op.drop_column("search_body")
        batch_op.drop_column("search_title")
