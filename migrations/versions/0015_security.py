"""security: logins that can be ended (login_tokens)

Revision ID: 0015_security
Revises: 0014_imports
Create Date: 2026-12-07 03:00:00

"""

import sqlalchemy as sa
from alembic import op

from infocenter.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0015_security"
down_revision = "0014_imports"
branch_labels = None
depends_on = None


def upgrade():
    # Cookies issued before this revision carry no login token and simply ask to log in again.
    op.create_table(
        "login_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('session', 'remember')", name=op.f("ck_login_tokens_kind")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_login_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_tokens_token_hash")),
    )
    with op.batch_alter_table("login_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_tokens_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("login_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_tokens_user_id"))
    op.drop_table("login_tokens")
