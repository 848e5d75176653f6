"""The dashboard for a province (issue 16): an office filter, the offices side by side, a quarter
in progress compared with the same days of the previous quarter, and every list it links to
open to a supervisor (the visits card's list answered 403 to them)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from infocenter.extensions import db

TODAY = date(2020, 2, 10)  # Q2 of FY 2563 (1 Jan – 31 Mar 2020) in progress


@pytest.fixture
def mid_quarter(monkeypatch):
    import infocenter.dashboard.views as views
    import infocenter.reports.figures as figures

    monkeypatch.setattr(figures, "local_today", lambda: TODAY)
    monkeypatch.setattr(views, "local_today", lambda: TODAY)


@pytest.fixture
def province(app, make_office):
    """A province office and two districts; visits on 5 Jan and 5 Feb 2020 (A), one in Nov 2019
    (B)."""
    from infocenter.counter.models import Visit, VisitorType, VisitPurpose

    nsw = make_office("NSW")
    a = make_office("NSW01", name="สำนักงานพัฒนาชุมชนอำเภอเมือง", kind="district", parent_id=nsw)
    b = make_office("NSW02", name="สำนักงานพัฒนาชุมชนอำเภอชุมแสง", kind="district", parent_id=nsw)
    with app.app_context():
        vt = VisitorType(code="t", name="ประชาชน")
        vp = VisitPurpose(code="p", name="ขอดูข้อมูล")
        db.session.add_all([vt, vp])
        db.session.flush()

        def visit(office, y, m, d):
            db.session.add(
                Visit(
                    office_id=office,
                    visited_at=datetime(y, m, d, 3, 0, tzinfo=UTC),
                    visitor_type_id=vt.id,
                    purpose_id=vp.id,
                )
            )

        visit(a, 2020, 1, 5)
        visit(a, 2020, 2, 5)
        visit(a, 2020, 2, 20)  # after "today": not in the quarter so far
        visit(b, 2019, 11, 5)  # previous quarter, within its first 41 days
        visit(b, 2019, 12, 20)  # previous quarter, after its first 41 days
        db.session.commit()
    return nsw, a, b


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_supervisor_filters_by_office_and_sees_the_offices_side_by_side(
    app, client, login_as, province, mid_quarter
):
    nsw, a, b = province
    login_as("supervisor", office_id=nsw)
    page = client.get("/dashboard?fy=2563&q=2").get_data(as_text=True)
    table = page.split('id="offices-table"', 1)[1].split("</table>", 1)[0]
    for name in ("สำนักงานพัฒนาชุมชนอำเภอเมือง", "สำนักงานพัฒนาชุมชนอำเภอชุมแสง", "สำนักงานทดสอบ NSW"):
        assert name in table
    assert 'id="office"' in page
    one = client.get(f"/dashboard?fy=2563&q=2&office={a}").get_data(as_text=True)
    assert "สำนักงานพัฒนาชุมชนอำเภอเมือง" in one.split("<h1", 1)[1].split("</p>", 1)[0]
    assert re.search(r'<div class="h2 mb-0">2</div><div>ผู้มาติดต่อที่ศูนย์', one)  # 5 Jan and 5 Feb only
    assert 'id="offices-table"' not in one
    assert client.get("/dashboard?fy=2563&q=2&office=99999").status_code == 404


def test_clerk_cannot_filter_to_another_office(app, client, login_as, province):
    nsw, a, b = province
    login_as("clerk", office_id=a)
    assert client.get(f"/dashboard?office={b}").status_code == 404
    assert client.get(f"/dashboard?office={a}").status_code == 200


def test_mid_quarter_compares_the_same_days_and_marks_the_partial_month(
    app, client, login_as, province, mid_quarter
):
    nsw, a, b = province
    login_as("supervisor", office_id=nsw)
    page = client.get("/dashboard?fy=2563&q=2").get_data(as_text=True)
    assert "ถึงวันที่ 10 ก.พ. 2563" in page or "ถึงวันที่ ๑๐" in page
    # 1 Oct – 10 Nov 2019: one visit (5 Nov), not the two of the whole previous quarter.
    assert "ช่วงเดียวกันของไตรมาสก่อน 1" in page
    assert "(ถึงวันที่ ๑๐)" in page or "(ถึงวันที่ 10)" in page
    finished = client.get("/dashboard?fy=2563&q=1").get_data(as_text=True)
    assert "ช่วงเดียวกันของไตรมาสก่อน" not in finished and "ไตรมาสก่อน" in finished


def test_every_dashboard_link_opens_for_a_supervisor(app, client, login_as, province, mid_quarter):
    nsw, a, b = province
    login_as("supervisor", office_id=nsw)
    for url in ("/dashboard?fy=2563&q=2", f"/dashboard?fy=2563&q=2&office={a}"):
        links = set(re.findall(r'href="(/[^"#]*)"', _main(client.get(url).get_data(as_text=True))))
        assert any(link.startswith("/dashboard/visits") for link in links)
        for link in sorted(links):
            response = client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, (link, response.status_code)


def test_the_visits_list_shows_the_visits_the_card_counts(
    app, client, login_as, province, mid_quarter
):
    nsw, a, b = province
    login_as("supervisor", office_id=nsw)
    page = client.get(f"/dashboard/visits?fy=2563&q=2&office={a}").get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")
    assert rows == 2  # the card's 2: the visit of 20 Feb is after "today"
