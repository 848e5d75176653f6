"""search: the vocabulary of the public entries' words, for misspelt terms (PostgreSQL)

Revision ID: 0025_search_vocabulary
Revises: 0024_search_words
Create Date: 2026-12-08 00:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0025_search_vocabulary"
down_revision = "0024_search_words"
branch_labels = None
depends_on = None


def upgrade():
    from infocenter.catalogue.words import VOCABULARY_DDL

    if op.get_bind().dialect.name == "postgresql":  # SQLite: its FTS5 index ranks candidates
        for sql in VOCABULARY_DDL:  # counted now: 2 s at 100,000 entries
            op.execute(sql)


def downgrade():
    from infocenter.catalogue.words import VOCABULARY_DROP

    if op.get_bind().dialect.name == "postgresql":
        op.execute(VOCABULARY_DROP)
