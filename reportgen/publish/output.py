"""Writing outputs so that a reader, a crash or a second build never sees half a report.

A report is written in full to a staging folder beside its final place and then exchanged with
the old folder in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames,
with recovery of the old folder at the start of the next run). A build killed at any moment
therefore leaves the previous report whole. An output folder is locked while a build writes to
it, so two builds never interleave.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

STAGING = ".staging"
TRASH = ".trash"
LOCK_FILE = ".reportgen.lock"
VERSIONS = "versions"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


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


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        error = ctypes.get_errno()
        if error in (errno.ENOSYS, errno.EINVAL, errno.EXDEV):
            return False
        raise OSError(error, os.strerror(error), str(a))
    return True


def recover(out: Path) -> None:
    """Undo what a killed build left behind: put back a report folder that was moved aside but
    not replaced, and delete unfinished staging folders. Call with the lock held."""
    trash = out / TRASH
    if trash.is_dir():
        for moved in trash.iterdir():
            report_id = moved.name.split("--", 1)[0]
            final = out / report_id
            if not final.exists():
                os.rename(moved, final)
            else:
                shutil.rmtree(moved, ignore_errors=True)
    shutil.rmtree(out / STAGING, ignore_errors=True)


def publish(
    out: Path,
    report_id: str,
    files: dict[str, bytes],
    keep_from_old: tuple[str, ...] = (VERSIONS,),
    archive: dict[str, str] | None = None,
) -> Path:
    """Write ``files`` (relative path -> bytes) as the report folder ``out/report_id``.

    Folders named in ``keep_from_old`` are carried over from the previous report (hard links,
    so nothing is copied or lost); ``archive`` maps a file of the old report to a path in the
    new one (to keep the previous version under ``versions/``).
    """
    final = out / report_id
    staging = out / STAGING / f"{report_id}--{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        for name in keep_from_old:
            if (final / name).is_dir():
                shutil.copytree(final / name, staging / name, copy_function=os.link)
        for old_name, new_name in (archive or {}).items():
            if (final / old_name).exists():
                (staging / new_name).parent.mkdir(parents=True, exist_ok=True)
                os.link(final / old_name, staging / new_name)
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        if final.exists():
            if not _exchange(staging, final):
                aside = out / TRASH / f"{report_id}--{uuid.uuid4().hex}"
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.rename(final, aside)
                os.rename(staging, final)
                staging = aside
        else:
            os.rename(staging, final)
            staging = None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return final


@contextlib.contextmanager
def locked(out: Path, wait: bool = True, on_wait=None) -> Iterator[None]:
    """Hold the output folder's lock; if another build holds it, wait (telling ``on_wait``) or
    raise ``BlockingIOError``."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK_FILE, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            recover(out)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
