"""inquiries: when the requester's personal data was erased (PDPA retention)

Revision ID: 0005b_inquiries_personal
Revises: 0005_inquiries
Create Date: 2026-11-21 21:05:00

"""

import sqlalchemy as sa
from alembic import op

import infocenter.dbtypes  # noqa: F401  (custom column types)

# revision identifiers, used by Alembic.
revision = "0005b_inquiries_personal"
down_revision = "0005_inquiries"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("personal_erased_at", infocenter.dbtypes.UTCDateTime(), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.drop_column("personal_erased_at")
