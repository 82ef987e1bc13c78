"""Writing outputs without ever leaving a half-written file in place.

Each file is written to a temporary file in the same folder, flushed to disk and renamed over the
old one (an atomic step on POSIX): a reader sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temp file + fsync + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_outputs(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every ``relative path -> bytes`` pair under ``folder``; results.json goes last so
    that its presence marks a complete report."""
    ordered = sorted(files, key=lambda name: name == "results.json")
    written = []
    for name in ordered:
        target = folder / name
        write_atomic(target, files[name])
        written.append(target)
    return written
