"""A GET changes no row: every parameterless GET route of the url_map, opened anonymously and as
each role, leaves the row count of every table as it was (issue 19, "reads that write")."""

import pytest
from sqlalchemy import func, select

from infocenter.extensions import db

# Rows a read is meant to write: the visit log of public use (COUNTER statistics), logins.
LOGGED_ON_READ = {"usage_events", "login_tokens"}


def _counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
        if t.name not in LOGGED_ON_READ
    }


def _get_routes(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static":
            paths.append(rule.rule)
    return sorted(set(paths))


@pytest.mark.parametrize("role", ["anonymous", "clerk", "supervisor", "admin"])
def test_no_get_route_changes_a_row(app, client, login_as, make_office, role):
    make_office()
    if role != "anonymous":
        login_as(role)
    paths = _get_routes(app)
    assert "/" in paths and "/requests/holidays" in paths
    with app.app_context():
        before = _counts()  # no holiday year copied: due dates and the holidays page read them
    changed = {}
    # Beyond the parameterless routes: another year's holidays, the overdue filter.
    for path in paths + ["/requests/holidays?year=2031", "/requests/?status=overdue"]:
        response = client.get(path)
        assert response.status_code < 500, path
        with app.app_context():
            after = _counts()
            db.session.remove()
        diff = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if diff:
            changed[path] = diff
            before = after
    assert changed == {}


def test_public_pages_of_an_empty_database_create_no_office(app, client):
    with app.app_context():
        before = _counts()
    for path in ("/", "/privacy", "/about", "/about?office=NSW"):
        assert client.get(path).status_code in (200, 404), path
    with app.app_context():
        assert _counts() == before
    assert "นครสวรรค์" in client.get("/").get_data(as_text=True)


def test_the_request_form_of_an_empty_database_says_why_and_saves_nothing(app, client):
    """Before the first office is set up, /requests/new writes no office (it used to make one on
    GET) and a POST saves nothing; the citizen is told in Thai where else to ask."""
    with app.app_context():
        before = _counts()
    page = client.get("/requests/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ผู้ดูแลระบบยังไม่ได้บันทึกสำนักงานที่รับคำขอ" in html and 'name="subject"' not in html
    sent = client.post(
        "/requests/new",
        data={"requester_name": "นางสาวมาลี ใจงาม", "subject": "ขอสำเนาสัญญา", "consent": "y"},
    )
    assert sent.status_code == 200 and "ยังยื่นคำขอทางเว็บไซต์ไม่ได้" in sent.get_data(as_text=True)
    with app.app_context():
        assert _counts() == before


@pytest.mark.parametrize(
    "args",
    [
        ["counter", "import", "{file}"],
        ["index", "import", "{file}"],
        ["index", "mappings"],
        ["index", "print", "--out", "{out}"],
        ["report", "quarterly", "--fiscal-year", "2563", "--quarter", "2"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_command_on_an_empty_database_says_to_set_up_and_creates_no_office(
    app, runner, tmp_path, args
):
    """Commands that work for the main office no longer make it on the way (issue 19): before
    setup they answer in Thai with the command that creates it, and write nothing."""
    file = tmp_path / "rows.csv"
    file.write_text("ลำดับ,ชื่อเรื่อง\n1,แผนปฏิบัติราชการ\n", encoding="utf-8")
    with app.app_context():
        before = _counts()
    result = runner.invoke(
        args=[a.format(file=file, out=tmp_path / "index.pdf") for a in args], input=""
    )
    assert result.exit_code != 0
    assert "ยังไม่มีสำนักงานในระบบ" in result.output and "flask offices setup" in result.output
    with app.app_context():
        assert _counts() == before


def test_offices_setup_creates_the_main_office_once(app, runner):
    with app.app_context():
        before = _counts()
    first = runner.invoke(args=["offices", "setup"])
    again = runner.invoke(args=["offices", "setup"])
    assert first.exit_code == 0 and "created main office NSW" in first.output
    assert again.exit_code == 0 and "nothing to do" in again.output
    with app.app_context():
        after = _counts()
    assert after["offices"] == before["offices"] + 1
    assert runner.invoke(args=["index", "mappings"]).exit_code == 0
