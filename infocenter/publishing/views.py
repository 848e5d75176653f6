"""Public news and feeds; staff pages for posts, LINE groups and deliveries, the plan and its
summary."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from .. import nav, settings
from ..auth.roles import ADMIN, CLERK, SUPERVISOR, roles_required, visible_or_404
from ..catalogue.models import IndexEntry
from ..extensions import csrf, db
from ..i18n import display_datetime
from ..security import bounded_int
from ..thai import OFFICE_TZ, DateParseError, now_utc, parse_thai_date, to_local
from ..uploads import UploadError
from ..urls import absolute_url, tag_authority
from ..viewhelpers import edit_form, saved, show_errors
from . import images, line, operations
from .forms import FeedbackForm, LineGroupForm, PostForm
from .models import (
    STATE_LABELS,
    FacebookDelivery,
    LineDelivery,
    LineGroup,
    LineGroupMessage,
    Post,
)
from .plan import (
    build_plan,
    month_period,
    month_posts,
    plan_period,
    post_group_messages,
)

bp = Blueprint("publishing", __name__)

settings.define(
    "publishing_image_max_mb",
    _l("ขนาดไฟล์ภาพประกอบข่าวสูงสุด (MB)"),
    int,
    5,
    _l("LINE รับภาพได้ไม่เกิน 10 MB"),
    minimum=1,
    maximum=10,
)

nav.add("publishing.news", "ข่าวประชาสัมพันธ์", order=40)
nav.add("publishing.posts", "ข่าวและ LINE", (ADMIN, CLERK), order=60)
nav.add("publishing.plan", "แผนโครงการ LINE", (SUPERVISOR,), order=61)

FEED_SIZE = 50
_IMAGE_NAME = re.compile(r"^[0-9a-f]{32}(\.jpg|\.png|-preview\.jpg)$")
writers = roles_required(ADMIN, CLERK)
readers = roles_required(ADMIN, CLERK, SUPERVISOR)


# --- public: news, images, feeds ------------------------------------------------------------


@bp.route("/news")
def news():
    stmt = (
        select(Post)
        .where(Post.state == "published")
        .order_by(Post.published_at.desc(), Post.id.desc())
    )
    page = db.paginate(
        stmt, per_page=int(settings.get("public_per_page")), max_per_page=100, error_out=False
    )
    return render_template("publishing/news.html", page=page)


@bp.route("/news/<int:post_id>")
def post(post_id: int):
    item = db.session.get(Post, post_id)
    if item is None or not _may_view(item):
        abort(404)
    entry = item.entry if item.entry is not None and item.entry.is_public else None
    return render_template(
        "publishing/post.html",
        post=item,
        entry=entry,
        entry_link=entry_url(entry) if entry else None,
    )


@bp.route("/news/images/<name>")
def image(name: str):
    """A post's image or its preview; only for published posts (staff may see drafts')."""
    if not _IMAGE_NAME.match(name):
        abort(404)
    base = name.removesuffix("-preview.jpg")
    candidates = [f"{base}.jpg", f"{base}.png"] if base != name else [name]
    owner = db.session.scalars(select(Post).where(Post.image_name.in_(candidates))).first()
    if owner is None or not _may_view(owner):
        abort(404)
    return send_from_directory(images.image_dir(), name, max_age=3600)


def _may_view(item: Post) -> bool:
    if item.state == "published":
        return True
    return (
        current_user.is_authenticated
        and current_user.role in (ADMIN, CLERK)
        and current_user.can_see_office(item.office_id)
    )


@bp.route("/feeds/news.atom")
def news_feed():
    posts = db.session.scalars(
        select(Post)
        .where(Post.state == "published")
        .order_by(Post.published_at.desc(), Post.id.desc())
        .limit(FEED_SIZE)
    ).all()
    # The feed is Thai (xml:lang="th") whatever the session's language: readers fetch it without a
    # session, its items are the office's Thai posts, and one URL must give one document.
    with force_locale("th"):
        items = _news_items(posts)
    return _atom(items, "news", "ข่าวประชาสัมพันธ์", alternate="publishing.news")


def _news_items(posts: list[Post]) -> list[dict]:
    return [
        {
            "id": _tag(item.created_at, f"news/{item.id}"),
            "title": item.title,
            "link": absolute_url("publishing.post", post_id=item.id),
            "updated": max(item.updated_at, item.published_at),
            "published": item.published_at,
            "summary": item.body,
            "category": item.kind_label,
            "image": absolute_url("publishing.image", name=item.image_name)
            if item.image_name
            else None,
        }
        for item in posts
    ]


@bp.route("/feeds/index.atom")
def index_feed():
    """New and updated public entries of the Section 9 index (published and not closed)."""
    entries = db.session.scalars(
        select(IndexEntry)
        .where(IndexEntry.is_public)
        .order_by(IndexEntry.updated_at.desc(), IndexEntry.id.desc())
        .limit(FEED_SIZE)
    ).all()
    items = [
        {
            "id": _tag(entry.created_at, f"index-entry/{entry.id}"),
            "title": f"{entry.ref} {entry.title}".strip() if entry.ref else entry.title,
            "link": entry_url(entry, external=True),
            "updated": entry.updated_at,
            "published": entry.created_at,
            "summary": entry.summary,
            "category": f"{entry.category.code} {entry.category.name_th}",
            "image": None,
        }
        for entry in entries
    ]
    return _atom(
        items, "index", "ดัชนีข้อมูลข่าวสาร (มาตรา ๙) รายการใหม่และปรับปรุง", alternate="main.index"
    )


def _tag(created: datetime | None, specific: str) -> str:
    """A tag: URI (RFC 4151) that stays the same when the item is edited."""
    day = to_local(created).date().isoformat() if created else "2020-01-01"
    return f"tag:{tag_authority()},{day}:infocenter/{specific}"


def _atom(items: list[dict], name: str, title: str, *, alternate: str):
    """The feed being served (its self link is this request's endpoint) as Atom: ``name`` makes
    its tag: id, ``title`` is followed by the office's name, ``alternate`` is the endpoint of the
    page it follows."""
    updated = max((i["updated"] for i in items), default=None) or now_utc()
    body = render_template(
        "publishing/feed.atom.xml",
        items=items,
        title=f"{title} — {current_app.config['OFFICE_NAME']}",
        feed_id=_tag(None, name),
        self_url=absolute_url(request.endpoint),
        alternate=absolute_url(alternate),
        updated=updated,
        rfc3339=rfc3339,
    )
    response = make_response(body)
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


def rfc3339(value: datetime) -> str:
    """An instant as RFC 3339 in UTC: 2020-05-01T03:00:00Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_url(entry: IndexEntry, external: bool = False) -> str:
    """The public page of an index entry."""
    if external:
        return absolute_url("catalogue.document", entry_id=entry.id)
    return url_for("catalogue.document", entry_id=entry.id)


# --- the LINE webhook ------------------------------------------------------------------------


@bp.record_once
def _load_line_sdk(state) -> None:
    """With the webhook on, load line-bot-sdk when the app starts rather than in the first call."""
    if state.app.config.get("LINE_CHANNEL_SECRET"):
        line.load_sdk()


@bp.route("/line/webhook", methods=["POST"])
@csrf.exempt
def line_webhook():
    """LINE's calls: checked by X-Line-Signature (the SDK), each event recorded once, answered at
    once."""
    secret = current_app.config.get("LINE_CHANNEL_SECRET") or ""
    if not secret:
        return {"message": "the LINE webhook is off: LINE_CHANNEL_SECRET is not set"}, 404
    from linebot.v3.exceptions import InvalidSignatureError

    body = request.get_data(as_text=True)
    try:
        events = line.parse_webhook(body, request.headers.get("X-Line-Signature", ""), secret)
    except InvalidSignatureError:
        return {"message": "invalid signature"}, 400
    except ValueError:  # signed, but not the JSON LINE sends
        return {"message": "invalid body"}, 400
    run = operations.handle_webhook_events(events)
    return {"handled": run.handled, "repeated": run.repeated}, 200


# --- staff: posts ----------------------------------------------------------------------------


def _visible_posts():
    stmt = select(Post)
    office_ids = current_user.visible_office_ids()
    if office_ids is not None:
        stmt = stmt.where(Post.office_id.in_(office_ids))
    return stmt


def _get_post(post_id: int) -> Post:
    return visible_or_404(Post, post_id)


@bp.route("/staff/posts")
@writers
def posts():
    state = request.args.get("state", "")
    stmt = _visible_posts()
    if state in ("draft", "scheduled", "published"):
        stmt = stmt.where(Post.state == state)
    stmt = stmt.order_by(
        Post.state != "scheduled",
        func.coalesce(Post.published_at, Post.scheduled_at, Post.created_at).desc(),
        Post.id.desc(),
    )
    page = db.paginate(stmt, per_page=30, max_per_page=100, error_out=False)
    # Delivery states per post on this page, counted by the database.
    ids = [p.id for p in page.items]
    counts: dict[int, dict[str, int]] = {}
    if ids:
        for post_id, status, n in db.session.execute(
            select(LineDelivery.post_id, LineDelivery.status, func.count(LineDelivery.id))
            .where(LineDelivery.post_id.in_(ids))
            .group_by(LineDelivery.post_id, LineDelivery.status)
        ):
            counts.setdefault(post_id, {})[status] = n
    return render_template(
        "publishing/posts.html",
        page=page,
        state=state,
        counts=counts,
        states=STATE_LABELS,
        line_on=operations.line_enabled(),
        problems=_delivery_problems(),
    )


def _delivery_problems() -> int:
    stmt = (
        select(func.count(LineDelivery.id))
        .join(Post)
        .where(LineDelivery.status.in_(("retry", "failed")))
    )
    office_ids = current_user.visible_office_ids()
    if office_ids is not None:
        stmt = stmt.where(Post.office_id.in_(office_ids))
    return db.session.scalar(stmt) or 0


@bp.route("/staff/posts/new", methods=["GET", "POST"])
@bp.route("/staff/posts/<int:post_id>/edit", methods=["GET", "POST"])
@writers
def edit_post(post_id: int | None = None):
    item = _get_post(post_id) if post_id else None
    form = PostForm(obj=item)
    if request.method == "GET" and item is not None:
        form.when.data = {"draft": "draft", "scheduled": "schedule", "published": "now"}[item.state]
        if item.scheduled_at:
            local = to_local(item.scheduled_at)
            form.scheduled_date.data = local.date()
            form.scheduled_time.data = f"{local:%H:%M}"
    if form.validate_on_submit():
        when_at = _check_post_form(form, item)
        if not any(field.errors for field in form):
            return _save_post(form, item, when_at)
    return _render_post_form(form, item)


def _check_post_form(form: PostForm, item: Post | None) -> datetime | None:
    """Checks that need more than one field; errors go on the fields, in the page's language."""
    if form.kind.data == "clip" and not form.clip_url.data:
        form.clip_url.errors.append(_("โพสต์ประเภทคลิปต้องมีลิงก์คลิปวิดีโอ กรุณาวางลิงก์"))
    if form.entry_id.data:
        entry = db.session.get(IndexEntry, form.entry_id.data)
        if entry is None:
            form.entry_id.errors.append(
                _("ไม่พบรายการเลขที่ %(number)s ในดัชนี กรุณาตรวจสอบเลขที่", number=form.entry_id.data)
            )
        elif not entry.is_public:
            form.entry_id.errors.append(_("รายการนี้ยังไม่เผยแพร่หรือไม่เปิดเผย จึงอ้างถึงในข่าวไม่ได้"))
    if item is not None and item.state == "published" and form.when.data != "now":
        form.when.errors.append(
            _("ข่าวนี้เผยแพร่แล้ว ถอนกลับเป็นร่างหรือตั้งเวลาใหม่ไม่ได้ แก้ไขเนื้อหาได้โดยเลือก “เผยแพร่ทันที”")
        )
    _check_image_can_go_out(form, item)
    if form.when.data != "schedule":
        return None
    try:
        day = parse_thai_date(form.scheduled_date.data or "")
    except DateParseError as exc:
        form.scheduled_date.errors.append(str(exc))
        return None
    hour, minute = (
        int(x) for x in (form.scheduled_time.data or "08:30").replace(".", ":").split(":")
    )
    if hour > 23 or minute > 59:
        form.scheduled_time.errors.append(_("เวลาไม่ถูกต้อง กรุณาระบุแบบ 09:30"))
        return None
    at = datetime.combine(day, time(hour, minute), tzinfo=OFFICE_TZ)
    if at <= now_utc():
        form.scheduled_date.errors.append(
            _("เวลาที่ตั้งผ่านไปแล้ว กรุณาเลือกเวลาในอนาคต หรือเลือก “เผยแพร่ทันที”")
        )
        return None
    return at


def _check_image_can_go_out(form: PostForm, item: Post | None) -> None:
    """An image post to be published and sent to LINE or Facebook needs a public https address."""
    if form.when.data not in ("now", "schedule") or (
        item is not None and item.state == "published"
    ):
        return
    upload = form.image.data
    has_image = bool(upload and getattr(upload, "filename", "")) or (
        item is not None and item.image_name and not form.remove_image.data
    )
    going_out = (form.send_line.data and operations.line_enabled()) or (
        form.send_facebook.data and operations.facebook_enabled()
    )
    if has_image and going_out:
        reason = operations.https_refusal()
        if reason:
            form.image.errors.append(reason)


def _render_post_form(form: PostForm, item: Post | None) -> str:
    return render_template(
        "publishing/post_form.html",
        form=form,
        post=item,
        line_on=operations.line_enabled(),
        groups=operations.active_groups(),
        facebook_on=operations.facebook_enabled(),
    )


def _save_post(form: PostForm, item: Post | None, when_at: datetime | None):
    upload = form.image.data
    draft = operations.PostDraft(
        kind=form.kind.data,
        title=form.title.data.strip(),
        body=(form.body.data or "").strip(),
        entry_id=form.entry_id.data or None,
        clip_url=(form.clip_url.data or "").strip() or None,
        send_line=bool(form.send_line.data),
        send_facebook=bool(form.send_facebook.data),
        when=form.when.data,
        scheduled_at=when_at,
        image=upload if upload and getattr(upload, "filename", "") else None,
        remove_image=bool(form.remove_image.data),
    )
    was_published = item is not None and item.state == "published"
    try:
        item, queued = operations.save_post(
            item, draft, office_id=current_user.office_id, user_id=current_user.id
        )
    except UploadError as exc:
        form.image.errors = [str(exc)]
        return _render_post_form(form, item)
    if form.when.data == "now" and not was_published:
        if queued:
            message = ngettext(
                "เผยแพร่ข่าวแล้ว และจะส่งเข้ากลุ่ม LINE %(num)d กลุ่มในรอบส่งถัดไป (flask publish due)",
                "เผยแพร่ข่าวแล้ว และจะส่งเข้ากลุ่ม LINE %(num)d กลุ่มในรอบส่งถัดไป (flask publish due)",
                queued,
            )
        else:
            message = _("เผยแพร่ข่าวแล้ว")
    elif form.when.data == "schedule":
        message = _("ตั้งเวลาเผยแพร่แล้ว ระบบจะเผยแพร่เมื่อ %(when)s", when=display_datetime(when_at))
    elif form.when.data == "draft":
        message = _("บันทึกร่างแล้ว")
    else:
        message = _("บันทึกการแก้ไขแล้ว")
    flash(message, "success")
    return redirect(url_for("publishing.staff_post", post_id=item.id))


@bp.route("/staff/posts/<int:post_id>")
@writers
def staff_post(post_id: int):
    item = _get_post(post_id)
    messages = db.session.scalars(
        select(LineGroupMessage)
        .where(LineGroupMessage.post_id == item.id)
        .order_by(LineGroupMessage.sent_at)
    ).all()
    return render_template(
        "publishing/staff_post.html",
        post=item,
        line_on=operations.line_enabled(),
        feedback_form=FeedbackForm(obj=item.feedback),
        group_messages=messages,
        facebook_delivery=_facebook_delivery(item),
        facebook_on=operations.facebook_enabled(),
    )


@bp.route("/staff/posts/<int:post_id>/feedback", methods=["GET", "POST"])
@writers
def feedback(post_id: int):
    item = _get_post(post_id)
    form = FeedbackForm(obj=item.feedback)
    if item.state != "published":
        flash(_("บันทึกผลการติดตามได้เมื่อข่าวเผยแพร่แล้ว"), "warning")
        return redirect(url_for("publishing.staff_post", post_id=item.id))
    if form.validate_on_submit():
        operations.record_feedback(
            item,
            read_count=form.read_count.data or 0,
            comment_count=form.comment_count.data or 0,
            notes=form.notes.data or "",
            user_id=current_user.id,
        )
        return saved(_("บันทึกผลการติดตามแล้ว"), url_for("publishing.staff_post", post_id=item.id))
    return render_template("publishing/feedback_form.html", post=item, form=form)


@bp.route("/staff/posts/<int:post_id>/deliveries/<int:delivery_id>/retry", methods=["POST"])
@writers
def retry_delivery(post_id: int, delivery_id: int):
    item = _get_post(post_id)
    delivery = db.session.get(LineDelivery, delivery_id)
    if delivery is None or delivery.post_id != item.id:
        abort(404)
    return _retry(
        item,
        delivery,
        sent=_("ส่งเข้ากลุ่มนี้สำเร็จแล้ว ไม่ต้องส่งซ้ำ"),
        queued=_(
            "จะลองส่งเข้ากลุ่ม %(group)s อีกครั้งในรอบส่งถัดไป (ใช้ retry key เดิม จึงไม่ส่งซ้ำ)",
            group=delivery.group.name,
        ),
    )


@bp.route("/staff/posts/<int:post_id>/facebook/retry", methods=["POST"])
@writers
def retry_facebook(post_id: int):
    item = _get_post(post_id)
    delivery = _facebook_delivery(item)
    if delivery is None:
        abort(404)
    return _retry(
        item,
        delivery,
        sent=_("โพสต์ลงเพจ Facebook สำเร็จแล้ว ไม่ต้องส่งซ้ำ"),
        queued=_("จะลองโพสต์ลงเพจ Facebook อีกครั้งในรอบส่งถัดไป (flask publish due)"),
    )


def _facebook_delivery(post: Post) -> FacebookDelivery | None:
    return db.session.scalars(
        select(FacebookDelivery).where(FacebookDelivery.post_id == post.id)
    ).first()


def _retry(post: Post, delivery: LineDelivery | FacebookDelivery, sent: str, queued: str):
    """Queue a stopped delivery of the post again, unless it was sent or its image would be
    refused; ``sent`` and ``queued`` are the flashed messages."""
    if delivery.status == "sent":
        flash(sent, "info")
    elif operations.image_refused(post):
        flash(operations.image_refused(post), "danger")
    else:
        operations.retry_now(delivery)
        db.session.commit()
        flash(queued, "success")
    return redirect(url_for("publishing.staff_post", post_id=post.id))


# --- staff: LINE groups and deliveries -------------------------------------------------------


@bp.route("/staff/line")
@writers
def line_status():
    groups = db.session.scalars(select(LineGroup).order_by(LineGroup.name)).all()
    stmt = (
        select(LineDelivery)
        .join(Post)
        .where(LineDelivery.status.in_(("pending", "retry", "failed")))
        .order_by(LineDelivery.status.desc(), LineDelivery.next_attempt_at)
    )
    office_ids = current_user.visible_office_ids()
    if office_ids is not None:
        stmt = stmt.where(Post.office_id.in_(office_ids))
    open_deliveries = db.session.scalars(stmt.limit(200)).all()
    return render_template(
        "publishing/line.html",
        groups=groups,
        deliveries=open_deliveries,
        line_on=operations.line_enabled(),
        api_base=current_app.config["LINE_API_BASE"],
        webhook_url=_webhook_url(),
        webhook_on=bool(current_app.config.get("LINE_CHANNEL_SECRET")),
        facebook_on=operations.facebook_enabled(),
    )


def _webhook_url() -> str:
    return absolute_url("publishing.line_webhook")


@bp.route("/staff/line/groups/new", methods=["GET", "POST"])
@bp.route("/staff/line/groups/<int:group_pk>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_group(group_pk: int | None = None):
    group, form = edit_form(LineGroup, group_pk, LineGroupForm)
    if form.validate_on_submit():
        with show_errors(form, operations.PublishingError, "group_id"):
            group = operations.save_line_group(
                group, form.name.data, form.group_id.data, bool(form.active.data)
            )
            return saved(
                _("บันทึกกลุ่ม LINE “%(group)s” แล้ว", group=group.name),
                url_for("publishing.line_status"),
            )
    return render_template("publishing/group_form.html", form=form, group=group)


# --- staff: the plan and the monthly summary -------------------------------------------------


@bp.route("/staff/publishing/plan")
@readers
def plan():
    period, errors = plan_period(request.args.get("start"), request.args.get("end"))
    for error in errors:
        flash(error, "warning")
    result = build_plan(period, current_user.visible_office_ids())
    return render_template(
        "publishing/plan.html",
        plan=result,
        start=request.args.get("start", ""),
        end=request.args.get("end", ""),
    )


def _month_or_404(text: str) -> date:
    """The first day of the month a summary URL names ("2025-04"); 404 for anything else."""
    try:
        month = datetime.strptime(text, "%Y-%m")
    except ValueError:
        abort(404)
    if not bounded_int(month.year, 1900, 9000):  # 9999-12 has no month after it
        abort(404)
    return month.date()


@bp.route("/staff/publishing/summary/<month>")
@readers
def month_summary(month: str):
    """The month's posts and feedback, as a page (and as a PDF for the supervisor)."""
    first_day = _month_or_404(month)
    period = month_period(first_day)
    office_ids = current_user.visible_office_ids()
    result = build_plan(period, office_ids)
    posts = month_posts(first_day, office_ids)
    return render_template(
        "publishing/summary.html",
        plan=result,
        month=first_day,
        month_key=month,
        posts=posts,
        post_messages=post_group_messages([p.id for p in posts]),
        pdf_ready=_pdf_available(),
    )


@bp.route("/staff/publishing/summary/<month>.pdf")
@readers
def month_summary_pdf(month: str):
    first_day = _month_or_404(month)
    if not _pdf_available():
        abort(404)
    from .summary_pdf import build_summary_pdf

    data = build_summary_pdf(first_day, current_user.visible_office_ids(), current_user)
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="line-summary-{month}.pdf"'
    return response


def _pdf_available() -> bool:
    try:
        from . import summary_pdf  # noqa: F401
    except ImportError:
        return False
    return True


# --- template helpers ------------------------------------------------------------------------


@bp.app_template_global("absolute_url")
def _absolute_url(endpoint: str, **values) -> str:
    return absolute_url(endpoint, **values)


@bp.app_template_filter("reach")
def reach(value: int | None) -> str:
    """A LINE statistic: the number, or "< 20" where LINE gives null (fewer than 20 people)."""
    return "< 20" if value is None else f"{value:,}"
