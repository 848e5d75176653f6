"""Backup and restore: the database, uploaded files and generated reports in one checked archive.

The archive is a ``.tar.gz`` holding ``database/…`` (an SQLite copy made with the online backup API,
or a ``pg_dump`` custom-format dump), ``uploads/…``, ``reports/…`` and, as the LAST member,
``manifest.json`` with the size and SHA-256 of every other member and the row count of every table.
A truncated archive therefore has no manifest, and a changed byte fails its checksum: restore
refuses both before it touches anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from flask import current_app
from sqlalchemy import func, inspect, select, table, text
from sqlalchemy.engine import URL

from ..cache import clear_all
from ..extensions import db
from ..thai import now_utc

FORMAT = "infocenter-backup"
VERSION = 1
MANIFEST = "manifest.json"
FILE_ROOTS = (("uploads", "UPLOAD_DIR"), ("reports", "REPORTS_DIR"))
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do (Thai)."""


@dataclass
class BackupResult:
    """What a backup or restore did, for the command's summary line."""

    path: Path
    backend: str
    files: int = 0
    bytes: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    revision: str | None = None


# --- backup ---------------------------------------------------------------------------------


def create_backup(out: Path) -> BackupResult:
    """Write a complete backup to ``out`` (atomically: a failed run leaves no file under that
    name)."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    engine = db.engine
    backend = engine.dialect.name
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"ยังสำรองฐานข้อมูลชนิด {backend} ไม่ได้ (รองรับ SQLite และ PostgreSQL)")
    db.session.remove()
    result = BackupResult(path=out, backend=backend)
    result.tables = table_counts()
    result.revision = alembic_revision()
    entries: list[dict] = []
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as tmp:
        dump = Path(tmp) / ("database.sqlite" if backend == "sqlite" else "database.pgdump")
        if backend == "sqlite":
            _sqlite_copy(dump)
        else:
            _pg_dump(engine.url, dump)
        partial = Path(tmp) / "partial.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            entries.append(_add_file(tar, dump, f"database/{dump.name}"))
            for prefix, key in FILE_ROOTS:
                root = Path(current_app.config[key])
                for path in sorted(root.rglob("*")) if root.is_dir() else ():
                    if path.is_file() and not path.is_symlink():
                        entries.append(
                            _add_file(tar, path, f"{prefix}/{path.relative_to(root).as_posix()}")
                        )
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created": now_utc().isoformat(),
                "database": {
                    "backend": backend,
                    "member": f"database/{dump.name}",
                    "revision": result.revision,
                    "tables": result.tables,
                },
                "files": entries,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now_utc().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)  # personal data inside: owner-only
        os.replace(partial, out)
    result.files = len(entries) - 1
    result.bytes = out.stat().st_size
    return result


class _HashingReader:
    """A file wrapper that hashes what tarfile reads from it."""

    def __init__(self, fh):
        self.fh, self.sha = fh, hashlib.sha256()

    def read(self, size=-1):
        data = self.fh.read(size)
        self.sha.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as fh:
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    return {"path": name, "size": info.size, "sha256": reader.sha.hexdigest()}


def table_counts() -> dict[str, int]:
    """Rows per table (the database counts), to check a restore against."""
    names = sorted(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        return {name: conn.scalar(select(func.count()).select_from(table(name))) for name in names}


def alembic_revision() -> str | None:
    """The migration the database is at, or None when it was made without migrations."""
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def _sqlite_copy(dest: Path) -> None:
    """A consistent copy while the app keeps running (SQLite's online backup API)."""
    raw = db.engine.raw_connection()
    try:
        target = sqlite3.connect(dest)
        try:
            raw.driver_connection.backup(target)
            # One self-contained file in the archive, whatever the live database's journal mode.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        raw.close()


# --- PostgreSQL tools -----------------------------------------------------------------------


def _pg_args(url: URL) -> tuple[str, dict]:
    """A libpq connection URI without the password, and an environment carrying it (never argv)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    bare = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    dsn = bare.render_as_string(hide_password=False)
    return dsn, env


def _tool_major(tool: str) -> int:
    """The major version of a PostgreSQL client tool on PATH."""
    exe = shutil.which(tool)
    if not exe:
        raise BackupError(f"ไม่พบโปรแกรม {tool} กรุณาติดตั้งแพ็กเกจ postgresql-client รุ่นเดียวกับเซิร์ฟเวอร์")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"\)\s*(\d+)", out) or re.search(r"(\d+)\.", out)
    if not match:
        raise BackupError(f"อ่านรุ่นของ {tool} ไม่ได้: {out.strip()}")
    return int(match.group(1))


def _check_tool(tool: str) -> None:
    """pg_dump/pg_restore older than the server cannot read it: say which package to install."""
    client = _tool_major(tool)
    with db.engine.connect() as conn:
        server = int(conn.scalar(text("SHOW server_version_num"))) // 10000
    if client < server:
        raise BackupError(
            f"{tool} รุ่น {client} เก่ากว่าเซิร์ฟเวอร์ PostgreSQL รุ่น {server} "
            f"กรุณาติดตั้ง postgresql-client-{server} แล้วลองใหม่"
        )


def _run(cmd: list[str], env: dict, what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BackupError(f"{what} ไม่สำเร็จ: {proc.stderr.strip()[-800:]}")


def _pg_dump(url: URL, dest: Path) -> None:
    _check_tool("pg_dump")
    dsn, env = _pg_args(url)
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={dest}",
            f"--dbname={dsn}",
        ],
        env,
        "pg_dump",
    )


def _pg_restore(url: URL, dump: Path) -> None:
    _check_tool("pg_restore")
    db.session.remove()
    db.engine.dispose()
    # Start from an empty schema, so tables made after the backup do not survive the restore.
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.engine.dispose()
    dsn, env = _pg_args(url)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={dsn}",
            str(dump),
        ],
        env,
        "pg_restore",
    )


# --- restore --------------------------------------------------------------------------------

CORRUPT = "ไฟล์สำรองเสียหายหรือไม่ครบ ({reason}) ระบบไม่ได้เปลี่ยนแปลงข้อมูลใด ๆ กรุณาใช้ไฟล์สำรองชุดอื่น"


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and bool(path.parts)
        and name == path.as_posix()
    )


def read_archive(archive: Path, dest: Path) -> dict:
    """Unpack ``archive`` into ``dest`` and check it against its manifest; returns the manifest."""
    found: dict[str, tuple[int, str]] = {}
    manifest_bytes: bytes | None = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(CORRUPT.format(reason=f"มีรายการที่ไม่อนุญาต: {member.name!r}"))
                if member.name in found or member.name == MANIFEST and manifest_bytes is not None:
                    raise BackupError(CORRUPT.format(reason=f"มีรายการซ้ำ: {member.name}"))
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                target = dest / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                sha, size = hashlib.sha256(), 0
                with target.open("wb") as fh:
                    while chunk := source.read(CHUNK):
                        sha.update(chunk)
                        size += len(chunk)
                        fh.write(chunk)
                found[member.name] = (size, sha.hexdigest())
    except FileNotFoundError:
        raise BackupError(f"ไม่พบไฟล์ {archive}") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(CORRUPT.format(reason=f"อ่านไฟล์ไม่ได้: {exc}")) from None
    if manifest_bytes is None:
        raise BackupError(CORRUPT.format(reason="ไม่มี manifest.json ไฟล์อาจถูกตัดท้าย"))
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BackupError(CORRUPT.format(reason="manifest.json อ่านไม่ได้")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(CORRUPT.format(reason="ไม่ใช่ไฟล์สำรองของ infocenter"))
    if manifest.get("version") != VERSION:
        raise BackupError(f"ไฟล์สำรองรุ่น {manifest.get('version')} ใช้กับโปรแกรมรุ่นนี้ไม่ได้")
    listed = {
        entry["path"]: (entry["size"], entry["sha256"]) for entry in manifest.get("files", [])
    }
    for name, expected in listed.items():
        if name not in found:
            raise BackupError(CORRUPT.format(reason=f"ขาดไฟล์ {name}"))
        if found[name] != tuple(expected):
            raise BackupError(CORRUPT.format(reason=f"checksum ของ {name} ไม่ตรง"))
    extra = set(found) - set(listed)
    if extra:
        raise BackupError(CORRUPT.format(reason=f"มีไฟล์ที่ไม่อยู่ใน manifest: {sorted(extra)[0]}"))
    return manifest


def restore_backup(archive: Path) -> BackupResult:
    """Replace the database, uploads and reports with the archive's (checked first, in full)."""
    engine = db.engine
    backend = engine.dialect.name
    work_parent = Path(current_app.instance_path)
    work_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_parent, prefix=".restore-") as tmp:
        tmp_path = Path(tmp)
        manifest = read_archive(Path(archive), tmp_path)
        source_backend = manifest["database"]["backend"]
        if source_backend != backend:
            raise BackupError(
                f"ไฟล์สำรองนี้มาจากฐานข้อมูล {source_backend} แต่ระบบนี้ใช้ {backend} "
                "กรุณาตั้ง DATABASE_URL ให้เป็นชนิดเดียวกับไฟล์สำรอง"
            )
        dump = tmp_path / manifest["database"]["member"]
        if backend == "sqlite":
            _sqlite_restore(dump)
        else:
            _pg_restore(engine.url, dump)
        for prefix, key in FILE_ROOTS:
            _replace_tree(tmp_path / prefix, Path(current_app.config[key]))
    clear_all()  # every row may have changed behind the ORM: this process forgets what it cached
    bump_cache_generation()  # ... and every running worker does at its next request
    result = BackupResult(path=Path(archive), backend=backend, files=len(manifest["files"]) - 1)
    result.tables = table_counts()
    result.revision = alembic_revision()
    expected = manifest["database"]["tables"]
    wrong = {
        name: (count, result.tables.get(name))
        for name, count in expected.items()
        if result.tables.get(name) != count
    }
    if wrong:
        name, (want, got) = next(iter(wrong.items()))
        raise BackupError(
            f"กู้คืนแล้วแต่จำนวนแถวในตาราง {name} ไม่ตรง (ควรเป็น {want} ได้ {got}) กรุณาตรวจสอบ"
        )
    return result


