"""`flask demo seed` makes a demo integrity plan with evidence in every state; clear removes it."""

from sqlalchemy import func, select

from infocenter.extensions import db


def test_demo_seed_makes_a_plan_with_every_state_and_clear_removes_it(
    app, runner, client, login_as, make_office
):
    from infocenter.integrity.models import EvidenceLink, IndicatorItem, IntegrityPlan
    from infocenter.integrity.stats import plan_for_year, plan_progress, summary

    result = runner.invoke(
        args=[
            "demo",
            "seed",
            "--documents",
            "30",
            "--visits",
            "20",
            "--online-events",
            "50",
            "--requests",
            "3",
            "--password",
            "demo-password-1",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        counts = summary(plan_progress(plan_for_year()))
        states = set(db.session.scalars(select(EvidenceLink.state)))
    assert all(counts[s] >= 1 for s in ("done", "in_progress", "late", "not_started")), counts
    assert states == {"confirmed", "proposed"}
    page = client.get("/transparency").get_data(as_text=True)
    assert "ภาพป้ายศูนย์ข้อมูลข่าวสาร (ตัวอย่าง)" in page and "o10" in page
    login_as("supervisor", office_id=make_office("REAL", kind="province"))
    assert 'id="integrity-card"' in client.get("/dashboard").get_data(as_text=True)
    # Seeding again replaces; clear removes.
    assert (
        runner.invoke(
            args=[
                "demo",
                "seed",
                "--documents",
                "30",
                "--visits",
                "20",
                "--online-events",
                "50",
                "--requests",
                "3",
            ]
        ).exit_code
        == 0
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(IntegrityPlan.id))) == 1
    assert runner.invoke(args=["demo", "clear"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(IntegrityPlan.id))) == 0
        assert db.session.scalar(select(func.count(EvidenceLink.id))) == 0
        assert db.session.scalar(select(func.count(IndicatorItem.id))) == 0
