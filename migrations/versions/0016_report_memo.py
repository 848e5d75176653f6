"""offices: the book number prefix (เลขที่หนังสือ, e.g. นว ๐๐๑๘); reports: the number issued for
the memo (blank: written in by hand) and whether per-office annexes were asked for

Revision ID: 0016_report_memo
Revises: 0015_security
Create Date: 2026-12-07 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_report_memo"
down_revision = "0015_security"
branch_labels = None
depends_on = None


def upgrade():
    # Offices made before: no prefix, and the memo leaves the whole book number to be written in.
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("book_prefix", sa.String(length=32), server_default="", nullable=False)
        )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("book_number", sa.String(length=32), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("annexes", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("annexes")
        batch_op.drop_column("book_number")
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("book_prefix")
