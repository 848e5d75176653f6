"""search: a trigram index on the normalised titles (PostgreSQL; empty on SQLite, as the body's)

Revision ID: 0023_search_title_trgm
Revises: 0022_report_jobs
Create Date: 2026-12-07 15:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_search_title_trgm"
down_revision = "0022_report_jobs"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_index_entries_title_trgm",
            "index_entries",
            ["search_title"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"search_title": "gin_trgm_ops"},
        )
    else:
        op.create_index(
            "ix_index_entries_title_trgm",
            "index_entries",
            ["search_title"],
            unique=False,
            sqlite_where=sa.text("0"),
        )


def downgrade():
    op.drop_index("ix_index_entries_title_trgm", table_name="index_entries")
