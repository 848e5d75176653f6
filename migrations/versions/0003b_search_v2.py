"""catalogue search v2: contentless FTS5 with public/non-public columns and a date-ordered rowid

Revision ID: 0003b_search_v2
Revises: 0009_profile
Create Date: 2026-11-21 20:50:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0003b_search_v2"
down_revision = "0009_profile"
branch_labels = None
depends_on = None

# The layout of 0003_search, restored on downgrade.
V1_DDL = (
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
    "INSERT INTO index_entries_fts(index_entries_fts) VALUES ('rebuild')",
)
DROP = (
    "DROP TRIGGER IF EXISTS index_entries_fts_au",
    "DROP TRIGGER IF EXISTS index_entries_fts_ad",
    "DROP TRIGGER IF EXISTS index_entries_fts_ai",
    "DROP TABLE IF EXISTS index_entries_fts",
)


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL keeps its pg_trgm index from 0003_search
    from infocenter.catalogue.models import SEARCH_DDL_SQLITE, SEARCH_FILL_SQLITE

    for sql in DROP + SEARCH_DDL_SQLITE + (SEARCH_FILL_SQLITE,):
        op.execute(sql)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for sql in DROP + V1_DDL:
        op.execute(sql)
