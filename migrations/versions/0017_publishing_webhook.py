"""publishing: LINE webhook (groups joined/left, events seen, group messages), reach, accepted
messages, Facebook Page deliveries

Revision ID: 0017_publishing_webhook
Revises: 0016_report_memo
Create Date: 2026-12-07 03:10:00

"""

import sqlalchemy as sa
from alembic import op

import infocenter.dbtypes  # noqa: F401  (custom column types)

# revision identifiers, used by Alembic.
revision = "0017_publishing_webhook"
down_revision = "0016_report_memo"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("send_facebook", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("reach_impressions", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reach_clicks", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reach_media_played", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reach_fetched_at", infocenter.dbtypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("line_groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("joined_at", infocenter.dbtypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("left_at", infocenter.dbtypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table("line_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accepted_types", sa.String(length=60), nullable=True))
    with op.batch_alter_table("line_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_types", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("sent_message_ids", sa.Text(), nullable=True))

    op.create_table(
        "line_webhook_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("received_at", infocenter.dbtypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_webhook_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_line_webhook_events_event_id")),
    )
    op.create_table(
        "line_group_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("message_type", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("line_user_id", sa.String(length=64), nullable=True),
        sa.Column("sent_at", infocenter.dbtypes.UTCDateTime(), nullable=False),
        sa.Column("received_at", infocenter.dbtypes.UTCDateTime(), nullable=False),
        sa.Column("personal_erased_at", infocenter.dbtypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["line_groups.id"],
            name=op.f("fk_line_group_messages_group_id_line_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_line_group_messages_post_id_posts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_group_messages")),
    )
    with op.batch_alter_table("line_group_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_line_group_messages_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_line_group_messages_post_id"), ["post_id"], unique=False
        )
        batch_op.create_index("ix_line_group_messages_sent_at", ["sent_at"], unique=False)

    op.create_table(
        "facebook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", infocenter.dbtypes.UTCDateTime(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("endpoint", sa.String(length=16), nullable=True),
        sa.Column("facebook_id", sa.String(length=100), nullable=True),
        sa.Column("sent_at", infocenter.dbtypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", infocenter.dbtypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'retry', 'sent', 'failed')",
            name=op.f("ck_facebook_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_facebook_deliveries_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facebook_deliveries")),
        sa.UniqueConstraint("post_id", name=op.f("uq_facebook_deliveries_post_id")),
    )
    with op.batch_alter_table("facebook_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_facebook_deliveries_due", ["status", "next_attempt_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("facebook_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_facebook_deliveries_due")
    op.drop_table("facebook_deliveries")
    with op.batch_alter_table("line_group_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_line_group_messages_sent_at")
        batch_op.drop_index(batch_op.f("ix_line_group_messages_post_id"))
        batch_op.drop_index(batch_op.f("ix_line_group_messages_group_id"))
    op.drop_table("line_group_messages")
    op.drop_table("line_webhook_events")
    with op.batch_alter_table("line_attempts", schema=None) as batch_op:
        batch_op.drop_column("sent_message_ids")
        batch_op.drop_column("sent_types")
    with op.batch_alter_table("line_deliveries", schema=None) as batch_op:
        batch_op.drop_column("accepted_types")
    with op.batch_alter_table("line_groups", schema=None) as batch_op:
        batch_op.drop_column("left_at")
        batch_op.drop_column("joined_at")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("reach_fetched_at")
        batch_op.drop_column("reach_media_played")
        batch_op.drop_column("reach_clicks")
        batch_op.drop_column("reach_impressions")
        batch_op.drop_column("send_facebook")
