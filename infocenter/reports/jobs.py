"""Documents made in the background (the quarterly report, a large printed index): one home.

A page that asks for a document starts a job keyed by what it asks for (``start``) and sends the
browser to the job's status page, which asks again every few seconds until the job is done, then
offers the download; a failed job says why in Thai. The job's state is a row of ``report_jobs``
and its result a file under REPORTS_DIR (or a ``Report`` row), so any gunicorn worker answers the
status page, not only the one whose thread makes the document.

- The same parameters while a job is queued or running: the same job (``active_key`` is unique
  while the job is active, so two workers asked at once still make one).
- A job that a dead worker left ``running`` longer than ``REPORT_JOB_STALE_SECONDS`` is marked
  failed and the next request starts it again.
- At most ``REPORT_JOBS_PER_PROCESS`` jobs make documents at once in a worker; the others wait
  ``queued`` (the machine's cores serve the pages meanwhile).
- ``REPORT_JOBS_INLINE`` (tests, a one-process command) runs the job inside the request instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime
from ..extensions import db
from ..i18n import CodeLabel
from ..thai import N_, MessageError, now_utc

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUS_LABELS = {
    QUEUED: _l("รอคิว"),
    RUNNING: _l("กำลังจัดทำ"),
    DONE: _l("เสร็จแล้ว"),
    FAILED: _l("ไม่สำเร็จ"),
}
STALE_SECONDS = 15 * 60
# A failure whose reason is not a message written for people (a bug, a full disk): said plainly.
UNEXPECTED = N_("เกิดข้อผิดพลาดระหว่างจัดทำเอกสาร ระบบบันทึกรายละเอียดไว้ให้ผู้ดูแลระบบแล้ว")
STOPPED = N_("การจัดทำหยุดไปก่อนเสร็จ (เครื่องแม่ข่ายเริ่มทำงานใหม่) กรุณาสั่งจัดทำอีกครั้ง")


class ReportJob(db.Model):
    """One document asked for: what (kind, params), its state, and where the result is."""

    __tablename__ = "report_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # a name given to ``runner``
    key: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of kind and params
    # The key while queued or running, NULL afterwards: unique, so one active job per key.
    active_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    # Who may see it: the office it is about (NULL: every office, for those who see them all).
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    message: Mapped[str] = mapped_column(Text, default="")  # why it failed, in Thai
    result_file: Mapped[str] = mapped_column(String(255), default="")  # relative to REPORTS_DIR
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    )

    @property
    def parameters(self) -> dict[str, Any]:
        return json.loads(self.params or "{}")

    @property
    def active(self) -> bool:
        return self.status in (QUEUED, RUNNING)

    status_label = CodeLabel(STATUS_LABELS, "status")


# kind -> function(job) making the document; it sets result_file or report_id (flushed or not).
RUNNERS: dict[str, Callable[[ReportJob], None]] = {}
# kind -> the exceptions whose text is written for people (shown as the reason it failed).
MESSAGES: dict[str, tuple[type[Exception], ...]] = {}


def runner(kind: str, messages: tuple[type[Exception], ...] = ()):
    """Register the function that makes the documents of ``kind`` (runs in the job's thread, in an
    app context, in Thai). When it fails with a MessageError or one of ``messages``, their text
    is shown to the user; any other failure is logged and said in general terms."""

    def register(fn: Callable[[ReportJob], None]) -> Callable[[ReportJob], None]:
        RUNNERS[kind] = fn
        MESSAGES[kind] = (MessageError, *messages)
        return fn

    return register


def job_key(kind: str, params: dict[str, Any]) -> str:
    return hashlib.sha256(f"{kind}|{json.dumps(params, sort_keys=True)}".encode()).hexdigest()


def _stale_before() -> datetime:
    seconds = current_app.config.get("REPORT_JOB_STALE_SECONDS", STALE_SECONDS)
    return now_utc() - timedelta(seconds=seconds)


def _fail_stale(key: str | None = None, *, job_id: int | None = None) -> None:
    """A job (of ``key``, or the job ``job_id``) still active after the stale limit died with its
    worker: mark it failed."""
    which = ReportJob.id == job_id if job_id is not None else ReportJob.active_key == key
    db.session.execute(
        update(ReportJob)
        .where(
            which,
            ReportJob.created_at < _stale_before(),
            ReportJob.status.in_((QUEUED, RUNNING)),
        )
        .values(status=FAILED, active_key=None, message=STOPPED, finished_at=now_utc())
    )


def check_stale(job: ReportJob) -> ReportJob:
    """A job shown on its status page: if its worker died (still active past the stale limit),
    it is marked failed now, so the page says so instead of waiting for ever."""
    if job.active and job.created_at < _stale_before():
        _fail_stale(job_id=job.id)
        db.session.commit()
        db.session.refresh(job)
    return job


def start(
    kind: str,
    params: dict[str, Any],
    *,
    office_id: int | None,
    user_id: int | None = None,
) -> ReportJob:
    """The job making ``kind`` with ``params``: the one already queued or running with the same
    parameters, else a new one started now (committed, so other workers see it)."""
    if kind not in RUNNERS:
        raise KeyError(kind)
    key = job_key(kind, params)
    _fail_stale(key)
    db.session.commit()
    existing = db.session.scalars(select(ReportJob).where(ReportJob.active_key == key)).first()
    if existing is not None:
        return existing
    job = ReportJob(
        kind=kind,
        key=key,
        active_key=key,
        params=json.dumps(params, sort_keys=True),
        office_id=office_id,
        requested_by_id=user_id,
        status=QUEUED,
    )
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:  # another worker started the same job a moment ago: that one
        db.session.rollback()
        return db.session.scalars(select(ReportJob).where(ReportJob.active_key == key)).one()
    if current_app.config.get("REPORT_JOBS_INLINE"):
        _run_job(job.id)
        db.session.expire_all()
        return db.session.get(ReportJob, job.id)
    thread = threading.Thread(
        target=_in_thread,
        args=(current_app._get_current_object(), job.id),
        name=f"report-job-{job.id}",
        daemon=True,
    )
    with _threads_lock:
        _threads.append(thread)
    thread.start()
    return job


_threads: list[threading.Thread] = []
_threads_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}  # per app (tests make many)


def _slot(app: Flask) -> threading.BoundedSemaphore:
    with _threads_lock:
        return _slots.setdefault(
            id(app), threading.BoundedSemaphore(app.config.get("REPORT_JOBS_PER_PROCESS", 1))
        )


def _in_thread(app: Flask, job_id: int) -> None:
    with _slot(app), app.app_context():
        try:
            _run_job(job_id)
        finally:
            db.session.remove()


def _run_job(job_id: int) -> None:
    """Make the document of a job and record how it went (never raises)."""
    # Queued -> running in one statement: a job marked stale (failed) by a status page meanwhile
    # is not brought back to life by a worker that read it a moment before.
    claimed = db.session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, ReportJob.status == QUEUED)
        .values(status=RUNNING, started_at=now_utc())
    ).rowcount
    db.session.commit()
    if not claimed:
        return
    job = db.session.get(ReportJob, job_id)
    try:
        with force_locale("th"):  # official documents: in Thai whatever the page's language
            RUNNERS[job.kind](job)
    except Exception as exc:  # noqa: BLE001  (said on the status page, logged in full)
        db.session.rollback()
        if isinstance(exc, MESSAGES.get(job.kind, MessageError)):
            with force_locale("th"):
                message = str(exc)
        else:
            log.exception("report job %s (%s) failed", job_id, job.kind)
            message = UNEXPECTED
        job = db.session.get(ReportJob, job_id)
        job.status, job.message = FAILED, message
    else:
        job.status = DONE
    job.active_key = None
    job.finished_at = now_utc()
    db.session.commit()


def wait_for_background(timeout: float = 120) -> None:
    """Wait for the jobs this process started (tests, shutdown)."""
    with _threads_lock:
        threads = list(_threads)
        _threads.clear()
    for thread in threads:
        thread.join(timeout)
