"""Static assets: fingerprinted URLs, long cache lifetimes, gzip for text, WOFF2 fonts.

``asset_url('css/app.css')`` in a template gives ``/static/css/app.css?v=<hash>``, the hash being
the first 12 hex digits of the file's SHA-256: a changed file gets a new URL, so a browser may
keep an asset for a year (``immutable``) — staff browsers included, since static files hold no
personal data (``security._security_headers`` leaves them out of its ``no-store``). A request
without the current hash gets a one-day lifetime and revalidates by ETag.

Text assets (CSS, JavaScript, SVG) are gzipped by the app when the browser accepts it; behind
nginx, ``docs/nginx.conf.example`` serves and compresses the same paths itself. Sarabun is served
as WOFF2 from ``static/fonts/`` (converted from fontpkg-sarabun's TTF by ``flask assets fonts``;
OFL-1.1, licence beside the files).
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import click
from flask import Flask, current_app, request, url_for
from flask.cli import AppGroup
from werkzeug.security import safe_join

# Endpoints that serve files: the app's static folder, Bootstrap-Flask's, the Sarabun TTF route.
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static", "main.font"})
LONG_MAX_AGE = 365 * 24 * 3600
SHORT_MAX_AGE = 24 * 3600
COMPRESSIBLE = frozenset(
    {
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/svg+xml",
        "application/json",
        "text/plain",
    }
)
MIN_GZIP_BYTES = 512
WEB_FONTS = ("Regular", "SemiBold", "Bold")  # the weights app.css uses

_digests: dict[Path, tuple[int, int, str]] = {}  # path -> (mtime_ns, size, hash)
_gzipped: dict[Path, tuple[int, int, bytes]] = {}


def _folder(endpoint: str) -> Path | None:
    if endpoint == "static":
        return Path(current_app.static_folder)
    if endpoint == "bootstrap.static":
        return Path(current_app.blueprints["bootstrap"].static_folder)
    if endpoint == "main.font":
        import fontpkg_sarabun

        return fontpkg_sarabun.ROOT / "files"
    return None


def _file(endpoint: str, filename: str) -> Path | None:
    folder = _folder(endpoint)
    found = safe_join(str(folder), filename) if folder is not None else None
    return Path(found) if found else None


def fingerprint(path: Path) -> str:
    """The first 12 hex digits of the file's SHA-256 (recomputed only when the file changes)."""
    stat = path.stat()
    known = _digests.get(path)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    _digests[path] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def asset_url(filename: str, endpoint: str = "static") -> str:
    """The URL of a static file with its content hash, e.g. /static/css/app.css?v=3f2a1b9c0d1e."""
    path = _file(endpoint, filename)
    if path is None or not path.is_file():
        return url_for(endpoint, filename=filename)
    key = "name" if endpoint == "main.font" else "filename"
    return url_for(endpoint, **{key: filename}, v=fingerprint(path))


def _gzip(path: Path) -> bytes:
    stat = path.stat()
    known = _gzipped.get(path)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    data = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
    _gzipped[path] = (stat.st_mtime_ns, stat.st_size, data)
    return data


def _static_headers(response):
    """Cache lifetimes for static files, and gzip for text ones."""
    if request.endpoint not in STATIC_ENDPOINTS or response.status_code not in (200, 304):
        return response
    args = request.view_args or {}
    path = _file(request.endpoint, args.get("filename") or args.get("name") or "")
    if path is None or not path.is_file():
        return response
    current = request.args.get("v") == fingerprint(path)
    response.cache_control.public = True
    response.cache_control.max_age = LONG_MAX_AGE if current else SHORT_MAX_AGE
    response.cache_control.immutable = current or None
    response.cache_control.no_cache = None
    response.vary.add("Accept-Encoding")
    if (
        response.status_code == 200
        and response.mimetype in COMPRESSIBLE
        and "Range" not in request.headers
        and "gzip" in request.accept_encodings
        and path.stat().st_size >= MIN_GZIP_BYTES
    ):
        body = _gzip(path)
        if hasattr(response.response, "close"):
            response.response.close()  # the file send_file opened: the gzipped copy goes instead
        response.direct_passthrough = False
        response.response = [body]
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(body))
        etag, _weak = response.get_etag()
        if etag:
            response.set_etag(etag, weak=True)  # another representation of the same file
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
    app.after_request(_static_headers)
    app.cli.add_command(assets_cli)


assets_cli = AppGroup("assets", help="Static files (CSS, JavaScript, fonts).")


@assets_cli.command("fonts")
def fonts_command() -> None:
    """Convert the Sarabun weights the pages use from fontpkg-sarabun's TTF to WOFF2 in
    static/fonts."""
    import fontpkg_sarabun
    from fontTools.ttLib import TTFont  # fonttools + brotli: the dev extra

    out = Path(current_app.static_folder) / "fonts"
    out.mkdir(exist_ok=True)
    for weight in WEB_FONTS:
        source = fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf"
        with TTFont(source) as font:
            font.flavor = "woff2"
            font.save(out / f"Sarabun-{weight}.woff2")
        click.echo(f"{source.name} → fonts/Sarabun-{weight}.woff2")
    (out / "OFL.txt").write_bytes((fontpkg_sarabun.ROOT / "LICENSE").read_bytes())
