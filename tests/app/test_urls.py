"""One way to build the site's public addresses: url_for + PUBLIC_BASE_URL, never a guessed host."""

from __future__ import annotations

import pytest

from infocenter.urls import PublicBaseURLMissing, absolute_url, base_url, safe_next


def test_absolute_url_uses_public_base_url_in_the_cli_and_in_requests(app):
    app.config["PUBLIC_BASE_URL"] = "https://info.example.go.th/"
    with app.app_context():
        assert (
            absolute_url("catalogue.document", entry_id=17)
            == "https://info.example.go.th/documents/17"
        )
        assert (
            absolute_url("inquiries.status", no="NSW-2563-0001", key="k k")
            == "https://info.example.go.th/requests/status?no=NSW-2563-0001&key=k+k"
        )
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        assert absolute_url("publishing.post", post_id=3) == "https://info.example.go.th/news/3"


def test_without_public_base_url_a_request_gives_its_host_and_the_cli_refuses_to_guess(app):
    app.config["PUBLIC_BASE_URL"] = ""
    with app.test_request_context("/", base_url="http://info.local:8000"):
        assert absolute_url("publishing.post", post_id=3) == "http://info.local:8000/news/3"
    with app.app_context():
        with pytest.raises(PublicBaseURLMissing, match="PUBLIC_BASE_URL"):
            base_url()
        with pytest.raises(PublicBaseURLMissing):
            absolute_url("catalogue.document", entry_id=1)


def test_printed_index_from_the_cli_without_public_base_url_says_what_to_set(app, runner, tmp_path):
    app.config["PUBLIC_BASE_URL"] = ""
    from infocenter.admin.operations import ensure_main_office
    from infocenter.catalogue.models import Category, IndexEntry
    from infocenter.extensions import db

    with app.app_context():
        category = db.session.scalars(db.select(Category).where(Category.code == "9(3)")).one()
        db.session.add(
            IndexEntry(
                office_id=ensure_main_office().id,
                category_id=category.id,
                title="แผนงาน",
                state="published",
                disclosure="open",
            )
        )
        db.session.commit()
    out = tmp_path / "index.pdf"
    result = runner.invoke(args=["index", "print", "--out", str(out)])
    assert result.exit_code != 0
    assert "PUBLIC_BASE_URL" in result.output and "http://localhost" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/staff", "/staff"),
        ("//evil.example", None),
        ("https://evil.example/", None),
        ("\\\\evil", None),
        ("", None),
        (None, None),
        ("staff", None),
    ],
)
def test_safe_next_lives_in_urls(target, expected):
    assert safe_next(target) == expected
