"""Old office formats (DOC, WPS, XLS) → a format we read, with LibreOffice when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

TARGET = {"doc": "docx", "wps": "docx", "xls": "html"}


class NoConverter(RuntimeError):
    pass


def convert_with_libreoffice(path: Path, media_type: str, workdir: Path) -> Path:
    """The converted file inside workdir; NoConverter when LibreOffice is missing, RuntimeError when it fails."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise NoConverter(f"reading .{media_type} needs LibreOffice (soffice), which is not installed")
    target = TARGET[media_type]
    source = workdir / f"document.{media_type}"  # the raw store names files by hash, without an extension
    shutil.copyfile(path, source)
    # A private profile and home inside the conversion's own folder: parallel conversions do not collide,
    # and LibreOffice writes nothing into the user's home (~/.config/libreoffice, font caches).
    profile, home = workdir / "profile", workdir / "home"
    home.mkdir(exist_ok=True)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
         "--outdir", str(workdir), str(source)],
        capture_output=True, text=True, timeout=300, check=False,
        env=dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache")),
    )
    converted = workdir / f"document.{target}"
    if not converted.exists():
        said = result.stderr.strip() or result.stdout.strip()
        raise RuntimeError(f"LibreOffice could not convert the .{media_type}: {said}")
    return converted
