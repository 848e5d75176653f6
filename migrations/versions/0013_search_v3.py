"""search v3: reference key, synonyms table, search keys rebuilt with the new normalisation

Revision ID: 0013_search_v3
Revises: 0012_form_tokens
Create Date: 2026-12-07 03:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_search_v3"
down_revision = "0012_form_tokens"
branch_labels = None
depends_on = None

PUBLIC_SQL = "state = 'published' AND disclosure != 'closed'"


def upgrade():
    from infocenter.catalogue.models import rebuild_search_keys
    from infocenter.catalogue.synonyms import SEED_SYNONYMS
    from infocenter.dbtypes import UTCDateTime

    with op.batch_alter_table("index_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_ref", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_index_entries_search_ref"), ["search_ref"], unique=False
        )
        batch_op.create_index(
            "ix_index_entries_public_category",
            ["category_id", "doc_date", "id"],
            unique=False,
            sqlite_where=sa.text(PUBLIC_SQL),
            postgresql_where=sa.text(PUBLIC_SQL),
        )
    synonyms = op.create_table(
        "search_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonyms")),
    )
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    op.bulk_insert(synonyms, [{"terms": t, "note": n, "updated_at": now} for t, n in SEED_SYNONYMS])
    rebuild_search_keys(op.get_bind())


def downgrade():
    op.drop_table("search_synonyms")
    with op.batch_alter_table("index_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_index_entries_public_category")
        batch_op.drop_index(batch_op.f("ix_index_entries_search_ref"))
        batch_op.drop_column("search_ref")
    if op.get_bind().dialect.name == "sqlite":  # the table was copied: put the FTS triggers back
        from infocenter.catalogue.models import (
            SEARCH_DDL_SQLITE,
            SEARCH_DROP_SQLITE,
            SEARCH_FILL_SQLITE,
        )

        for sql in SEARCH_DROP_SQLITE + SEARCH_DDL_SQLITE + (SEARCH_FILL_SQLITE,):
            op.execute(sql)
