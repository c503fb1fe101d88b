"""Backup then restore gives back the same debtors, documents and file hashes; refusals are clear."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.ops.backup import write_backup
from app.ops.check import check_store
from app.ops.inventory import OpsError, sha256_of
from app.ops.restore import restore_backup
from app.storage import FileStore
from tests.ops.conftest import Snapshot, open_engine, snapshot


def test_a_backup_restored_into_an_empty_folder_gives_back_the_same_file(
        engine: Engine, settings: Settings, filled: Snapshot, restore_settings: Settings,
        tmp_path: Path) -> None:
    official = settings.data_dir / "forms" / "1" / "cerfa_12948" / "official.pdf"  # creditor 1
    official.parent.mkdir(parents=True)
    official.write_bytes(b"%PDF-1.7\n% formulaire officiel\n%%EOF\n")
    archive = tmp_path / "sauvegarde.tar.gz"
    summary = write_backup(engine, settings.files_dir, archive,
                           forms_dir=settings.data_dir / "forms")
    assert (summary.files, summary.corrupted) == (3, [])  # the shared quote is stored once
    assert summary.counts["debtor"] == 2 and summary.counts["evidence"] == 3

    restored = restore_backup(archive, restore_settings)

    assert restored.files == 3
    restored_form = restore_settings.data_dir / "forms" / "1" / "cerfa_12948" / "official.pdf"
    assert restored_form.read_bytes() == official.read_bytes()
    restored_engine = open_engine(restore_settings)
    try:
        with Session(restored_engine) as session:
            assert snapshot(session) == filled
        report = check_store(restored_engine, restore_settings.files_dir)
    finally:
        restored_engine.dispose()
    assert (report.checked, report.problems) == (3, 0)
    hashes = {row[3] for row in filled.evidence + filled.documents}
    store = FileStore(restore_settings.files_dir)
    for sha in hashes:
        assert sha256_of(store.path_for(sha)) == sha
        assert store.read(sha) == FileStore(settings.files_dir).read(sha)


def test_the_manifest_lists_every_member_with_its_hash(engine: Engine, settings: Settings,
                                                       filled: Snapshot, tmp_path: Path) -> None:
    archive = tmp_path / "sauvegarde.tar"
    write_backup(engine, settings.files_dir, archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        for name, entry in manifest["members"].items():
            data = tar.extractfile(name).read()  # type: ignore[union-attr]
            assert len(data) == entry["size"]
    assert manifest["format"] == "contentieux-backup"
    assert manifest["database"] in ("sqlite", "postgresql")
    stored = {f"files/{s[:2]}/{s[2:4]}/{s}" for s in {r[3] for r in filled.evidence}}
    assert stored <= set(manifest["members"])
    assert sorted(names) == sorted([*manifest["members"], "manifest.json"])


def test_restore_refuses_a_folder_that_holds_data(engine: Engine, settings: Settings,
                                                  filled: Snapshot, tmp_path: Path) -> None:
    archive = tmp_path / "sauvegarde.tar.gz"
    write_backup(engine, settings.files_dir, archive)
    occupied = Settings(data_dir=tmp_path / "occupied")
    (occupied.data_dir / "files").mkdir(parents=True)
    (occupied.data_dir / "notes.txt").write_text("à garder")

    with pytest.raises(OpsError, match="n'est pas vide"):
        restore_backup(archive, occupied)

    assert sorted(p.name for p in occupied.data_dir.iterdir()) == ["files", "notes.txt"]
    assert (occupied.data_dir / "notes.txt").read_text() == "à garder"


def test_a_tampered_archive_restores_nothing(engine: Engine, settings: Settings,
                                             filled: Snapshot, restore_settings: Settings,
                                             tmp_path: Path) -> None:
    archive = tmp_path / "sauvegarde.tar"
    write_backup(engine, settings.files_dir, archive)
    tampered = tmp_path / "altered.tar"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w") as target:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("files/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))

    with pytest.raises(OpsError, match="empreinte"):
        restore_backup(tampered, restore_settings)

    leftovers = [p for p in restore_settings.data_dir.rglob("*") if p.is_file()]
    assert leftovers == []


def test_backup_refuses_to_overwrite_an_existing_file(engine: Engine, settings: Settings,
                                                      tmp_path: Path) -> None:
    existing = tmp_path / "hier.tar.gz"
    existing.write_bytes(b"yesterday")
    with pytest.raises(OpsError, match="existe déjà"):
        write_backup(engine, settings.files_dir, existing)
    assert existing.read_bytes() == b"yesterday"
