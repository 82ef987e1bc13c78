"""Writing outputs so that a reader, a crash or a second build never sees half a report, and so
that nothing reportgen did not make is ever replaced.

A report is written in full to a staging folder beside its final place and then exchanged with
the old folder in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames,
with recovery of the old folder at the start of the next build of that report). A build killed
at any moment therefore leaves the previous report whole.

What reportgen owns in an output folder (everything else it never writes, moves or deletes):

- ``<report.id>/`` folders whose ``manifest.json`` says reportgen made them (``ownership``);
- ``index.html``, ``.reportgen-state.json``, ``.reportgen-errors.log`` and the working folders
  ``.staging/``, ``.trash/`` and ``.locks/``; these names cannot be report ids.

Each report has its own lock (``.locks/<report.id>.lock``), so different reports build at the
same time from separate processes while two builds of one report take turns; the state file and
the index page have a short lock of their own (``.locks/.state.lock``). Lock files are opened
without following symbolic links and never truncated. Published files are 0644 and folders
0755, whatever the umask. Every ``OSError`` met while publishing becomes a one-line
``OutputError`` (read-only folder, full disk...), and the previous report stays as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from reportgen.errors import OutputError

STAGING = ".staging"
TRASH = ".trash"
LOCKS = ".locks"
STATE_LOCK = ".state"  # the lock of the state file and the index page, in LOCKS
VERSIONS = "versions"
MANIFEST = "manifest.json"
INDEX = "index.html"
STATE_FILE = ".reportgen-state.json"
ERROR_LOG = ".reportgen-errors.log"
RESERVED = frozenset({INDEX, STATE_FILE, ERROR_LOG, STAGING, TRASH, LOCKS})
GENERATOR = "reportgen"  # manifest.json's "generator": the mark of a folder reportgen owns
VERSION_PATTERN = re.compile(r"[0-9]{1,6}\.[0-9]{1,6}")  # a report version, safe in a path
FILE_MODE, DIR_MODE = 0o644, 0o755
ABSENT, OWNED, DAMAGED, FOREIGN = "absent", "owned", "damaged", "foreign"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def valid_version(value: object) -> bool:
    """True for a version string such as ``2.1`` (never a path such as ``../../x``)."""
    return isinstance(value, str) and VERSION_PATTERN.fullmatch(value) is not None


def report_id_problem(report_id: object) -> str | None:
    """Why ``report_id`` cannot name a folder in the output folder; None if it can."""
    if not isinstance(report_id, str) or not report_id:
        return "a report id must be a non-empty string"
    if report_id in RESERVED or report_id.startswith("."):
        return (
            f"report id {report_id!r} is reserved in the output folder "
            f"(so are {INDEX} and every name starting with '.')"
        )
    if any(c in report_id for c in "/\\\0") or "--" in report_id or report_id == "..":
        return f"report id {report_id!r} cannot name a folder (no '/', '\\', '--' or NUL)"
    return None


def check_report_id(report_id: str) -> None:
    """Raise ``OutputError`` unless ``report_id`` can name a report folder."""
    problem = report_id_problem(report_id)
    if problem is not None:
        raise OutputError(problem)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Replace ``path`` with ``data`` atomically (temp file + fsync + rename), mode ``mode``.

    A symbolic link at ``path`` is replaced, never followed. Raises ``OSError``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            os.fchmod(handle, mode)
            _write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist) holding ``data``, mode 0644."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    handle = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(handle, FILE_MODE)
        _write_all(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)


def _mkdirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each mode 0755 whatever the umask."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        os.chmod(path, DIR_MODE)


def _is(path: Path, kind: Callable[[int], bool]) -> bool:
    """True if ``path`` itself (not a link's target) exists and is of ``kind`` (S_ISREG...)."""
    try:
        return kind(os.lstat(path).st_mode)
    except OSError:
        return False


def _working_dir(out: Path, name: str) -> Path:
    """``out/name``, one of reportgen's working folders: created if missing, and refused if it is
    a symbolic link or a file (it would lead reportgen's writes out of the output folder)."""
    path = out / name
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=DIR_MODE)
    if not _is(path, stat.S_ISDIR):
        raise OutputError(
            f"{path}: reportgen's working folder is a symbolic link or a file; "
            "remove it and build again"
        )
    return path


