"""Route × role: who may open which page. One table, extended by every feature.

Each row: (path, {role: expected status}). Roles: anonymous, clerk, supervisor, admin.
"login" means the anonymous visitor is redirected to the login page.
"""

import pytest

LOGIN = "login"
OPEN = {"anonymous": 200, "clerk": 200, "supervisor": 200, "admin": 200}
STAFF = {"anonymous": LOGIN, "clerk": 200, "supervisor": 200, "admin": 200}
ADMIN_ONLY = {"anonymous": LOGIN, "clerk": 403, "supervisor": 403, "admin": 200}
CLERK_ADMIN = {"anonymous": LOGIN, "clerk": 200, "supervisor": 403, "admin": 200}
SUPERVISOR_ADMIN = {"anonymous": LOGIN, "clerk": 403, "supervisor": 200, "admin": 200}

ROUTES = [
    # --- foundation ---
    ("/", OPEN),
    ("/login", {"anonymous": 200, "clerk": 302, "supervisor": 302, "admin": 302}),
    ("/staff", STAFF),
    ("/account/password", STAFF),
    ("/admin/", ADMIN_ONLY),
    ("/admin/offices", ADMIN_ONLY),
    ("/admin/offices/new", ADMIN_ONLY),
    ("/admin/users", ADMIN_ONLY),
    ("/admin/users/new", ADMIN_ONLY),
    ("/admin/settings", ADMIN_ONLY),
    ("/admin/audit", ADMIN_ONLY),
    ("/about", OPEN),
    ("/admin/profile", ADMIN_ONLY),
    ("/dashboard", STAFF),
    # --- catalogue (issue 3) ---
    ("/search", OPEN),
    ("/search?q=แผน&category=9(3)", OPEN),
    ("/categories", OPEN),
    ("/documents/999", {"anonymous": 404, "clerk": 404, "supervisor": 404, "admin": 404}),
    ("/api/v1/documents?q=แผน", OPEN),
    ("/api/v1/categories", OPEN),
    ("/staff/index", STAFF),
    ("/staff/index/new", CLERK_ADMIN),
    ("/staff/index/999", {"anonymous": LOGIN, "clerk": 404, "supervisor": 404, "admin": 404}),
    ("/staff/index/999/edit", {"anonymous": LOGIN, "clerk": 404, "supervisor": 403, "admin": 404}),
    ("/staff/index/import", CLERK_ADMIN),
    ("/staff/index/export?format=csv", STAFF),
    ("/staff/index/completeness", STAFF),
    ("/staff/index/categories", ADMIN_ONLY),
    ("/staff/index/categories/new", ADMIN_ONLY),
    ("/staff/index/categories/1/edit", ADMIN_ONLY),
    # --- counter and usage (issue 4) ---
    ("/counter", CLERK_ADMIN),  # supervisors and anonymous visitors cannot log visits
    ("/counter/import", CLERK_ADMIN),
    ("/counter/lists", ADMIN_ONLY),
    ("/counter/lists/types/new", ADMIN_ONLY),
    ("/counter/lists/purposes/new", ADMIN_ONLY),
    ("/counter/fees/new", ADMIN_ONLY),
    ("/privacy", OPEN),
    # --- requests (issue 5) ---
    ("/requests/new", OPEN),
    ("/requests/new/done", {"anonymous": 302, "clerk": 302, "supervisor": 302, "admin": 302}),
    ("/requests/status", OPEN),
    ("/requests/status?no=NSW-2568-00001&key=guess", OPEN),
    ("/requests/", STAFF),
    ("/requests/?status=overdue", STAFF),
    ("/requests/mine", STAFF),
    ("/requests/create", CLERK_ADMIN),
    ("/requests/holidays", ADMIN_ONLY),
    ("/requests/1", {"anonymous": LOGIN, "clerk": 404, "supervisor": 404, "admin": 404}),
    # --- reports (issue 6) ---
    ("/reports/", STAFF),
    ("/reports/1.pdf", {"anonymous": LOGIN, "clerk": 404, "supervisor": 404, "admin": 404}),
    (
        "/reports/printed-index.pdf",
        {"anonymous": LOGIN, "clerk": 302, "supervisor": 302, "admin": 302},
    ),
    ("/reports/printed-index.pdf?office=1", STAFF),
    # --- publishing (issue 9) ---
    ("/news", OPEN),
    ("/news/999999", {"anonymous": 404, "clerk": 404, "supervisor": 404, "admin": 404}),
    ("/feeds/news.atom", OPEN),
    ("/feeds/index.atom", OPEN),
    ("/staff/posts", CLERK_ADMIN),
    ("/staff/posts/new", CLERK_ADMIN),
    ("/staff/line", CLERK_ADMIN),
    ("/staff/line/groups/new", ADMIN_ONLY),
    ("/staff/publishing/plan", STAFF),
    ("/staff/publishing/summary/2020-05", STAFF),
    ("/staff/publishing/summary/2020-05.pdf", STAFF),
    # --- integrity plan (issue 18) ---
    ("/staff/plan", STAFF),
    ("/staff/plan?status=late", STAFF),
    ("/staff/plan/import", CLERK_ADMIN),
    (
        "/staff/plan/activities/999",
        {"anonymous": LOGIN, "clerk": 404, "supervisor": 404, "admin": 404},
    ),
    ("/admin/indicators", ADMIN_ONLY),
    ("/transparency", OPEN),
    ("/transparency/indicators.csv", OPEN),
    ("/transparency.pdf", {"anonymous": 404, "clerk": 404, "supervisor": 404, "admin": 404}),
    # --- operations (issue 8) ---
    ("/healthz", OPEN),
]

ROLES = ("anonymous", "clerk", "supervisor", "admin")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.app_config(
    PUBLIC_BASE_URL="http://info.example.go.th"
)  # the printed index refuses without
def test_route_role_table(app, client, login_as, role):
    """Every route in the table answers each role as the table says."""
    if role != "anonymous":
        login_as(role)
    failures = []
    for path, expected in ROUTES:
        want = expected[role]
        response = client.get(path)
        if want == LOGIN:
            ok = response.status_code == 302 and "/login" in response.headers.get("Location", "")
        else:
            ok = response.status_code == want
        if not ok:
            failures.append(f"{path}: {role} got {response.status_code}, expected {want}")
    assert not failures, "\n".join(failures)
