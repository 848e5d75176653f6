"""Login, logout, lock-out, safe redirects and CSRF."""

import re

import pytest

from infocenter.extensions import db
from infocenter.urls import safe_next
from tests.factories import PASSWORD


def test_login_success_redirects_to_staff_home(client, make_user, auth):
    make_user("clerk", username="malee")
    response = auth.login("malee")
    assert response.status_code == 302 and response.headers["Location"] == "/staff"
    page = client.get("/staff").get_data(as_text=True)
    assert "malee" in page and "เจ้าหน้าที่ประจำศูนย์" in page


def test_username_is_case_insensitive(client, make_user, auth):
    make_user("clerk", username="Malee")
    assert auth.login("malee").status_code == 302


def test_wrong_password_gives_thai_message_and_keeps_username(client, make_user, auth):
    make_user("clerk", username="malee")
    response = auth.login("malee", "wrong-password")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page
    assert 'value="malee"' in page
    assert client.get("/staff").status_code == 302  # still anonymous


def test_unknown_user_gets_the_same_message(client, auth):
    page = auth.login("nobody", "whatever-password").get_data(as_text=True)
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page


def test_lock_out_after_repeated_failures(app, client, make_user, auth):
    make_user("clerk", username="malee")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        auth.login("malee", "wrong-password")
    page = auth.login("malee", "wrong-password").get_data(as_text=True)
    assert "บัญชีจะถูกระงับ 15 นาที" in page  # the same words for everyone, locked or not
    # Even the right password is refused while locked.
    response = auth.login("malee", PASSWORD)
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)
    with app.app_context():
        from infocenter.auth.models import User

        user = db.session.scalars(db.select(User).where(User.username == "malee")).one()
        assert user.is_locked()
        # The administrator (or `flask users set-password`) lifts the lock.
        user.locked_until = None
        db.session.commit()
    assert auth.login("malee", PASSWORD).status_code == 302


def test_inactive_user_cannot_log_in(client, make_user, auth):
    make_user("clerk", username="gone", active=False)
    assert auth.login("gone").status_code == 200


def test_next_redirects_only_to_local_paths(client, make_user):
    make_user("admin", username="boss")
    response = client.post(
        "/login", data={"username": "boss", "password": PASSWORD, "next": "/admin/users"}
    )
    assert response.headers["Location"] == "/admin/users"
    client.post("/logout")
    for evil in (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
    ):
        response = client.post(
            "/login", data={"username": "boss", "password": PASSWORD, "next": evil}
        )
        assert response.headers["Location"] == "/staff", evil
        client.post("/logout")


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/counter", "/counter"),
        ("/a?b=c", "/a?b=c"),
        ("", None),
        (None, None),
        ("http://x", None),
        ("//x", None),
        ("\\\\x", None),
        ("x", None),
        (" //x", None),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/login?next=%2Fadmin%2Fusers" in response.headers["Location"]


def test_logout_needs_post(client, login_as):
    login_as("clerk")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/staff").status_code == 302


def test_change_password(client, login_as, auth):
    username = login_as("clerk")
    bad = client.post(
        "/account/password",
        data={"current": "nope-nope", "new": "a-new-password-1", "confirm": "a-new-password-1"},
    )
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in bad.get_data(as_text=True)
    short = client.post(
        "/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"}
    )
    assert "อย่างน้อย 10 ตัวอักษร" in short.get_data(as_text=True)
    ok = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "a-new-password-1", "confirm": "a-new-password-1"},
    )
    assert ok.status_code == 302
    auth.logout()
    assert auth.login(username, "a-new-password-1").status_code == 302


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_csrf_refused_without_token(app, make_user):
    make_user("clerk", username="malee")
    client = app.test_client()
    response = client.post("/login", data={"username": "malee", "password": PASSWORD})
    assert response.status_code == 400
    assert "แบบฟอร์มหมดอายุ" in response.get_data(as_text=True)
    # With the token from the form, the same login works.
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"username": "malee", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_csrf_refused_on_logout_and_admin_forms(app, make_user):
    make_user("admin", username="boss")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "boss", "password": PASSWORD, "csrf_token": token})
    assert client.post("/admin/settings", data={"public_per_page": "30"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200  # still logged in


def test_session_cookie_flags(client, make_user, auth):
    make_user("clerk", username="malee")
    response = auth.login("malee")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
