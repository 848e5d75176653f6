"""Thai by default, English as a choice remembered in the session; dates follow the language."""

from datetime import date

from babel.messages.pofile import read_po

from tests.factories import CATALOG


def test_thai_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="th">' in page and "ข้ามไปยังเนื้อหา" in page and ">English</button>" in page


def test_switch_to_english_and_back(client):
    response = client.post("/lang/en", data={"next": "/about"})
    assert response.status_code == 302 and response.headers["Location"] == "/about"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Skip to content" in page and "Your rights" in page and "Staff login" in page
    assert ">ไทย</button>" in page
    client.post("/lang/th", data={"next": "/"})
    assert "ข้ามไปยังเนื้อหา" in client.get("/").get_data(as_text=True)


def test_unknown_language_and_foreign_next_are_ignored(client):
    response = client.post("/lang/xx", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="th">' in client.get("/").get_data(as_text=True)


def test_messages_and_errors_in_english(client, make_user):
    client.post("/lang/en")
    make_user("clerk", username="malee")
    page = client.post("/login", data={"username": "malee", "password": "wrong-password"}).get_data(
        as_text=True
    )
    assert "Wrong username or password" in page and 'for="username">Username<' in page
    assert "Page not found" in client.get("/nope").get_data(as_text=True)


def test_dates_are_buddhist_era_in_thai_and_common_era_in_english(app):
    template = app.jinja_env.from_string("{{ d|thaidate }} | {{ d|thaidate_short }}")
    with app.test_request_context("/"):
        assert template.render(d=date(2020, 4, 29)) == "๒๙ เมษายน ๒๕๖๓ | 29 เม.ย. 2563"
    with app.test_request_context("/") as ctx:
        ctx.session["lang"] = "en"
        assert template.render(d=date(2020, 4, 29)) == "29 April 2020 | 29 Apr 2020"


def test_every_catalogue_entry_is_translated():
    with (CATALOG / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == [], (
        f"untranslated strings (run `make translations`, then translate): {untranslated[:10]}"
    )


def test_stored_codes_are_shown_as_labels_in_the_page_language(app):
    """One rule (i18n.CodeLabel) for every model's ``…_label``: the label in the language of the
    page, whether the table holds lazy strings or plain Thai msgids; an unknown code as itself."""
    from flask_babel import force_locale

    from infocenter.auth.models import User
    from infocenter.catalogue.models import IndexEntry
    from infocenter.counter.models import Visit
    from infocenter.inquiries.models import InquiryGround

    entry = IndexEntry(state="published", disclosure="closed")
    visit, ground = Visit(channel="phone"), InquiryGround(ground="15(5)")
    with app.test_request_context():
        with force_locale("th"):
            assert (entry.state_label, entry.disclosure_label) == ("เผยแพร่", "ไม่เปิดเผย")
            assert visit.channel_label == "โทรศัพท์" and ground.label.startswith("มาตรา ๑๕ (๕)")
            assert User(role="clerk").role_label == "เจ้าหน้าที่ประจำศูนย์"
        with force_locale("en"):
            assert (entry.state_label, visit.channel_label) == ("Published", "Phone")
            assert ground.label == "Section 15(5) personal information"
        assert Visit(channel="fax").channel_label == "fax"
        assert Visit(channel=None).channel_label == ""
