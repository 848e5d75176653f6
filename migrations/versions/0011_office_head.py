"""offices: who signs the office's letters (head of office: name and position)

Revision ID: 0011_office_head
Revises: 0010_inquiries_language
Create Date: 2026-11-22 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_office_head"
down_revision = "0010_inquiries_language"
branch_labels = None
depends_on = None


def upgrade():
    # Offices made before: blank, and letters leave the name to be written in by hand as before.
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("head_name", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("head_position", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("head_position")
        batch_op.drop_column("head_name")
