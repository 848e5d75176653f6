# ruff: noqa: F811  (pytest fixtures imported from test_stats_online and used as arguments)
"""The quarterly report made in the background: the form starts a job, its status page (polled
by the browser, or refreshed without JavaScript) says how it goes and then offers the PDF; a
failure says why in Thai; the same report asked again while it is made is the same job; any
worker (another app on the same database) answers the status."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from infocenter import create_app
from infocenter.extensions import db
from infocenter.reports import jobs
from infocenter.reports.jobs import ReportJob, wait_for_background
from infocenter.reports.models import Report
from infocenter.reports.operations import ReportError
from infocenter.thai import now_utc

BACKGROUND = pytest.mark.app_config(REPORT_JOBS_INLINE=False)


def ask(client, **data):
    form = {"fiscal_year": "2563", "quarter": "2", "office": "all", "thai_digits": "y", **data}
    return client.post("/reports/", data=form)


def reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Report.id)))


@pytest.fixture
def held(monkeypatch):
    """The quarterly job waits for ``held.set()`` before making the report (a job in progress)."""
    gate = threading.Event()
    make = jobs.RUNNERS["quarterly"]

    def slow(job):
        assert gate.wait(60)
        make(job)

    monkeypatch.setitem(jobs.RUNNERS, "quarterly", slow)
    yield gate
    gate.set()
    wait_for_background()


@BACKGROUND
def test_report_is_made_in_the_background_then_offered_for_download(
    app, client, login_as, events, held
):
    login_as("admin")
    started = ask(client)
    assert started.status_code == 302 and re.search(r"/reports/jobs/\d+$", started.location)
    status_url = started.location
    # While it is made: a polite live region, a refresh without JavaScript, the poll with it.
    waiting = client.get(status_url)
    page = waiting.get_data(as_text=True)
    assert waiting.status_code == 200
    assert 'role="status" aria-live="polite"' in page
    assert "ทุกหน่วยงานและภาพรวมจังหวัด" in page and "ไตรมาสที่ ๒ ปีงบประมาณ ๒๕๖๓" in page
    assert '<noscript><meta http-equiv="refresh"' in page and "js/job.js" in page
    assert "ดาวน์โหลด PDF" not in page
    state = client.get(status_url + ".json").get_json()
    assert state["status"] in ("queued", "running") and state["download"] is None
    # Asked again (a second click, another tab) while it is made: the same job, one report.
    again = ask(client)
    assert again.location == status_url
    held.set()
    wait_for_background()
    assert reports(app) == 1
    done = client.get(status_url).get_data(as_text=True)
    assert "เสร็จแล้ว" in done and 'http-equiv="refresh"' not in done
    assert "js/job.js" not in done
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        code, report_id = report.code, report.id
        assert report.generated_via == "web" and report.all_offices
    assert code in done
    link = re.search(r'href="(/reports/\d+\.pdf)"', done).group(1)
    assert link == f"/reports/{report_id}.pdf"
    assert client.get(status_url + ".json").get_json() == {
        "status": "done",
        "label": "เสร็จแล้ว",
        "what": "รายงานสถิติการให้บริการ ไตรมาสที่ ๒ ปีงบประมาณ ๒๕๖๓ (ทุกหน่วยงานและภาพรวมจังหวัด)",
        "message": "",
        "download": link,
    }
    with client.get(link) as pdf:
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # Done: asking once more makes a new report (a report is a record of its issue).
    assert ask(client).location != status_url
    wait_for_background()
    assert reports(app) == 2


@BACKGROUND
def test_a_failed_job_says_why_in_thai_and_the_next_request_tries_again(
    app, client, login_as, events, monkeypatch
):
    def broken(job):
        raise RuntimeError("disk full /srv/reports")

    monkeypatch.setitem(jobs.RUNNERS, "quarterly", broken)
    login_as("admin")
    status_url = ask(client).location
    wait_for_background()
    failed = client.get(status_url)
    page = failed.get_data(as_text=True)
    assert failed.status_code == 200
    assert "จัดทำไม่สำเร็จ" in page and "ระบบบันทึกรายละเอียดไว้ให้ผู้ดูแลระบบแล้ว" in page
    assert "disk full" not in page and 'http-equiv="refresh"' not in page
    assert client.get(status_url + ".json").get_json()["status"] == "failed"
    # A reason written for people is said as it is.
    monkeypatch.setitem(
        jobs.RUNNERS, "quarterly", lambda job: (_ for _ in ()).throw(ReportError("ไม่มีหน่วยงานนี้"))
    )
    retry = ask(client).location
    assert retry != status_url
    wait_for_background()
    assert "จัดทำไม่สำเร็จ: ไม่มีหน่วยงานนี้" in client.get(retry).get_data(as_text=True)
    assert reports(app) == 0


@BACKGROUND
def test_a_job_left_running_by_a_dead_worker_is_started_again(app, client, login_as, events, held):
    login_as("admin")
    status_url = ask(client).location
    job_id = int(status_url.rsplit("/", 1)[1])
    with app.app_context():  # as if its worker died an hour ago
        job = db.session.get(ReportJob, job_id)
        job.created_at = now_utc() - timedelta(hours=1)
        db.session.commit()
    page = client.get(status_url).get_data(as_text=True)  # its page says so at once
    assert "การจัดทำหยุดไปก่อนเสร็จ" in page and 'http-equiv="refresh"' not in page
    fresh = ask(client).location
    assert fresh != status_url
    page = client.get(status_url).get_data(as_text=True)
    assert "การจัดทำหยุดไปก่อนเสร็จ" in page


def test_a_job_marked_stopped_meanwhile_is_not_revived_by_its_worker(app, monkeypatch):
    """A status page marks a job of a dead worker failed at the moment a late worker picks it
    up: the job stays failed and nothing is made (the claim is one conditional statement)."""
    made = []
    monkeypatch.setitem(jobs.RUNNERS, "quarterly", made.append)
    clock, marked = jobs.now_utc, []

    def page_marks_it_stopped_now():
        if not marked:  # the worker's first look at the clock: the page comes in between
            marked.append(True)
            jobs.check_stale(db.session.get(ReportJob, job_id))
        return clock()

    with app.app_context():
        job = ReportJob(kind="quarterly", key="k", active_key="k", params="{}", status=jobs.QUEUED)
        db.session.add(job)
        db.session.commit()
        job.created_at = now_utc() - timedelta(hours=1)
        db.session.commit()
        job_id = job.id
        monkeypatch.setattr(jobs, "now_utc", page_marks_it_stopped_now)
        jobs._run_job(job_id)
        db.session.expire_all()
        job = db.session.get(ReportJob, job_id)
        assert marked and job.status == jobs.FAILED and job.message == jobs.STOPPED
        assert job.active_key is None and made == []


@BACKGROUND
def test_another_worker_answers_the_status_and_reuses_the_job(app, client, login_as, events, held):
    """Two apps on one database stand for two gunicorn workers (no memory shared)."""
    login_as("admin")
    status_url = ask(client).location
    other = create_app(dict(app.config))
    other_client = other.test_client()
    for cookie in client._cookies.values():
        other_client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert ask(other_client).location == status_url  # the same job, not a second report
    assert other_client.get(status_url + ".json").get_json()["status"] in ("queued", "running")
    held.set()
    wait_for_background()
    assert other_client.get(status_url + ".json").get_json()["status"] == "done"
    assert reports(app) == 1
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@BACKGROUND
def test_a_district_clerk_cannot_see_the_provinces_job(app, client, login_as, auth, events, held):
    login_as("admin")
    status_url = ask(client).location
    auth.logout()
    login_as("clerk", office_id=events["b"])
    assert client.get(status_url).status_code == 404
    assert client.get(status_url + ".json").status_code == 404
    assert client.get("/reports/jobs/999999").status_code == 404


def test_future_quarter_is_refused_on_the_form_without_a_job(app, client, login_as, events):
    login_as("admin")
    response = ask(client, fiscal_year="2700", quarter="1")
    assert response.status_code == 200 and "ไตรมาสนี้ยังไม่เริ่ม" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportJob.id))) == 0
