import pytest


def test_404_in_thai(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such")
    assert response.status_code == 404
    assert response.json["error"]["code"] == 404


def test_500_hides_the_stack_trace(app):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "ระบบขัดข้อง" in page
    assert "secret internals" not in page and "Traceback" not in page


@pytest.mark.app_config(MAX_UPLOAD_MB=1)
def test_413_in_thai(app):
    @app.route("/upload-test", methods=["POST"])
    def upload_test():
        from flask import request

        return str(len(request.get_data()))

    response = app.test_client().post("/upload-test", data=b"x" * (3 * 1024 * 1024))
    assert response.status_code == 413
    assert "ไฟล์ใหญ่เกินกำหนด" in response.get_data(as_text=True)


def test_405_in_thai(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "ใช้วิธีเรียกหน้านี้ไม่ถูกต้อง" in response.get_data(as_text=True)


def _exception_classes():
    import importlib
    import inspect
    import pkgutil

    import infocenter

    for info in pkgutil.walk_packages(infocenter.__path__, "infocenter."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and issubclass(cls, Exception):
                yield cls


def test_every_error_people_read_is_a_message_error_translated_when_shown(app):
    """One convention (thai.MessageError): no exception class carries a message translated when it
    was raised; the request the message is shown in picks the language."""
    from infocenter.inquiries.operations import InquiryError
    from infocenter.thai import N_, MessageError

    value_errors = [c for c in _exception_classes() if issubclass(c, ValueError)]
    assert {c.__name__ for c in value_errors} >= {
        "InquiryError",
        "SettingError",
        "ReportError",
        "VisitInputError",
        "LetterError",
        "UploadError",
        "SpreadsheetError",
    }
    assert [c.__name__ for c in value_errors if not issubclass(c, MessageError)] == []

    with app.app_context():
        error = InquiryError(N_("ค่าธรรมเนียมต้องไม่ติดลบ"))  # raised outside any request
    assert str(error) == "ค่าธรรมเนียมต้องไม่ติดลบ"
    with app.test_request_context("/?lang=en"):
        from flask import session

        session["lang"] = "en"
        assert str(error) == "Fees cannot be negative"
