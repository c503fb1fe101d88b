"""`contentieux restore` reports what the restored database holds, and refuses an archive whose
manifest lies about it (issue 14, item 9)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from app import cli
from app.config import Settings, get_settings
from app.ops.backup import write_backup
from app.ops.inventory import OpsError
from app.ops.restore import restore_backup
from tests.ops import conftest as ops

filled, restore_settings, store = ops.filled, ops.restore_settings, ops.store


def _lying_copy(archive: Path, destination: Path, **counts: int) -> Path:
    """The same archive, its manifest's counts changed (its members untouched)."""
    with tarfile.open(archive) as source, tarfile.open(destination, "w") as target:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["counts"].update(counts)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return destination


def test_a_manifest_that_lies_about_the_counts_is_refused(
        engine: Engine, settings: Settings, filled: ops.Snapshot, restore_settings: Settings,
        tmp_path: Path) -> None:
    archive = tmp_path / "sauvegarde.tar"
    write_backup(engine, settings.files_dir, archive)
    lying = _lying_copy(archive, tmp_path / "menteuse.tar", debtor=250, evidence=900)
    with pytest.raises(OpsError, match="Archive incohérente") as refused:
        restore_backup(lying, restore_settings)
    assert "debtor : 250 annoncé(s), 2 dans la base" in refused.value.message
    leftovers = [p for p in restore_settings.data_dir.rglob("*") if p.is_file()]
    assert leftovers == []
    assert restore_backup(archive, restore_settings).counts["debtor"] == 2  # nothing left over


def test_a_manifest_without_counts_is_refused(
        engine: Engine, settings: Settings, filled: ops.Snapshot, restore_settings: Settings,
        tmp_path: Path) -> None:
    archive = tmp_path / "sauvegarde.tar"
    write_backup(engine, settings.files_dir, archive)
    with tarfile.open(archive) as source, tarfile.open(tmp_path / "sans.tar", "w") as target:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                del manifest["counts"]
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(OpsError, match="nombre de lignes"):
        restore_backup(tmp_path / "sans.tar", restore_settings)


def test_restore_prints_the_counts_of_the_restored_database(
        engine: Engine, settings: Settings, filled: ops.Snapshot, restore_settings: Settings,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    archive = tmp_path / "sauvegarde.tar"
    write_backup(engine, settings.files_dir, archive)
    monkeypatch.setenv("CONTENTIEUX_DATA_DIR", str(restore_settings.data_dir))
    if restore_settings.database_url:
        monkeypatch.setenv("CONTENTIEUX_DATABASE_URL", restore_settings.database_url)
    get_settings.cache_clear()
    try:
        assert cli.main(["restore", str(archive)]) == 0
    finally:
        get_settings.cache_clear()
    assert "2 débiteurs, 3 pièces, 1 documents" in capsys.readouterr().out
