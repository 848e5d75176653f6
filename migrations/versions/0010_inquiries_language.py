"""inquiries: the language the requester filed in (e-mails about the request are written in it)

Revision ID: 0010_inquiries_language
Revises: 0005b_inquiries_personal
Create Date: 2026-11-22 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_inquiries_language"
down_revision = "0005b_inquiries_personal"
branch_labels = None
depends_on = None


def upgrade():
    # Requests filed before: in Thai, the only language there was.
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), server_default="th", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.drop_column("language")
