"""The raw store: every byte the crawler keeps, filed under its SHA-256 and never under a name from the web.

The same bytes under two URLs are one file; a changed document is a new file beside the old one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from crawler.filetypes import media_type_of  # what a stored file is; the CLI asks it of the store

__all__ = ["RawStore", "media_type_of"]


class RawStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / "sha256" / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # write beside the target and rename, so a crash never leaves a half file under a valid name
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        return sha256

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()
