"""search: every dash folded to "-" in the search keys (2566–2570 finds 2566-2570)

Revision ID: 0026_search_dashes
Revises: 0025_search_vocabulary
Create Date: 2026-12-08 00:55:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0026_search_dashes"
down_revision = "0025_search_vocabulary"
branch_labels = None
depends_on = None


def upgrade():
    from infocenter.catalogue.models import rebuild_search_keys
    from infocenter.catalogue.words import refresh_vocabulary

    bind = op.get_bind()
    # Only the entries whose text holds such a dash change (and, on PostgreSQL, their words).
    if rebuild_search_keys(bind):
        refresh_vocabulary(bind)


def downgrade():
    pass  # nothing to undo: a folded key is what text typed with "-" always had
