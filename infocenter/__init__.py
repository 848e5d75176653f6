"""infocenter: a Section 9 information center (ศูนย์ข้อมูลข่าวสาร) for Thai government offices."""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

from flask import Flask

from .config import default_config, env_overrides, load_or_create_secret_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Feature blueprints, in the order their URLs are matched. Each module has a ``bp``.
BLUEPRINTS = (
    "infocenter.main.views",
    "infocenter.i18n",
    "infocenter.auth.views",
    "infocenter.admin.views",
    "infocenter.counter.views",
    "infocenter.privacy.views",
    "infocenter.catalogue.views",
    "infocenter.catalogue.api",
    "infocenter.inquiries.views",
    "infocenter.publishing.views",
    "infocenter.profile.views",
    "infocenter.dashboard.views",
    "infocenter.ops.views",
    "infocenter.reports.views",
    "infocenter.integrity.views",
)

# Click groups: ``flask users``, ``flask offices``, ``flask demo`` ...
COMMANDS = (
    "infocenter.auth.commands:users_cli",
    "infocenter.admin.commands:offices_cli",
    "infocenter.demo.commands:demo_cli",
    "infocenter.counter.commands:counter_cli",
    "infocenter.privacy.commands:privacy_cli",
    "infocenter.catalogue.commands:index_cli",
    "infocenter.inquiries.commands:inquiries_cli",
    "infocenter.publishing.commands:publish_cli",
    "infocenter.reports.commands:report_cli",
    "infocenter.usage.commands:usage_cli",
    "infocenter.ops.commands:backup_cmd",
    "infocenter.ops.commands:restore_cmd",
    "infocenter.integrity.commands:plan_cli",
)

# Modules whose models must be imported so the metadata (and Alembic) knows every table.
MODEL_MODULES = (
    "infocenter.audit",
    "infocenter.admin.models",
    "infocenter.auth.models",
    "infocenter.catalogue.models",
    "infocenter.inquiries.models",
    "infocenter.publishing.models",
    "infocenter.profile.models",
    "infocenter.counter.models",
    "infocenter.usage.models",
    "infocenter.reports.models",
    "infocenter.reports.jobs",
    "infocenter.idempotency",
    "infocenter.importmap",
    "infocenter.integrity.models",
)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config → extensions → blueprints → errors → commands."""
    instance_path = os.environ.get("INFOCENTER_INSTANCE") or str(PROJECT_ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    """Defaults, then the environment, then the test config; make the folders the app writes."""
    app.config.from_mapping(default_config(app.instance_path))
    app.config.update(env_overrides())
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_UPLOAD_MB"]) * 1024 * 1024 + 64 * 1024
    if app.config["PUBLIC_BASE_URL"].startswith("https://"):
        # Served over HTTPS: cookies never travel over plain HTTP.
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    for key in ("UPLOAD_DIR", "REPORTS_DIR"):
        Path(app.config[key]).mkdir(parents=True, exist_ok=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def register_extensions(app: Flask) -> None:
    from . import sqlite_tuning  # noqa: F401  (pragmas on every SQLite connection)
    from .extensions import bootstrap, csrf, db, limiter, login_manager, migrate

    for name in MODEL_MODULES:
        import_module(name)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    from . import idempotency
    from .forms import use_thai_validator_messages

    # WTForms' own messages (Length, Email, CSRF...) through the catalogue
    use_thai_validator_messages()
    idempotency.init_app(app)  # after CSRF: a forged POST is refused before its token is claimed


def register_blueprints(app: Flask) -> None:
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)


def register_security(app: Flask) -> None:
    from .security import init_security

    init_security(app)  # after the blueprints: rate limits are applied to their routes by URL


def register_errorhandlers(app: Flask) -> None:
    from .errors import register_errorhandlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from . import assets, i18n, nav, thai
    from .admin.models import OFFICE_KINDS, layout_heading
    from .auth.roles import ROLE_LABELS

    i18n.init_app(app)  # date filters that follow the language: BE in Thai, CE in English
    assets.init_app(app)  # asset_url(): fingerprinted static URLs, their cache lifetimes and gzip
    app.jinja_env.filters["number"] = lambda v, decimals=0: thai.format_number(v, decimals=decimals)
    app.jinja_env.globals.update(ROLE_LABELS=ROLE_LABELS, OFFICE_KINDS=OFFICE_KINDS)

    @app.context_processor
    def _layout():
        name, demo = layout_heading()  # the main office's name heads every page
        return {
            "center_name": name or app.config["OFFICE_NAME"],
            "demo_mode": demo,
            "view_functions": app.view_functions,
            **nav.context(),
        }


def register_commands(app: Flask) -> None:
    for spec in COMMANDS:
        module, _, attr = spec.partition(":")
        app.cli.add_command(getattr(import_module(module), attr))
