from infocenter import create_app


def test_config_from_test_config(app):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith(("sqlite", "postgresql"))


def test_defaults_without_env(tmp_path, monkeypatch):
    monkeypatch.setenv("INFOCENTER_INSTANCE", str(tmp_path / "inst"))
    for key in ("DATABASE_URL", "SECRET_KEY", "UPLOAD_DIR", "REPORTS_DIR"):
        monkeypatch.delenv(key, raising=False)
    app = create_app()
    assert not app.testing
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{tmp_path / 'inst' / 'infocenter.sqlite'}"
    )
    # The secret key is generated once into the instance folder and reused.
    key = (tmp_path / "inst" / "secret_key").read_text()
    assert len(key) == 64 and app.config["SECRET_KEY"] == key
    assert create_app().config["SECRET_KEY"] == key
    assert oct((tmp_path / "inst" / "secret_key").stat().st_mode)[-3:] == "600"
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.config.get("SESSION_COOKIE_SECURE")


def test_env_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("INFOCENTER_INSTANCE", str(tmp_path / "inst"))
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/infocenter")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("REPORTS_DIR", str(tmp_path / "rep"))
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://info.example.go.th")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/infocenter"
    assert app.config["SECRET_KEY"] == "from-env"
    assert (tmp_path / "rep").is_dir()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_home_page_in_thai_with_office_name(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="th">' in page
    assert "ศูนย์ข้อมูลข่าวสาร" in page and "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์" in page


def test_first_office_created_from_settings(app, client, runner):
    # A GET writes nothing (issue 19): the home page shows the office named in the settings; the
    # office itself is created by setup (`flask offices setup`, admin.operations).
    from infocenter.admin.models import Office
    from infocenter.extensions import db

    assert "นครสวรรค์" in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Office)).all() == []
    result = runner.invoke(args=["offices", "setup"])
    assert result.exit_code == 0 and "created main office NSW" in result.output
    with app.app_context():
        offices = db.session.scalars(db.select(Office)).all()
        assert [(o.code, o.kind) for o in offices] == [("NSW", "province")]


def test_static_assets_served_locally(client):
    page = client.get("/").get_data(as_text=True)
    assert "cdn." not in page and "https://" not in page.split("<body")[0]
    for url in (
        "/static/css/app.css",
        "/fonts/Sarabun-Regular.ttf",
        "/bootstrap/static/css/bootstrap.min.css",
    ):
        with client.get(url) as response:
            assert response.status_code == 200, url
    assert client.get("/fonts/..%2Fsecret").status_code == 404