def ownership(folder: Path) -> str:
    """ABSENT, OWNED (its manifest.json says reportgen made it), DAMAGED (a manifest.json that
    is not one of reportgen's) or FOREIGN (anything else: no manifest, a file, a symlink)."""
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return ABSENT
    except OSError:
        return FOREIGN
    if not stat.S_ISDIR(mode) or not _is(folder / MANIFEST, stat.S_ISREG):
        return FOREIGN
    try:
        manifest = json.loads((folder / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return DAMAGED
    if not isinstance(manifest, dict):
        return DAMAGED
    if manifest.get("generator") == GENERATOR:
        return OWNED
    # Reports built before the "generator" mark existed.
    legacy = ("reportgen_version", "digest", "inputs")
    return OWNED if all(key in manifest for key in legacy) else DAMAGED


def foreign_message(folder: Path) -> str:
    return (
        f"{folder}: not made by reportgen (no valid {MANIFEST}); refusing to replace it: "
        "give the report another report.id, or move the folder away"
    )


def recover(out: Path, report_id: str) -> None:
    """Undo what a killed build of ``report_id`` left behind: put back its report folder if it
    was moved aside but not replaced, and delete its unfinished staging folders. Call with the
    report's lock held; other reports' working files are left alone."""
    # exactly "<report_id>--<uuid hex>": report "a-" has entries "a---<hex>", which are not a's
    mine = re.compile(re.escape(report_id) + "--[0-9a-f]{32}").fullmatch
    trash, staging = out / TRASH, out / STAGING
    if _is(trash, stat.S_ISDIR):
        for moved in trash.iterdir():
            if not mine(moved.name):
                continue
            final = out / report_id
            if not os.path.lexists(final):
                os.rename(moved, final)
            else:
                shutil.rmtree(moved, ignore_errors=True)
    if _is(staging, stat.S_ISDIR):
        for unfinished in staging.iterdir():
            if mine(unfinished.name):
                shutil.rmtree(unfinished, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    """Hard-link ``source`` to ``target`` if ``source`` is a regular file (never a symlink's
    target, a FIFO or a device) and ``target`` does not exist yet."""
    if not _is(source, stat.S_ISREG) or os.path.lexists(target):
        return
    _mkdirs(target.parent)
    os.link(source, target, follow_symlinks=False)


def _carry_versions(final: Path, staging: Path) -> None:
    """Hard-link the archived versions (``versions/<N.M>/...``, regular files only)."""
    versions = final / VERSIONS
    if not _is(versions, stat.S_ISDIR):
        return
    for entry in versions.iterdir():
        if not valid_version(entry.name) or not _is(entry, stat.S_ISDIR):
            continue
        for root, _, names in os.walk(entry, followlinks=False):
            for name in names:
                source = Path(root, name)
                _link(source, staging / source.relative_to(final))


def publish(
    out: Path,
    report_id: str,
    files: dict[str, bytes],
    carry: tuple[str, ...] = (),
    archive: dict[str, str] | None = None,
    adopt_damaged: bool = False,
) -> Path:
    """Write ``files`` (relative path -> bytes) as the report folder ``out/report_id``.

    ``versions/`` and the files named in ``carry`` are kept from the previous report (hard
    links, so nothing is copied or lost); ``archive`` maps a file of the old report to a path
    in the new one (to keep the previous version under ``versions/``; an existing archive is
    never overwritten). A folder reportgen does not own is never replaced (``adopt_damaged``:
    one whose manifest is damaged is). Raises ``OutputError``; the old folder is then intact.
    """
    check_report_id(report_id)
    final = out / report_id
    status = ownership(final)
    if status == FOREIGN or (status == DAMAGED and not adopt_damaged):
        raise OutputError(foreign_message(final))
    staging: Path | None = None
    try:
        staging = _working_dir(out, STAGING) / f"{report_id}--{uuid.uuid4().hex}"
        _mkdirs(staging)
        if status != ABSENT:
            _carry_versions(final, staging)
            for name in carry:
                _link(final / name, staging / name)
            for old_name, new_name in (archive or {}).items():
                _link(final / old_name, staging / new_name)
        for name, data in files.items():
            target = staging / name
            _mkdirs(target.parent)
            _write_new(target, data)
        if status == ABSENT:
            os.rename(staging, final)
            staging = None
        elif not _exchange(staging, final):
            aside = _working_dir(out, TRASH) / f"{report_id}--{uuid.uuid4().hex}"
            os.rename(final, aside)
            os.rename(staging, final)
            staging = aside
    except OSError as error:
        raise OutputError(
            f"{final}: cannot publish the report: {error.strerror or error}; "
            "the published report, if any, is unchanged"
        ) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return final


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


def _open_lock(out: Path, name: str) -> int:
    """Open ``out/.locks/<name>.lock`` without following a symlink (in either the folder or the
    file) and without truncating it; refuse anything but a regular file."""
    folder = out / LOCKS
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=DIR_MODE, parents=True)
    path = folder / f"{name}.lock"
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            raise OutputError(
                f"{folder}: is not a folder (a symbolic link?); refusing to use it for locks"
            ) from None
        raise
    try:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
        try:
            handle = os.open(path.name, flags, FILE_MODE, dir_fd=folder_fd)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise OutputError(
                    f"{path}: is a symbolic link; refusing to use it as a lock"
                ) from None
            raise
    finally:
        os.close(folder_fd)
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise OutputError(f"{path}: is not a regular file; refusing to use it as a lock")
    return handle


@contextlib.contextmanager
def locked(
    out: Path, name: str = STATE_LOCK, on_wait: Callable[[], None] | None = None, wait: bool = True
) -> Iterator[bool]:
    """Hold the lock ``name`` of the output folder (a report id, or ``STATE_LOCK``); if another
    process holds it, wait (telling ``on_wait``), or with ``wait=False`` yield False at once
    (True: held). Raises ``OutputError`` if it cannot be taken (a read-only output folder)."""
    try:
        handle = _open_lock(out, name)
    except OSError as error:
        raise OutputError(
            f"{out}: cannot write to the output folder: {error.strerror or error}"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                yield False
                return
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(handle)  # releases the lock


@contextlib.contextmanager
def report_lock(
    out: Path, report_id: str, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold ``report_id``'s lock and clear what a killed build of it left behind."""
    check_report_id(report_id)
    with locked(out, report_id, on_wait):
        try:
            recover(out, report_id)
        except OSError as error:
            raise OutputError(
                f"{out / report_id}: cannot recover from an earlier build: "
                f"{error.strerror or error}"
            ) from None
        yield
