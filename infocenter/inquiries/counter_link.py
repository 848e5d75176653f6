"""The link between a walk-in visit at the counter and the Section 11 request opened from it."""

from __future__ import annotations

from flask_login import current_user

from ..extensions import db
from ..thai import to_local
from .models import Inquiry

# The counter's channels and the request channels they become.
_CHANNELS = {"walk_in": "counter", "phone": "counter", "letter": "letter", "email": "email"}


def _visit(visit_id: int):
    from ..counter.models import Visit

    visit = db.session.get(Visit, visit_id)
    if visit is None or visit.is_void or not current_user.can_see_office(visit.office_id):
        return None
    return visit


def prefill(form, visit_id: int) -> None:
    """Fill the staff intake form from a visit: office, when, who, how to reach them, entries
    consulted."""
    visit = _visit(visit_id)
    if visit is None:
        return
    form.visit_id.data = str(visit.id)
    form.office_id.data = visit.office_id
    form.channel.data = _CHANNELS.get(visit.channel, "counter")
    local = to_local(visit.visited_at)
    form.received_date.data = local.date()
    form.received_time.data = f"{local:%H:%M}"
    form.requester_name.data = visit.visitor_name or ""
    contact = (visit.visitor_contact or "").strip()
    if "@" in contact:
        form.requester_email.data = contact
    elif contact:
        form.requester_phone.data = contact
    form.entry_ids.data = ", ".join(str(i) for i in visit.entry_ids)
    if visit.note:
        form.subject.data = visit.note


def link(inquiry: Inquiry) -> None:
    """Mark the visit as having become a Section 11 request (its outcome), when it exists."""
    visit = _visit(inquiry.visit_id) if inquiry.visit_id else None
    if visit is None:
        inquiry.visit_id = None
        return
    visit.outcome = "section11"


def visits_with_inquiry(visit_ids: list[int]) -> set[int]:
    """Which of these visits already have a request opened from them (one query for a page)."""
    return set(
        db.session.scalars(db.select(Inquiry.visit_id).where(Inquiry.visit_id.in_(visit_ids)))
    )


def inquiry_for_visit(visit_id: int) -> Inquiry | None:
    """The request opened from a visit, if any (for the counter's pages)."""
    return db.session.scalars(
        db.select(Inquiry).where(Inquiry.visit_id == visit_id).limit(1)
    ).first()