def _sqlite_restore(dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        status = source.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise BackupError(CORRUPT.format(reason=f"ฐานข้อมูลในไฟล์สำรองไม่สมบูรณ์: {status}"))
        db.session.remove()
        db.engine.dispose()
        target_path = db.engine.url.database
        if not target_path or target_path == ":memory:":
            raise BackupError("ฐานข้อมูล SQLite ในหน่วยความจำกู้คืนไม่ได้ กรุณาตั้ง DATABASE_URL เป็นไฟล์")
        target = sqlite3.connect(target_path, timeout=30)
        try:
            # The backup API replaces every page under SQLite's own locks: other processes
            # see either the old database or the restored one, never a mix.
            source.backup(target)
        finally:
            target.close()
        # Personal data inside: readable by the application's user only, whatever the umask.
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(target_path + suffix):
                os.chmod(target_path + suffix, 0o600)
    finally:
        source.close()


def _replace_tree(source: Path, target: Path) -> None:
    """Make ``target``'s contents exactly ``source``'s (the folder itself stays: it may be a
    mount)."""
    target.mkdir(parents=True, exist_ok=True)
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.is_dir():
        for child in source.iterdir():
            shutil.move(str(child), str(target / child.name))


def backup_dir() -> Path:
    """Where ``flask backup`` writes by default and old archives are rotated: BACKUP_DIR."""
    return Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")


def rotate_backups(cutoff: datetime, *, dry_run: bool = False) -> int:
    """Delete the archives in ``backup_dir()`` written before ``cutoff`` (they hold personal data
    past its retention); returns how many."""
    folder = backup_dir()
    old = (
        [
            path
            for path in folder.glob("infocenter-*.tar.gz")
            if datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) < cutoff
        ]
        if folder.is_dir()
        else []
    )
    if not dry_run:
        for path in old:
            path.unlink(missing_ok=True)
    return len(old)


def _generation_file() -> Path:
    return Path(current_app.instance_path) / "cache-generation"


def bump_cache_generation() -> None:
    """Tell every worker on this machine (same instance folder) to drop its caches."""
    path = _generation_file()
    path.write_text(f"{time.time_ns()}\n")


_seen_generation: dict[str, int] = {}


def drop_caches_after_restore() -> None:
    """Before each request: if ``flask restore`` ran since this worker last looked, forget every
    cache (one stat of a small file; nothing when no restore ever ran)."""
    path = _generation_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:  # no restore has ever run here
        stamp = 0
    key = str(path)
    if key not in _seen_generation:
        _seen_generation[key] = stamp  # a worker starting after the restore has nothing old cached
    elif _seen_generation[key] != stamp:
        _seen_generation[key] = stamp
        clear_all()
