"""Logins that can be ended (logout, password change, deactivation, role change, an administrator)
and a lock-out that holds when guesses arrive in parallel."""

from __future__ import annotations

import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

from infocenter.auth.models import LoginToken, User
from infocenter.auth.sessions import REMEMBER_COOKIE
from infocenter.extensions import db
from infocenter.thai import now_utc
from tests.factories import PASSWORD

pytestmark = pytest.mark.postgres


def _login(app, username, password=PASSWORD, remember=False):
    """A fresh browser that logs in; returns (client, its cookies as a dict)."""
    client = app.test_client()
    data = {"username": username, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _cookies(client) -> dict[str, str]:
    return {c.key: c.value for c in client._cookies.values()}


def _replay(app, cookies: dict[str, str]):
    """Another browser holding stolen copies of the cookies asks for a staff page."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief.get("/staff")


def _assert_sent_to_login(response):
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_old_session_and_remember_cookies_stop_working_after_logout(app, make_user):
    make_user("clerk", username="malee")
    client = _login(app, "malee", remember=True)
    stolen = _cookies(client)
    assert REMEMBER_COOKIE in stolen and "session" in stolen
    assert _replay(app, stolen).status_code == 200  # the copies work while the login is open
    client.post("/logout")
    _assert_sent_to_login(_replay(app, stolen))
    _assert_sent_to_login(_replay(app, {"session": stolen["session"]}))
    _assert_sent_to_login(_replay(app, {REMEMBER_COOKIE: stolen[REMEMBER_COOKIE]}))


def test_old_cookies_stop_working_after_a_password_change_but_this_browser_stays(app, make_user):
    make_user("clerk", username="malee")
    elsewhere = _cookies(_login(app, "malee", remember=True))
    client = _login(app, "malee")
    here = _cookies(client)
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "a-new-password-1", "confirm": "a-new-password-1"},
    )
    assert response.status_code == 302
    assert client.get("/staff").status_code == 200  # the browser that changed it stays logged in
    _assert_sent_to_login(_replay(app, elsewhere))
    _assert_sent_to_login(_replay(app, {REMEMBER_COOKIE: elsewhere[REMEMBER_COOKIE]}))
    _assert_sent_to_login(_replay(app, here))  # its own cookie from before the change is spent too


def test_remember_cookie_logs_in_once_and_is_replaced(app, make_user):
    make_user("clerk", username="malee")
    first = _cookies(_login(app, "malee", remember=True))[REMEMBER_COOKIE]
    browser = app.test_client()
    browser.set_cookie(REMEMBER_COOKIE, first)
    response = browser.get("/staff")
    assert response.status_code == 200
    second = _cookies(browser)[REMEMBER_COOKIE]
    assert second != first
    # The spent cookie no longer works; the new one does.
    _assert_sent_to_login(_replay(app, {REMEMBER_COOKIE: first}))
    assert _replay(app, {REMEMBER_COOKIE: second}).status_code == 200
    with app.app_context():
        stored = db.session.scalars(db.select(LoginToken.token_hash)).all()
        assert first not in stored and second not in stored  # only hashes are kept


def test_remember_tokens_differ_on_every_login_and_expire(app, make_user):
    make_user("clerk", username="malee")
    tokens = {_cookies(_login(app, "malee", remember=True))[REMEMBER_COOKIE] for _ in range(3)}
    assert len(tokens) == 3
    with app.app_context():
        db.session.execute(
            db.update(LoginToken).values(expires_at=now_utc() - timedelta(seconds=1))
        )
        db.session.commit()
    for token in tokens:
        _assert_sent_to_login(_replay(app, {REMEMBER_COOKIE: token}))


def test_logout_everywhere_ends_other_browsers(app, make_user):
    make_user("clerk", username="malee")
    other = _login(app, "malee")
    client = _login(app, "malee")
    assert client.post("/account/logout-everywhere").status_code == 302
    _assert_sent_to_login(other.get("/staff"))
    _assert_sent_to_login(client.get("/staff"))


@pytest.mark.parametrize("change", ["deactivate", "role", "password", "button"])
def test_admin_changes_end_the_users_logins(app, make_user, change):
    make_user("clerk", username="malee")
    make_user("admin", username="boss")
    clerk = _login(app, "malee")
    admin = _login(app, "boss")
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "malee")).one()
        user_id, office_id = user.id, user.office_id
    form = {
        "username": "malee",
        "role": "clerk",
        "office_id": office_id,
        "active": "y",
        "password": "",
    }
    if change == "deactivate":
        del form["active"]
    elif change == "role":
        form["role"] = "supervisor"
    elif change == "password":
        form["password"] = "another-password-9"
    if change == "button":
        response = admin.post(f"/admin/users/{user_id}/end-logins")
    else:
        response = admin.post(f"/admin/users/{user_id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    _assert_sent_to_login(clerk.get("/staff"))
    assert admin.get("/admin/").status_code == 200


def test_editing_only_a_name_keeps_the_user_logged_in(app, make_user):
    make_user("clerk", username="malee")
    make_user("admin", username="boss")
    clerk = _login(app, "malee")
    admin = _login(app, "boss")
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "malee")).one()
        user_id, office_id = user.id, user.office_id
    admin.post(
        f"/admin/users/{user_id}/edit",
        data={
            "username": "malee",
            "full_name": "มาลี ใจดี",
            "role": "clerk",
            "office_id": office_id,
            "active": "y",
            "password": "",
        },
    )
    assert clerk.get("/staff").status_code == 200


def test_a_cookie_from_before_login_tokens_asks_to_log_in(app, make_user):
    make_user("clerk", username="malee")
    client = app.test_client()
    with app.app_context():
        user_id = db.session.scalars(db.select(User.id).where(User.username == "malee")).one()
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user_id)  # what the old code kept
        sess["_fresh"] = True
    _assert_sent_to_login(client.get("/staff"))


# --- the lock-out ---------------------------------------------------------------------------


MESSAGE = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


def test_same_message_for_unknown_user_wrong_password_and_locked_account(app, make_user):
    make_user("clerk", username="malee")
    client = app.test_client()
    pages = [client.post("/login", data={"username": "nobody", "password": "x-x-x-x-x-x"})]
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        pages.append(
            client.post("/login", data={"username": "malee", "password": "wrong-password"})
        )
    pages.append(client.post("/login", data={"username": "malee", "password": PASSWORD}))  # locked
    for page in pages:
        assert page.status_code == 200
        assert MESSAGE in page.get_data(as_text=True)
        assert "ถูกระงับชั่วคราว" not in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(User).where(User.username == "malee")).one().is_locked()


def test_unknown_user_costs_a_password_check(app, monkeypatch):
    import infocenter.auth.sessions as sessions

    calls = []
    real = sessions.check_password_hash
    monkeypatch.setattr(sessions, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    app.test_client().post("/login", data={"username": "nobody", "password": "whatever-1"})
    assert calls == [sessions._dummy_hash()]


def test_the_lock_expires(app, make_user):
    make_user("clerk", username="malee")
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": "malee", "password": "wrong-password"})
    assert (
        client.post("/login", data={"username": "malee", "password": PASSWORD}).status_code == 200
    )
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "malee")).one()
        user.locked_until = now_utc() - timedelta(seconds=1)  # fifteen minutes later
        db.session.commit()
    assert (
        client.post("/login", data={"username": "malee", "password": PASSWORD}).status_code == 302
    )


@pytest.fixture
def live_server(app):
    """The app served by a real threaded HTTP server on 127.0.0.1 (one thread per request)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    server.server_close()


def test_thirty_parallel_wrong_guesses_check_at_most_five(app, make_user, live_server, monkeypatch):
    make_user("clerk", username="malee")
    checked = []
    real = User.check_password

    def counting(self, password):
        checked.append(password)
        time.sleep(0.05)  # widen the window a read-modify-write would leave open
        return real(self, password)

    monkeypatch.setattr(User, "check_password", counting)
    body = urllib.parse.urlencode({"username": "malee", "password": "wrong-guess"}).encode()

    def guess(_):
        with urllib.request.urlopen(
            urllib.request.Request(f"{live_server}/login", data=body), timeout=60
        ) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(guess, range(30)))
    assert statuses == [200] * 30
    assert len(checked) <= app.config["LOGIN_MAX_FAILURES"]
    with app.app_context():
        assert db.session.scalars(db.select(User).where(User.username == "malee")).one().is_locked()
