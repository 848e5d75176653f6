"""The administrator's pages and the `flask users` / `flask offices` commands."""

from infocenter.admin.models import Office
from infocenter.auth.models import User
from infocenter.extensions import db


def test_admin_creates_a_user_who_can_log_in(app, client, login_as, auth):
    login_as("admin")
    with app.app_context():
        office_id = db.session.scalars(db.select(Office.id)).first()
    response = client.post(
        "/admin/users/new",
        data={
            "username": "somsri",
            "full_name": "นางสมศรี ใจงาม",
            "position": "เจ้าพนักงานธุรการ",
            "role": "clerk",
            "office_id": str(office_id),
            "password": "a-long-password",
            "active": "y",
        },
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login("somsri", "a-long-password").status_code == 302


def test_new_user_without_password_keeps_the_typed_values(app, client, login_as):
    login_as("admin")
    with app.app_context():
        office_id = db.session.scalars(db.select(Office.id)).first()
    page = client.post(
        "/admin/users/new",
        data={
            "username": "somsri",
            "full_name": "นางสมศรี ใจงาม",
            "role": "clerk",
            "office_id": str(office_id),
        },
    ).get_data(as_text=True)
    assert "ผู้ใช้ใหม่ต้องมีรหัสผ่าน" in page
    assert 'value="somsri"' in page and "นางสมศรี ใจงาม" in page


def test_duplicate_office_code_is_refused_in_thai(app, client, login_as):
    login_as("admin")
    page = client.post(
        "/admin/offices/new",
        data={"code": "nsw", "name": "ซ้ำ", "kind": "district", "parent_id": "0"},
    ).get_data(as_text=True)
    assert "รหัสนี้ถูกใช้แล้ว" in page and 'value="nsw"' in page


def test_settings_validate_and_save(app, client, login_as):
    from infocenter import settings

    login_as("admin")
    form = {
        d.key: ("y" if d.default else "") if d.type is bool else str(d.default)
        for d in settings.REGISTRY.values()
    }
    page = client.post("/admin/settings", data={**form, "privacy_retention_days": "abc"})
    text = page.get_data(as_text=True)
    assert "กรุณากรอกเป็นตัวเลข" in text and 'value="abc"' in text
    below_minimum = client.post("/admin/settings", data={**form, "privacy_retention_days": "5"})
    assert below_minimum.status_code == 200 and "ต้องอยู่ระหว่าง 30 ถึง 3650" in below_minimum.get_data(
        as_text=True
    )
    assert (
        client.post("/admin/settings", data={**form, "privacy_retention_days": "400"}).status_code
        == 302
    )
    with app.app_context():
        assert settings.get("privacy_retention_days") == 400
        assert settings.get("public_per_page") == 20
    # A field left off the form keeps its stored value.
    assert client.post("/admin/settings", data={"public_per_page": "30"}).status_code == 302
    with app.app_context():
        assert (
            settings.get("privacy_retention_days") == 400 and settings.get("public_per_page") == 30
        )


def test_cli_users_and_offices(app, runner):
    result = runner.invoke(
        args=[
            "offices",
            "create",
            "--code",
            "NSW01",
            "--name",
            "สำนักงานพัฒนาชุมชนอำเภอเมือง",
            "--parent",
            "NSW",
        ]
    )
    assert "ไม่พบสำนักงาน" in result.output  # the provincial office does not exist yet
    runner.invoke(
        args=["offices", "create", "--code", "NSW", "--name", "สพจ.นครสวรรค์", "--kind", "province"]
    )
    result = runner.invoke(
        args=["offices", "create", "--code", "NSW01", "--name", "สพอ.เมือง", "--parent", "NSW"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "--username", "malee", "--role", "clerk", "--office", "NSW01"],
        input="a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "--username", "short", "--role", "clerk"], input="short\n"
    )
    assert result.exit_code != 0 and "อย่างน้อย 10" in result.output
    assert "malee" in runner.invoke(args=["users", "list"]).output
    assert "NSW01" in runner.invoke(args=["offices", "list"]).output
    result = runner.invoke(args=["users", "set-password", "malee"], input="another-password\n")
    assert result.exit_code == 0
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "malee")).one()
        assert user.check_password("another-password") and user.office.code == "NSW01"


def test_first_admin_on_an_empty_database_creates_the_office(app, runner):
    result = runner.invoke(
        args=["users", "create", "--username", "root", "--role", "admin"], input="a-long-password\n"
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        office = db.session.scalars(db.select(Office)).one()
        assert office.code == "NSW" and office.kind == "province"
