"""The complete PDF claim file: exhibits to pages, stamped and bookmarked bundle, ZIP export.

File-level API (no database): the caller passes front-matter PDFs and exhibit files.

    result = build_claim_file(front, exhibits, destination, info, options, progress)
    package = build_package(result.volumes, exhibits, zip_destination, info)
"""

from app.documents.claimfile.assemble import build_claim_file
from app.documents.claimfile.errors import ClaimFileError
from app.documents.claimfile.model import (
    BuildOptions,
    ClaimFileInfo,
    ClaimFileResult,
    Exhibit,
    ExhibitPlacement,
    FrontPart,
)
from app.documents.claimfile.package import PackageResult, build_package

__all__ = [
    "BuildOptions",
    "ClaimFileError",
    "ClaimFileInfo",
    "ClaimFileResult",
    "Exhibit",
    "ExhibitPlacement",
    "FrontPart",
    "PackageResult",
    "build_claim_file",
    "build_package",
]
