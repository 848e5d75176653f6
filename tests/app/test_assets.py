"""Static assets: URLs carry the file's hash and change with it, long cache lifetimes for everyone
(staff included), gzip for text assets, Sarabun as WOFF2, and the nginx example serving every
path."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest

from infocenter import PROJECT_ROOT

URL_RE = re.compile(r'(?:href|src)="(/[^"?]+\?v=[0-9a-f]{12})"')


def asset_urls(html: str) -> list[str]:
    return URL_RE.findall(html)


def test_pages_link_fingerprinted_assets_cached_for_a_year_even_for_staff(client, login_as):
    urls = asset_urls(client.get("/").get_data(as_text=True))
    assert {u.split("?")[0] for u in urls} >= {
        "/static/css/app.css",
        "/static/favicon.svg",
        "/bootstrap/static/css/bootstrap.min.css",
        "/bootstrap/static/js/bootstrap.min.js",
    }
    login_as("clerk")
    staff_page = client.get("/staff")
    assert "no-store" in staff_page.headers["Cache-Control"]  # staff pages themselves: never cached
    assert asset_urls(staff_page.get_data(as_text=True)) == urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response.headers["Cache-Control"]
        assert "no-store" not in cache and "max-age=31536000" in cache and "immutable" in cache, (
            url,
            cache,
        )
        assert "public" in cache
        response.close()


def test_url_changes_when_the_file_changes(app, client, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static)
    app.static_folder = str(static)
    before = dict(u.split("?") for u in asset_urls(client.get("/").get_data(as_text=True)))
    css = static / "css" / "app.css"
    css.write_text(
        css.read_text(encoding="utf-8") + "\n.new-rule { color: red; }\n", encoding="utf-8"
    )
    after = dict(u.split("?") for u in asset_urls(client.get("/").get_data(as_text=True)))
    assert after["/static/css/app.css"] != before["/static/css/app.css"]
    assert after["/static/favicon.svg"] == before["/static/favicon.svg"]  # untouched: same URL
    # The old URL (a page cached before the change) is no longer promised for a year.
    old = client.get("/static/css/app.css?" + before["/static/css/app.css"])
    assert (
        "immutable" not in old.headers["Cache-Control"]
        and "max-age=86400" in old.headers["Cache-Control"]
    )
    assert b".new-rule" in old.data
    new = client.get("/static/css/app.css?" + after["/static/css/app.css"])
    assert "max-age=31536000" in new.headers["Cache-Control"]
    old.close(), new.close()


def test_text_assets_are_gzipped_and_fonts_are_woff2(client):
    url = next(
        u for u in asset_urls(client.get("/").get_data(as_text=True)) if "bootstrap.min.css" in u
    )
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert (
        zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    )
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 4  # bootstrap.min.css: ~230 KB down to ~30 KB
    assert "Content-Encoding" not in plain.headers
    # Revalidation with the gzipped copy's (weak) ETag answers 304.
    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]}
    )
    assert again.status_code == 304
    plain.close(), zipped.close(), again.close()

    css_response = client.get("/static/css/app.css")
    css = css_response.get_data(as_text=True)
    css_response.close()
    fonts = re.findall(r'url\("\.\./fonts/(Sarabun-\w+\.woff2)"\) format\("woff2"\)', css)
    assert fonts == ["Sarabun-Regular.woff2", "Sarabun-SemiBold.woff2", "Sarabun-Bold.woff2"]
    for name in fonts:
        font = client.get(f"/static/fonts/{name}")
        assert font.status_code == 200 and font.data[:4] == b"wOF2"
        assert (
            font.mimetype == "font/woff2" and "Content-Encoding" not in font.headers
        )  # already compressed
        font.close()


def test_woff2_fonts_hold_the_same_glyphs_as_the_packaged_ttf():
    ttlib = pytest.importorskip("fontTools.ttLib")
    import fontpkg_sarabun

    for weight in ("Regular", "SemiBold", "Bold"):
        with (
            ttlib.TTFont(
                PROJECT_ROOT / "infocenter" / "static" / "fonts" / f"Sarabun-{weight}.woff2"
            ) as web,
            ttlib.TTFont(fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf") as ttf,
        ):
            assert web.flavor == "woff2"
            assert web.getBestCmap() == ttf.getBestCmap()
            assert ord("ก") in web.getBestCmap() and web.getGlyphOrder() == ttf.getGlyphOrder()
    assert (
        "Open Font License"
        in (PROJECT_ROOT / "infocenter" / "static" / "fonts" / "OFL.txt").read_text()
    )


def test_nginx_example_serves_every_static_path(app):
    conf = (PROJECT_ROOT / "docs" / "nginx.conf.example").read_text(encoding="utf-8")
    locations = re.findall(r"location\s+(?:[=^~]+\s+)?(\S+)\s*\{", conf)
    static_rules = {
        r.rule
        for r in app.url_map.iter_rules()
        if r.endpoint in ("static", "bootstrap.static", "main.font")
    }
    for rule in static_rules:
        prefix = rule.split("<")[0]
        assert any(prefix.startswith(loc) for loc in locations if loc.endswith("/")), (
            rule,
            locations,
        )
    assert "gzip_static on" in conf or "gzip on" in conf
    assert "immutable" in conf and "font/woff2" in conf
    assert Path(app.static_folder).name == "static"
