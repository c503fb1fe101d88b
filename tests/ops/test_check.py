"""`contentieux check` finds corrupted, missing, orphan and stray files, and says so in French."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.models import Evidence
from app.ops.check import check_store
from app.storage import FileStore
from tests.ops.conftest import Snapshot


def test_a_sound_store_has_no_problem(engine: Engine, settings: Settings,
                                      filled: Snapshot) -> None:
    report = check_store(engine, settings.files_dir)
    assert (report.checked, report.referenced, report.problems) == (3, 3, 0)
    assert report.lines()[-1] == "Tout est en ordre."


def test_check_finds_a_corrupted_file(engine: Engine, settings: Settings, store: FileStore,
                                      filled: Snapshot) -> None:
    sha = filled.evidence[0][3]
    path = store.path_for(sha)
    path.chmod(0o644)
    content = bytearray(path.read_bytes())
    content[100] ^= 0xFF
    path.write_bytes(bytes(content))

    report = check_store(engine, settings.files_dir)

    assert [expected for expected, _ in report.corrupted] == [sha]
    assert (report.orphans, report.missing, report.problems) == ([], {}, 1)
    assert any(line.startswith(f"Fichier corrompu : {sha[:2]}/{sha[2:4]}/{sha}")
               for line in report.lines())


def test_check_finds_an_orphan_and_a_missing_file(engine: Engine, settings: Settings,
                                                  store: FileStore, session: Session,
                                                  filled: Snapshot) -> None:
    orphan = store.put(b"a file no row references")
    evidence_id, _, _, missing, _ = filled.evidence[1]
    store.path_for(missing).unlink()

    report = check_store(engine, settings.files_dir)

    assert report.orphans == [orphan]
    assert list(report.missing) == [missing]
    assert [r.label() for r in report.missing[missing]] == [f"pièce n° {evidence_id}"]
    assert report.problems == 2
    text = "\n".join(report.lines())
    assert f"Fichier orphelin : {orphan[:2]}/{orphan[2:4]}/{orphan}" in text
    assert f"Fichier manquant : {missing[:2]}/{missing[2:4]}/{missing}" in text
    assert text.endswith("2 problèmes trouvés.")
    assert session.get(Evidence, evidence_id) is not None  # check never changes anything


def test_a_file_outside_the_hash_layout_is_reported(engine: Engine, settings: Settings,
                                                    store: FileStore, filled: Snapshot) -> None:
    stray = settings.files_dir / "ab" / "facture.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"%PDF")
    (store.temp_dir / "upload-in-progress").write_bytes(b"partial")

    report = check_store(engine, settings.files_dir)

    assert report.stray == [stray]
    assert (report.temporary, report.problems) == (1, 1)


def test_a_missing_files_folder_counts_every_referenced_file_as_missing(
        engine: Engine, settings: Settings, filled: Snapshot, tmp_path: Path) -> None:
    report = check_store(engine, tmp_path / "nowhere")
    assert (report.checked, len(report.missing)) == (0, 3)
