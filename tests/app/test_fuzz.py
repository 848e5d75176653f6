"""Bad input never breaks the server: every route in ``app.url_map``, every query parameter and
every
form field gets very long strings, control characters, invalid UTF-8, huge and negative numbers and
wrong JSON types — the answer is never a 500, and a refusal carries a Thai message.

Routes, forms and their fields are discovered at run time (url_map + the HTML of each page), so a
route another feature adds tomorrow is fuzzed without touching this file. Example counts are bounded
so the whole file runs in well under a minute per database.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from infocenter.extensions import db
from tests.factories import PASSWORD

THAI = re.compile(r"[\u0E00-\u0E7F]")

# Routes that end the session or only work with a real browser flow; fuzzing them adds nothing.
SKIP_ENDPOINTS = {"static", "auth.logout", "bootstrap.static"}

# Query parameter names used across the features, plus whatever GET forms on the page declare.
COMMON_PARAMS = (
    "q",
    "page",
    "per_page",
    "category",
    "office",
    "fiscal_year",
    "year",
    "month",
    "quarter",
    "start",
    "end",
    "date",
    "sort",
    "status",
    "kind",
    "format",
    "next",
    "lang",
    "token",
    "code",
    "purpose",
    "channel",
    "entry",
    "role",
    "download",
    "days",
    "day",
)

NASTY = [
    "",
    "x" * 20_000,
    "ก่" * 3_000,
    "\x01\x02\x1b[31m\x7f\t\r\n",
    "\u200b\ufeff\u202e",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "2568-13-45",
    "๙๙๙๙",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%",
    "[]",
]

# Percent-escapes that do not decode as UTF-8.
BAD_UTF8 = ["%ff", "%c3%28", "%e0%80%80", "%ed%a0%80", "%f8%88%80%80%80", "%80"]


def nasty_text() -> st.SearchStrategy[str]:
    """Strings that hurt: the fixed list, random unicode with control characters, long runs,
    numbers."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=60,
        ),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.builds(
            lambda ch, n: ch * n,
            st.sampled_from(["ก", "a", "%", "\x1f", "๑"]),
            st.integers(1, 5000),
        ),
    )


# --- discovery ------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> default value
    files: list[str] = field(default_factory=list)


