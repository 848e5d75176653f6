"""`flask demo seed / clear / ensure`."""

from sqlalchemy import func, select

from infocenter.admin.models import Office
from infocenter.auth.models import User
from infocenter.extensions import db


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Office.id)).where(Office.is_demo.is_(True))),
            db.session.scalar(select(func.count(User.id)).where(User.is_demo.is_(True))),
        )


def test_seed_is_marked_replaceable_and_clearable(app, runner, client):
    result = runner.invoke(
        args=[
            "demo",
            "seed",
            "--documents",
            "30",
            "--visits",
            "40",
            "--online-events",
            "100",
            "--requests",
            "5",
            "--password",
            "demo-password-1",
        ]
    )
    assert result.exit_code == 0, result.output
    assert _counts(app) == (16, 7)
    assert "ข้อมูลตัวอย่าง" in client.get("/").get_data(as_text=True)
    # Seeding again replaces the demo data instead of doubling it.
    assert (
        runner.invoke(
            args=[
                "demo",
                "seed",
                "--documents",
                "30",
                "--visits",
                "40",
                "--online-events",
                "100",
                "--requests",
                "5",
            ]
        ).exit_code
        == 0
    )
    assert _counts(app) == (16, 7)
    assert runner.invoke(args=["demo", "clear"]).exit_code == 0
    assert _counts(app) == (0, 0)
    assert "ข้อมูลตัวอย่าง" not in client.get("/").get_data(as_text=True)


def test_ensure_only_on_an_empty_database(app, runner, make_office):
    result = runner.invoke(args=["demo", "ensure"])
    assert "password:" in result.output
    assert runner.invoke(args=["demo", "ensure"]).output == ""  # printed once only


def test_ensure_leaves_a_real_office_alone(app, runner, make_office):
    make_office("NSW")
    assert runner.invoke(args=["demo", "ensure"]).output == ""
    assert _counts(app) == (0, 0)


def test_demo_admin_can_log_in(app, runner, auth):
    runner.invoke(
        args=[
            "demo",
            "seed",
            "--password",
            "demo-password-1",
            "--documents",
            "5",
            "--visits",
            "5",
            "--online-events",
            "5",
            "--requests",
            "2",
        ]
    )
    assert auth.login("demo-admin", "demo-password-1").status_code == 302
