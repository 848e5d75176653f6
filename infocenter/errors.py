"""Error pages in Thai; JSON errors under /api/. Never a stack trace to the public.

Errors a person can cause below the views (a bad date, a step not allowed now, a file of the
wrong type) follow one convention: raise a subclass of ``thai.MessageError`` carrying the Thai
source string marked with ``N_()`` and its values, e.g. ``InquiryError``, ``UploadError``,
``SpreadsheetError``, ``SettingError``, ``ReportError``, ``VisitInputError``, ``LetterError``.
The view catches it and shows ``str(exc)``, which is translated into the page's language when it
is shown. The docstring of ``thai.MessageError`` has the details and the WTForms exception.
"""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("คำขอไม่ถูกต้อง"), _l("ข้อมูลที่ส่งมาไม่ครบหรือไม่ถูกต้อง กรุณากลับไปตรวจสอบแล้วลองอีกครั้ง")),
    403: (_l("ไม่มีสิทธิ์เข้าถึง"), _l("บัญชีของท่านไม่มีสิทธิ์ใช้หน้านี้ หากต้องการใช้ กรุณาติดต่อผู้ดูแลระบบ")),
    404: (_l("ไม่พบหน้าที่ต้องการ"), _l("ลิงก์อาจผิดหรือรายการถูกนำออกแล้ว ลองค้นหาจากหน้าแรกของศูนย์ข้อมูลข่าวสาร")),
    405: (_l("ใช้วิธีเรียกหน้านี้ไม่ถูกต้อง"), _l("กรุณากลับไปหน้าก่อนหน้าแล้วลองใหม่")),
    413: (_l("ไฟล์ใหญ่เกินกำหนด"), _l("ขนาดไฟล์เกินที่ระบบรับได้ กรุณาย่อขนาดหรือแบ่งไฟล์แล้วอัปโหลดใหม่")),
    429: (_l("ส่งคำขอถี่เกินไป"), _l("ระบบได้รับคำขอจากท่านมากเกินไปในเวลาสั้น ๆ กรุณารอสักครู่แล้วลองใหม่")),
    500: (
        _l("ระบบขัดข้อง"),
        _l("ขออภัย เกิดข้อผิดพลาดภายในระบบ เจ้าหน้าที่ได้รับแจ้งแล้ว กรุณาลองใหม่อีกครั้งภายหลัง"),
    ),
}


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify(
            {"error": {"code": code, "title": str(title), "message": str(detail or message)}}
        ), code
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def register_errorhandlers(app: Flask) -> None:
    """Render every HTTP error, a CSRF failure and any uncaught exception as a Thai page."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, _("แบบฟอร์มหมดอายุหรือไม่ได้ส่งจากหน้านี้ กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง"))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code in (301, 302, 303, 307, 308):
            return error
        response = make_response(_render(code))
        if code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)  # as HTTP requires
        return response

    @app.errorhandler(Exception)
    def unhandled(error: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        from .extensions import db

        db.session.rollback()
        return _render(500)