class FormParser(HTMLParser):
    """The forms on a page: action, method, field names with their default values."""

    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.page
            self._form = Form(action=action, method=a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form.files.append(a["name"])
            elif kind in ("checkbox", "radio"):
                self._form.fields.setdefault(a["name"], a.get("value", "y"))
            elif kind not in ("submit", "button", "image", "reset"):
                self._form.fields[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.fields[a["name"]] = ""
        elif tag == "option" and self._select and not self._form.fields.get(self._select):
            self._form.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def seed(app) -> None:
    """A little of everything (through the demo seeders), so ``<int:id>`` routes find real rows."""
    import random as _random

    from infocenter.demo import SeedContext
    from infocenter.demo.commands import run_seed

    with app.app_context():
        ctx = SeedContext(
            rng=_random.Random(9),
            documents=8,
            visits=8,
            online_events=20,
            requests=4,
            echo=lambda *_: None,
        )
        ctx.extra["password"] = PASSWORD
        run_seed(ctx)
        db.session.remove()


def routes(app) -> list:
    return [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP_ENDPOINTS]


def _valid_ids(app, rule) -> dict[str, str]:
    """Argument values that match a real row where possible (id 1..3 exist in the seeded tables)."""
    values = {}
    for name in rule.arguments:
        conv = rule._converters.get(name)
        if isinstance(conv, IntegerConverter):
            values[name] = "1"
        else:
            values[name] = "demo"
    return values


def build_path(rule, values: dict[str, str]) -> str:
    """The rule's path with raw (already escaped) argument text put in."""
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[^:<>]+:)?" + re.escape(name) + r">", value, path)
    return path


def check(response, what: str) -> None:
    """Never a 500; a refusal page or JSON error says something in Thai."""
    status = response.status_code
    # Files (PDFs, spreadsheets) are bytes; only text answers are read as text.
    textual = response.mimetype.startswith("text/") or response.mimetype == "application/json"
    body = (
        response.get_data(as_text=True)
        if textual
        else f"<{response.mimetype}, {len(response.get_data())} bytes>"
    )
    response.close()
    assert status < 500, f"{what} → {status}\n{body[:800]}"
    if status in (400, 413, 422) and response.mimetype in ("text/html", "application/json"):
        assert THAI.search(body), f"{what} → {status} without a Thai message"


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def seeded(app):
    seed(app)
    return app


def _client(app, role: str, make_user):
    client = app.test_client()
    if role != "anonymous":
        username = make_user(role)
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302
    return client


def discover_forms(app, client) -> list[tuple[str, Form]]:
    """Every form on every page reachable with valid-looking ids, keyed by the page it came from."""
    found, seen = [], set()
    for rule in routes(app):
        if "GET" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        path = build_path(rule, _valid_ids(app, rule))
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            response.close()
            continue
        parser = FormParser(path)
        parser.feed(response.get_data(as_text=True))
        response.close()
        for form in parser.forms:
            action = urlsplit(form.action).path or path
            key = (action, form.method, tuple(sorted(form.fields)))
            if action in ("/logout",) or key in seen:
                continue
            seen.add(key)
            form.action = action
            found.append((path, form))
    return found


# --- the tests ------------------------------------------------------------------------------------


def rotations(names, values, n):
    """``n`` parameter sets in which every value lands on some parameter (values rotate over
    names)."""
    return [{name: values[(i + k) % len(values)] for i, name in enumerate(names)} for k in range(n)]


# Query strings stay under gunicorn's 8 KB request line, as they would in production.
QUERY_NASTY = [v if len(v) < 100 else v[:2500] if v.isascii() else v[:300] for v in NASTY]
QUERY_SETS = [
    {k: v for k, v in q.items() if len(v) < 100 or k in ("q", "page", "office", "next")}
    for q in rotations(COMMON_PARAMS, QUERY_NASTY, 2)
]
BAD_UTF8_QUERY = "&".join(
    f"{name}={BAD_UTF8[i % len(BAD_UTF8)]}" for i, name in enumerate(COMMON_PARAMS)
)
# ("-1" never matches an <int:…> rule, so it costs a request and tests only the router.)
PATH_VALUES = ["999999", "9" * 40, "%ff%fe..%2f..%2fetc", quote("ก" * 200 + "\x01\x1f")]


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


def _reachable(client, rule, role: str) -> bool:
    """For a visitor, skip staff routes that only redirect to the login page (nothing is parsed)."""
    if role != "anonymous":
        return True
    response = client.open(
        build_path(rule, _valid_ids(client.application, rule)), method=_method(rule)
    )
    response.close()
    return not (
        response.status_code in (302, 401, 403)
        and "/login" in response.headers.get("Location", "/login")
    )


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_route_parameter_and_form(seeded, make_user, role):
    """Each route: every nasty value on some query parameter, invalid UTF-8 in the query, bad path
    arguments (missing, negative, huge, not UTF-8); then every form on every page with nasty
    values."""
    app = seeded
    client = _client(app, role, make_user)
    checked = 0
    for rule in routes(app):
        if not _reachable(client, rule, role):
            continue
        checked += 1
        path = build_path(rule, _valid_ids(app, rule))
        method = _method(rule)
        for query in QUERY_SETS:
            check(
                client.open(path, method=method, query_string=query),
                f"{method} {path} ?{query!r}"[:400],
            )
        check(
            client.open(path, method=method, query_string=BAD_UTF8_QUERY), f"{method} {path}?%ff…"
        )
        for value in PATH_VALUES if rule.arguments else ():
            bad_path = build_path(rule, {name: value for name in rule.arguments})
            check(client.open(bad_path, method=method), f"{method} {bad_path[:80]}")
    assert checked >= (5 if role == "anonymous" else 20)

    forms = discover_forms(app, client)
    assert forms, "no form found at all — discovery is broken"
    for page, form in forms:
        for data in rotations(sorted(form.fields), NASTY, 2) if form.fields else [{}]:
            if form.method == "post":
                for name in form.files:
                    data[name] = (
                        io.BytesIO(b"MZ\x90\x00 not really a pdf"),
                        "../../evil\x1f.pdf.exe",
                    )
                response = client.post(form.action, data=data, content_type="multipart/form-data")
            else:
                response = client.get(form.action, query_string=data)
            check(response, f"{form.method.upper()} {form.action} (form on {page}) {data!r}"[:600])


def test_property_random_forms_and_queries(seeded, make_user):
    """Hypothesis, as an administrator (who reaches every page): random forms with random subsets of
    fields set to random nasty text, and random routes with random query parameters."""
    app = seeded
    client = _client(app, "admin", make_user)
    forms = discover_forms(app, client)
    get_rules = [r for r in routes(app) if "GET" in r.methods]

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(data=st.data())
    def run(data):
        if data.draw(st.booleans()):
            page, form = data.draw(st.sampled_from(forms))
            values = dict(form.fields)
            for name in form.fields:
                if data.draw(st.booleans()):
                    values[name] = data.draw(nasty_text())
            if form.method == "post":
                response = client.post(form.action, data=values)
            else:
                response = client.get(form.action, query_string=values)
            check(response, f"{form.method.upper()} {form.action} {values!r}"[:600])
        else:
            rule = data.draw(st.sampled_from(get_rules))
            keys = st.one_of(
                st.sampled_from(COMMON_PARAMS),
                st.text(
                    alphabet=st.characters(
                        blacklist_categories=("Cs",), blacklist_characters="\x00"
                    ),
                    min_size=1,
                    max_size=8,
                ),
            )
            params = data.draw(st.dictionaries(keys, nasty_text(), max_size=5))
            path = build_path(rule, _valid_ids(app, rule))
            check(client.get(path, query_string=params), f"GET {path} {params!r}"[:600])

    run()


WRONG_JSON = [
    None,
    1,
    -1,
    10**30,
    1.5,
    "x" * 10_000,
    [],
    [1, "a"],
    {},
    {"q": {"$gt": ""}},
    True,
    {"page": "abc", "per_page": -5, "category": [1, 2], "id": None},
]


def test_api_with_wrong_types(seeded, make_user):
    """The JSON API: wrong types in query and body, invalid JSON; JSON errors, never a 500."""
    app = seeded
    client = _client(app, "anonymous", make_user)
    api_rules = [r for r in routes(app) if r.rule.startswith("/api/")]
    if not api_rules:
        pytest.skip("no /api/ routes yet")
    rng = random.Random(8)
    for rule in api_rules:
        path = build_path(rule, _valid_ids(app, rule))
        for query in (
            {"page": "abc"},
            {"page": "-1"},
            {"page": str(10**30)},
            {"per_page": "0"},
            {"per_page": "-100"},
            {"per_page": str(10**12)},
            {"per_page": "1.5"},
            {"fiscal_year": "สองห้าหกแปด"},
            {"fiscal_year": "-2568"},
            {"category": "9(99)"},
            {"office": "'; DROP TABLE offices; --"},
            {"q": "ก" * 5000},
        ):
            response = client.get(path, query_string=query)
            assert response.mimetype == "application/json", (
                f"GET {path} {query} → {response.mimetype}"
            )
            check(response, f"GET {path} {query}")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for body in WRONG_JSON:
                check(
                    client.open(path, method=method, json=body),
                    f"{method} {path} json={body!r}"[:200],
                )
            garbage = bytes(rng.randrange(256) for _ in range(64))
            check(
                client.open(path, method=method, data=garbage, content_type="application/json"),
                f"{method} {path} invalid JSON",
            )
