"""`contentieux check`: every stored file against its hash, and the store against the database.

Problems reported (exit code 1): a corrupted file (its content no longer hashes to its name),
a missing file (a row references a hash the store does not hold), an orphan (a stored file no
row references), a stray file (not at `ab/cd/<sha256>`). Temporary files of uploads in progress
(`.tmp`) are counted, not reported: the store sweeps those a crash leaves behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from app.ops.inventory import Reference, list_store, referenced_files, sha256_of, store_relative


@dataclass
class CheckReport:
    files_dir: Path
    checked: int = 0
    referenced: int = 0
    temporary: int = 0
    corrupted: list[tuple[str, str]] = field(default_factory=list)  # (expected, actual)
    missing: dict[str, list[Reference]] = field(default_factory=dict)
    orphans: list[str] = field(default_factory=list)
    stray: list[Path] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.corrupted) + len(self.missing) + len(self.orphans) + len(self.stray)

    def lines(self) -> list[str]:
        """The report in French, one line per finding, the verdict last."""
        out = [f"Stockage : {self.files_dir}",
               f"{self.checked} fichiers vérifiés, {self.referenced} référencés par la base, "
               f"{self.temporary} fichiers temporaires."]
        out += [f"Fichier corrompu : {store_relative(sha)} (son contenu a pour empreinte "
                f"{actual})" for sha, actual in self.corrupted]
        out += [f"Fichier manquant : {store_relative(sha)} (référencé par "
                f"{', '.join(r.label() for r in refs)})" for sha, refs in self.missing.items()]
        out += [f"Fichier orphelin : {store_relative(sha)} (aucune ligne de la base ne le "
                "référence)" for sha in self.orphans]
        out += [f"Fichier inattendu : {path} (hors de l'arborescence ab/cd/<sha256>)"
                for path in self.stray]
        verdict = ("Tout est en ordre." if not self.problems else
                   f"{self.problems} problème{'s' if self.problems > 1 else ''} trouvé"
                   f"{'s' if self.problems > 1 else ''}.")
        return [*out, verdict]


def check_store(engine: Engine, files_dir: Path) -> CheckReport:
    report = CheckReport(files_dir=files_dir)
    # Rows first, then files: a file is stored before its row, so no upload running
    # meanwhile can look missing.
    references = referenced_files(engine)
    listing = list_store(files_dir)
    report.referenced = len(references)
    report.temporary = len(listing.temporary)
    report.stray = listing.unexpected
    for sha, path in listing.files.items():
        actual = sha256_of(path)
        report.checked += 1
        if actual != sha:
            report.corrupted.append((sha, actual))
        if sha not in references:
            report.orphans.append(sha)
    report.missing = {sha: refs for sha, refs in references.items() if sha not in listing.files}
    if report.orphans:  # an upload may have committed its row since: look again
        now_referenced = referenced_files(engine)
        report.orphans = [sha for sha in report.orphans if sha not in now_referenced]
    return report
