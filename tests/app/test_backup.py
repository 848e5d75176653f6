"""`flask backup` / `flask restore`: a round trip finds the original data and files; bad archives
are refused."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select

from infocenter.admin.models import Office
from infocenter.extensions import db


def _office_names(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(select(Office.code, Office.name)).all()
        db.session.remove()
        return dict(rows)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def stocked(app, make_office):
    """Two offices, an uploaded file in a sub-folder and a generated report."""
    make_office("NSW01", name="สำนักงานอำเภอเมือง", kind="district")
    make_office("NSW02", name="สำนักงานอำเภอพยุหะคีรี", kind="district")
    uploads, reports = Path(app.config["UPLOAD_DIR"]), Path(app.config["REPORTS_DIR"])
    (uploads / "entries" / "17").mkdir(parents=True)
    (uploads / "entries" / "17" / "แผนงบประมาณ.pdf").write_bytes(b"%PDF-1.7 original plan\n" * 100)
    (reports / "q1-2568.pdf").write_bytes(b"%PDF-1.7 quarterly report\n")
    return uploads, reports


def _change_everything(app, uploads: Path, reports: Path) -> None:
    with app.app_context():
        office = db.session.scalars(select(Office).where(Office.code == "NSW01")).one()
        office.name = "ชื่อที่แก้ภายหลัง"
        db.session.add(Office(code="NSW99", name="สำนักงานที่เพิ่มภายหลัง", kind="district"))
        db.session.commit()
        db.session.remove()
    (uploads / "entries" / "17" / "แผนงบประมาณ.pdf").write_bytes(b"overwritten")
    (uploads / "entries" / "18").mkdir()
    (uploads / "entries" / "18" / "new.pdf").write_bytes(b"added later")
    (reports / "q1-2568.pdf").unlink()


def test_backup_change_restore_finds_the_original(app, runner, stocked, tmp_path):
    uploads, reports = stocked
    before_db, before_up, before_rep = _office_names(app), _tree(uploads), _tree(reports)
    archive = tmp_path / "backup" / "infocenter.tar.gz"

    result = runner.invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    assert "สำรองข้อมูลแล้ว" in result.output and archive.exists()
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner-only
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[-1] == "manifest.json"
    assert "uploads/entries/17/แผนงบประมาณ.pdf" in names and "reports/q1-2568.pdf" in names
    assert (
        manifest["database"]["backend"]
        == app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    )
    assert manifest["database"]["tables"]["offices"] == len(before_db)
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])

    _change_everything(app, uploads, reports)
    assert _office_names(app) != before_db

    # Without --yes it asks, and "no" changes nothing.
    result = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert result.exit_code != 0
    assert "NSW99" in _office_names(app)

    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "กู้คืนแล้ว" in result.output
    assert _office_names(app) == before_db
    assert _tree(uploads) == before_up
    assert _tree(reports) == before_rep

    # The restored database works for the application, not just for a SELECT.
    client = app.test_client()
    assert client.get("/healthz").json["status"] == "ok"
    assert client.get("/").status_code == 200


def _rewrite(archive: Path, out: Path, change) -> None:
    """Copy an archive member by member, letting ``change(name, data)`` alter or drop members."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            result = change(member.name, data)
            if result is None:
                continue
            name, data = result
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def _evil_symlink(archive: Path, out: Path) -> None:
    """The good archive with a symlink pointing outside slipped in front."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        link = tarfile.TarInfo("uploads/link")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        dst.addfile(link)
        for member in src:
            dst.addfile(member, src.extractfile(member))


CORRUPTIONS = {
    "truncated": lambda a, o: o.write_bytes(a.read_bytes()[: a.stat().st_size // 2]),
    "not an archive": lambda a, o: o.write_bytes(b"hello, this is not a backup"),
    "tampered file": lambda a, o: _rewrite(
        a, o, lambda n, d: (n, b"tampered" + d) if n.startswith("uploads/") else (n, d)
    ),
    "tampered database": lambda a, o: _rewrite(
        a, o, lambda n, d: (n, d[:-10] + b"0123456789") if n.startswith("database/") else (n, d)
    ),
    "no manifest": lambda a, o: _rewrite(
        a, o, lambda n, d: None if n == "manifest.json" else (n, d)
    ),
    "path traversal": lambda a, o: _rewrite(
        a, o, lambda n, d: ("../../escaped.pdf", d) if n.startswith("uploads/") else (n, d)
    ),
    "symlink": _evil_symlink,
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_restore_refuses_a_corrupt_archive_and_changes_nothing(
    app, runner, stocked, tmp_path, kind
):
    uploads, reports = stocked
    archive = tmp_path / "good.tar.gz"
    assert runner.invoke(args=["backup", "--out", str(archive)]).exit_code == 0
    _change_everything(app, uploads, reports)
    after_db, after_up, after_rep = _office_names(app), _tree(uploads), _tree(reports)

    bad = tmp_path / "bad.tar.gz"
    CORRUPTIONS[kind](archive, bad)
    result = runner.invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code == 1
    assert "ไฟล์สำรองเสียหายหรือไม่ครบ" in result.output
    assert "ไม่ได้เปลี่ยนแปลงข้อมูล" in result.output
    assert "Traceback" not in result.output
    assert _office_names(app) == after_db
    assert _tree(uploads) == after_up and _tree(reports) == after_rep
    assert not (tmp_path / "escaped.pdf").exists()


def test_restore_of_a_missing_file_says_so(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "nope.tar.gz"), "--yes"])
    assert result.exit_code == 1 and "ไม่พบไฟล์" in result.output


def test_backup_default_name_in_instance_folder(app, runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    made = list((Path(app.instance_path) / "backups").glob("infocenter-*.tar.gz"))
    assert len(made) == 1
