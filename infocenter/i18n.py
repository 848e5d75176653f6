"""Thai by default, English as a choice: the locale of a request and the language switch.

Source strings are Thai (the office's working language); `infocenter/translations/en` holds the
English catalogue. Dates follow the language: Buddhist Era in Thai, Common Era in English.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Flask, has_request_context, redirect, request, session, url_for
from flask_babel import Babel, get_locale, gettext, lazy_gettext

from . import thai

LANGUAGES = {"th": "ไทย", "en": "English"}
babel = Babel()
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The language chosen in this session, else Thai."""
    lang = session.get("lang") if has_request_context() else None
    return lang if lang in LANGUAGES else "th"


def current_language() -> str:
    """ "th" or "en" for the current request ("th" outside a request)."""
    if not has_request_context():  # CLI, PDF building: Thai
        return "th"
    return str(get_locale() or "th")[:2]


@bp.route("/lang/<code>", methods=["POST"])
def switch(code: str):
    """Remember the chosen language in the session and go back to the page."""
    from .urls import safe_next

    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def code_label(labels: dict, key: str | None, default: str = "") -> str:
    """The label of a code in the page's language (the code itself when unknown; ``default`` for
    none). Labels are lazy strings, or plain Thai msgids (marked with ``N_``)."""
    if not key:
        return default
    value = labels.get(key, key)
    return gettext(value) if type(value) is str else str(value)


def lazy_label(value):
    """A label as a lazy string, whether it is one already or a plain Thai msgid."""
    return lazy_gettext(value) if type(value) is str else value


class CodeLabel:
    """A model's ``…_label``: ``status_label = CodeLabel(STATUSES, "status")`` reads as
    ``code_label(STATUSES, obj.status)``, the one way a stored code is shown to people."""

    def __init__(self, labels: dict, attribute: str):
        self.labels, self.attribute = labels, attribute

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return code_label(self.labels, getattr(obj, self.attribute))


def display_date(
    value: date | datetime | None, style: str = "long", thai_digits: bool | None = None
) -> str:
    """A date for people: BE in Thai ("๒๙ เมษายน ๒๕๖๓"), CE in English ("29 April 2020")."""
    if value is None:
        return ""
    if current_language() == "en":
        d = thai.to_local(value).date() if isinstance(value, datetime) else value
        month = _EN_MONTHS[d.month - 1]
        return f"{d.day} {month if style == 'long' else month[:3]} {d.year}"
    return thai.thai_date(value, style=style, thai=thai_digits)


def display_month(value: date | datetime | str, short: bool = False) -> str:
    """A month for people: ``thai.month_label`` in Thai ("พฤษภาคม ๒๕๖๓", short "พ.ค. 2563"),
    "May 2020" (short "Sep 2020") in English. Takes a date in the month or "2020-05"."""
    style = "short" if short else "long"
    if current_language() == "en":
        if isinstance(value, str):
            value = date.fromisoformat(f"{value}-01")
        return display_date(value, style).split(" ", 1)[1]
    return thai.month_label(value, style=style)


def display_year(value: date | int) -> int:
    """A calendar year for people: BE on Thai pages (2563), CE on English pages (2020). Takes a
    date or a CE year."""
    if current_language() == "en":
        return value if isinstance(value, int) else value.year
    return thai.be_year(value)


def display_quarter(fq: thai.FiscalQuarter) -> str:
    """A fiscal quarter for people: "ไตรมาสที่ ๓ ปีงบประมาณ ๒๕๖๓" (``FiscalQuarter.label``) in Thai,
    "Quarter 3, fiscal year B.E. 2563" in English (Thai fiscal years are named by their BE year)."""
    return gettext(
        "ไตรมาสที่ %(quarter)s ปีงบประมาณ %(year)s",
        quarter=display_digits(fq.quarter),
        year=display_digits(fq.year),
    )


def display_datetime(value: datetime | None) -> str:
    """A date and time for people, in the office's zone."""
    if value is None:
        return ""
    if current_language() == "en":
        return f"{display_date(value, 'short')} {thai.to_local(value):%H:%M}"
    return thai.thai_datetime(value)


def display_digits(value: object) -> str:
    """Thai digits on Thai pages ("๙(๑)"), Arabic digits on English pages ("9(1)")."""
    if current_language() == "en":
        return thai.arabic_digits(value)
    return thai.thai_digits(value)


def _language_from_link() -> None:
    """A link carrying ?lang=en (the status link in an English e-mail) opens the page, and the
    session, in that language; an unknown value is ignored."""
    code = request.args.get("lang")
    if code in LANGUAGES and request.method == "GET":
        session["lang"] = code


def init_app(app: Flask) -> None:
    """Bind Babel and the date filters that follow the language."""
    app.before_request(_language_from_link)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "th")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Bangkok")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["thaidate"] = lambda v, thai_digits=True: display_date(
        v, "long", thai_digits
    )
    app.jinja_env.filters["thaidate_short"] = lambda v, thai_digits=False: display_date(
        v, "short", thai_digits
    )
    app.jinja_env.filters["thaidatetime"] = display_datetime
    app.jinja_env.filters["thaidigits"] = display_digits
    app.jinja_env.filters["month"] = display_month
    app.jinja_env.filters["quarter"] = display_quarter
    app.jinja_env.filters["year"] = display_year
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language)
