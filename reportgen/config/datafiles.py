"""Open a data file named in a config, safely: only inside the allowed folder, only regular
files, never more than the size limits.

A config is written by an editor, not by the operator, so the path it names is checked before
anything is opened:

- it must be relative (``data/orr.csv``), and once every symlink and ``..`` is resolved it must
  lie inside the data root (the config's folder, or the operator's ``--data-root``);
- it must be a regular file (a FIFO would block the build, ``/dev/zero`` never ends): checked
  with ``os.stat`` before opening, then opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked
  again with ``fstat`` on the open descriptor, so a file swapped in between is caught;
- it must be at most ``data_file_bytes`` long, and at most that much is ever read;
- an XLSX's members must unzip to at most ``xlsx_uncompressed_bytes`` in all (checked on the
  zip's directory before openpyxl reads anything).

Messages name the path as the config gives it and never quote the file's contents.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from reportgen.config.limits import Limits, env_name


class SourceError(Exception):
    """A data file that cannot be read at all; ``line`` (1-based) when the fault is on one."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


def limit_hint(limit: str) -> str:
    """The sentence that tells an operator how to raise ``limit``."""
    return f"(a limit; an operator can raise it with {env_name(limit)})"


def resolve_data_path(value: str, base: Path, root: Path) -> Path:
    """The real path of the data file ``value`` named in a config in folder ``base``.

    Raises ``SourceError`` if ``value`` is not a plain relative path or if it leads (through
    ``..`` or a symlink) outside ``root``."""
    if not value.strip():
        raise SourceError("the file name is empty")
    if any(ord(char) < 32 or char == "\x7f" for char in value):
        raise SourceError("the file name contains a control character")
    if os.path.isabs(value) or value.startswith("~"):
        raise SourceError(
            "an absolute path is not allowed: give the path relative to the config's folder"
        )
    real = Path(os.path.realpath(base / value))
    if not real.is_relative_to(root):
        raise SourceError(
            "the file is outside the folder data may be read from (the config's folder"
            " or --data-root): through '..' or a symbolic link"
        )
    return real


def read_data_bytes(real: Path, limits: Limits) -> bytes:
    """The whole of the regular file ``real`` (at most ``limits.data_file_bytes``)."""
    return read_regular_file(real, limits.data_file_bytes, "data_file_bytes", what="data file")


def read_regular_file(
    real: Path, max_bytes: int, limit: str, follow: bool = False, what: str = "file"
) -> bytes:
    """The whole of the regular file ``real``, refusing anything else and anything longer than
    ``max_bytes`` (the limit called ``limit``) without blocking or reading past the limit.
    ``follow``: a symlink as the last part of the path is followed (for a config the operator
    names); otherwise it is refused."""
    try:
        info = os.stat(real)
    except OSError as exc:
        raise SourceError(f"cannot read {what}: {exc.strerror or 'not found'}") from None
    _check_regular(info, max_bytes, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(real, flags)
    except OSError as exc:
        raise SourceError(f"cannot read {what}: {exc.strerror or 'cannot open'}") from None
    with os.fdopen(descriptor, "rb") as handle:
        _check_regular(os.fstat(descriptor), max_bytes, limit)
        try:
            raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise SourceError(f"cannot read {what}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise _too_big(max_bytes, limit)
    return raw


def _check_regular(info: os.stat_result, max_bytes: int, limit: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise SourceError("this is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("not a regular file (a device, pipe or socket)")
    if info.st_size > max_bytes:
        raise _too_big(max_bytes, limit)


def _too_big(max_bytes: int, limit: str) -> SourceError:
    return SourceError(f"the file is larger than {max_bytes:,} bytes {limit_hint(limit)}")


def open_xlsx_zip(raw: bytes, limits: Limits) -> io.BytesIO:
    """``raw`` as a stream for openpyxl, once its zip directory shows it unzips to at most
    ``limits.xlsx_uncompressed_bytes`` (Python's zipfile stops each member at its stated size)."""
    stream = io.BytesIO(raw)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise SourceError(
            "not a readable .xlsx workbook (it is not a zip archive: a CSV renamed .xlsx, "
            "a damaged download or an old .xls?)"
        ) from None
    if len(members) > 10_000 or sum(m.file_size for m in members) > limits.xlsx_uncompressed_bytes:
        raise SourceError(
            f"the workbook unzips to more than {limits.xlsx_uncompressed_bytes:,} bytes "
            + limit_hint("xlsx_uncompressed_bytes")
        )
    stream.seek(0)
    return stream


def read_config_bytes(path: Path) -> bytes:
    """A config file's bytes, read as ``load_config`` reads it: a regular file (a symlink the
    operator names is followed) of at most the ``config_bytes`` limit, never blocking on a FIFO
    or device. For the cheap reads of a batch (report ids, change detection, watched files)."""
    from reportgen.config.limits import current_limits

    return read_regular_file(path, current_limits().config_bytes, "config_bytes", follow=True)
