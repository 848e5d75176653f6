"""form_tokens: one-time tokens of forms that create records, so a replayed POST saves nothing new

Revision ID: 0012_form_tokens
Revises: 0011_office_head
Create Date: 2026-12-07 03:10:00

"""

import sqlalchemy as sa
from alembic import op

import infocenter.dbtypes

# revision identifiers, used by Alembic.
revision = "0012_form_tokens"
down_revision = "0011_office_head"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_tokens",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", infocenter.dbtypes.UTCDateTime(), nullable=False),
        sa.Column("location", sa.String(length=2000), nullable=True),
        sa.Column("flashes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_form_tokens")),
    )
    with op.batch_alter_table("form_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_tokens_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("form_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_tokens_created_at"))
    op.drop_table("form_tokens")
