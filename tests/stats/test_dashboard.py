"""The staff dashboard shows this quarter's figures from the statistics functions."""

import pytest

from infocenter.dashboard.charts import Series, _nice_max, grouped_bars
from infocenter.stats import Scope
from infocenter.stats import visits as visit_stats
from infocenter.thai import FiscalQuarter, local_today


def test_dashboard_matches_the_statistics(app, client, login_as, runner):
    assert (
        runner.invoke(
            args=[
                "demo",
                "seed",
                "--documents",
                "60",
                "--visits",
                "300",
                "--online-events",
                "600",
                "--requests",
                "5",
                "--password",
                "demo-password-1",
            ]
        ).exit_code
        == 0
    )
    client.post("/login", data={"username": "demo-supervisor", "password": "demo-password-1"})
    fq = FiscalQuarter.of(local_today())
    page = client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        expected = visit_stats.visit_count(Scope.quarter(fq, None))
    assert fq.label() in page
    assert f'<div class="h2 mb-0">{expected:,}</div><div>ผู้มาติดต่อที่ศูนย์' in page
    assert "<svg" in page and "ผู้ใช้บริการรายเดือน" in page
    with app.app_context():
        from infocenter.stats import requests as request_stats

        flow = request_stats.flow(Scope.quarter(fq, None))
        overdue = request_stats.overdue_now(Scope.quarter(fq, None))
    assert f'<div class="h2 mb-0">{flow.received:,}</div><div>คำขอข้อมูลข่าวสารที่รับในไตรมาส' in page
    assert f"{overdue:,}</div><div>คำขอที่เลยกำหนดตอบวันนี้" in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0]  # charts need no JavaScript


def test_other_quarters_and_bad_quarters(client, login_as):
    login_as("clerk")
    assert "ไตรมาสที่ ๓ ปีงบประมาณ ๒๕๖๓" in client.get("/dashboard?fy=2563&q=3").get_data(as_text=True)
    assert client.get("/dashboard?fy=2563&q=9").status_code == 404
    assert client.get("/dashboard?fy=abc").status_code == 404


def test_clerks_see_their_own_office(app, client, login_as, make_office):
    district = make_office("NSW05", kind="district")
    login_as("clerk", office_id=district)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "สำนักงานทดสอบ NSW05" in page and "ทุกสำนักงาน" not in page


@pytest.mark.parametrize(
    "value,top", [(0, 5), (3, 5), (7, 10), (12, 20), (230, 250), (999, 1000), (1001, 2000)]
)
def test_axis_maximum_is_round(value, top):
    assert _nice_max(value) == top


def test_chart_escapes_labels():
    svg = str(grouped_bars(["<b>"], [Series("a&b", [3])], title="t"))
    assert "&lt;b&gt;" in svg and "a&amp;b" in svg and "<b>" not in svg
    assert svg.count("<rect") == 2  # one bar and one legend swatch
