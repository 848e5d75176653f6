"""search: public rows newest first (ix_index_entries_public_newest) for bounded, ranked search

Revision ID: 0021_search_rank
Revises: 0020_audit_redaction
Create Date: 2026-12-07

The search now reads at most SEARCH_COUNT_LIMIT + 1 matches newest first and scores the newest
of them (catalogue/search.py). On PostgreSQL this partial index lets a common word's newest
matches be read in order and the scan stop there, instead of sorting every match; browsing
without words reads its page from it on both databases. No data changes.
"""

from __future__ import annotations

from alembic import op

revision = "0021_search_rank"
down_revision = "0020_audit_redaction"
branch_labels = None
depends_on = None

PUBLIC_SQL = "state = 'published' AND disclosure != 'closed'"
COLUMNS = {"postgresql": "doc_date DESC NULLS LAST, id DESC", "sqlite": "doc_date DESC, id DESC"}


def upgrade() -> None:
    columns = COLUMNS[op.get_bind().dialect.name]
    op.execute(
        f"CREATE INDEX IF NOT EXISTS ix_index_entries_public_newest ON index_entries "
        f"({columns}) WHERE {PUBLIC_SQL}"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_index_entries_public_newest")
