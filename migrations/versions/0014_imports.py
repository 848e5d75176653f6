"""imports: Section 7 categories, the agency's own item numbering, remembered import mappings

Revision ID: 0014_imports
Revises: 0013_search_v3
Create Date: 2026-12-07 03:00:00

"""

import sqlalchemy as sa
from alembic import op

import infocenter.dbtypes

# revision identifiers, used by Alembic.
revision = "0014_imports"
down_revision = "0013_search_v3"
branch_labels = None
depends_on = None

# The Section 7 items as this revision ships them (models.SECTION7 may change later).
SECTION7 = (
    ("7(1)", "โครงสร้างและการจัดองค์กรในการดำเนินงาน", "Structure and organisation of its operation"),
    (
        "7(2)",
        "สรุปอำนาจหน้าที่ที่สำคัญและวิธีการดำเนินงาน",
        "Summary of its main powers and duties and how it works",
    ),
    (
        "7(3)",
        "สถานที่ติดต่อเพื่อขอรับข้อมูลข่าวสารหรือคำแนะนำในการติดต่อกับหน่วยงานของรัฐ",
        "Where and how to contact it for information or advice",
    ),
    (
        "7(4)",
        "กฎ มติคณะรัฐมนตรี ข้อบังคับ คำสั่ง หนังสือเวียน ระเบียบ แบบแผน นโยบายหรือการตีความ ที่มีสภาพอย่างกฎ",
        "By-laws, regulations, orders, circulars, rules and policies or interpretations "
        "with the force of law",
    ),
    (
        "7(5)",
        "ข้อมูลข่าวสารอื่นตามที่คณะกรรมการกำหนด (มาตรา ๗)",
        "Other information the Commission prescribes (Section 7)",
    ),
)


def upgrade():
    with op.batch_alter_table("index_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("agency_code", sa.String(length=40), server_default="", nullable=False)
        )
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("created_at", infocenter.dbtypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_import_mappings_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
            name=op.f("fk_import_mappings_office_id_offices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mappings")),
        sa.UniqueConstraint(
            "office_id", "kind", "source", name="uq_import_mappings_office_kind_source"
        ),
    )
    categories = sa.table(
        "categories",
        sa.column("code", sa.String),
        sa.column("name_th", sa.Text),
        sa.column("name_en", sa.Text),
        sa.column("sort_order", sa.Integer),
        sa.column("review_months", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    existing = {r[0] for r in op.get_bind().execute(sa.text("SELECT code FROM categories"))}
    op.bulk_insert(
        categories,
        [
            {
                "code": code,
                "name_th": th,
                "name_en": en,
                "sort_order": i,
                "review_months": 12,
                "active": True,
            }
            for i, (code, th, en) in enumerate(SECTION7, start=1)
            if code not in existing
        ],
    )


def downgrade():
    # Entries filed under Section 7 keep their rows only if the categories stay; refuse to drop
    # them.
    op.execute(
        "DELETE FROM categories WHERE code IN ('7(1)', '7(2)', '7(3)', '7(4)', '7(5)') "
        "AND id NOT IN (SELECT category_id FROM index_entries)"
    )
    op.drop_table("import_mappings")
    with op.batch_alter_table("index_entries", schema=None) as batch_op:
        batch_op.drop_column("agency_code")
