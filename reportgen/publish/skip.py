"""Is a config's report up to date? The no-op path of a scheduled run, made cheap and crash-safe.

**Stat first, hash second** (the idea of git's index): the state file records, beside each input's
SHA-256, the ``os.stat`` signature it had when it was hashed (size, mtime_ns, ctime_ns, inode,
device). While the signature is unchanged the recorded hash is trusted; any write to the file
changes its ctime (which no tool can set back), a replacement changes its inode, so a change is
never missed. A signature taken within ``RACY_NS`` of the check is not recorded ("racily
clean", as git calls it: a write in the same clock tick would leave it unchanged), so such a file
is hashed again next time. The manifest of the report folder is handled the same way: its digest
is read again only when the manifest's own signature changed. Data files shared by many configs
are hashed once per run.

**The manifests are the source of truth.** A config with no state entry (a run killed before it
merged its state, a shard whose state was lost) is looked up in the report folder its YAML names:
if that folder's manifest says it was built from this very config path, with these inputs, the
report is up to date. So a run killed at any moment costs the next run nothing it had finished.

Only the standard library is imported (the no-op path must not load numpy or WeasyPrint).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from reportgen.publish.incremental import State, file_sha256, hash_limit, inputs_digest
from reportgen.publish.output import GENERATOR, MANIFEST, report_id_problem
from reportgen.render import OUTPUT_FILES

RACY_NS = 2_000_000_000  # 2 s: coarser than any file system's timestamps (FAT: 2 s, ext4: ns)
STATS, MANIFEST_STAT, MANIFEST_DIGEST = "stats", "manifest_stat", "manifest_digest"
RELATED, RELATED_LISTING = "related", "related_listing"  # the related-reports digest, and
# the hash of the config folder's listing it was computed for

__all__ = ["RACY_NS", "Checker", "signature"]


def signature(path: str, follow: bool = True) -> list[int] | None:
    """[size, mtime_ns, ctime_ns, inode, device] of a regular file; None for anything else or a
    missing file. ``follow``: stat a symbolic link's target (configs and data files may be
    links), else the link itself (files in the output folder are never followed)."""
    try:
        found = os.stat(path) if follow else os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev]


class Checker:
    """Decides, for one run into ``out``, which configs are unchanged (see the module doc).

    ``check`` returns the refreshed state entry of an unchanged config (with the signatures to
    trust next time), or None when the report must be built; ``refreshed`` collects the entries
    that differ from the state file, for the run to merge at its end.
    """

    def __init__(self, out: Path, formats: tuple[str, ...], state: State, templates: str):
        self.out, self.formats, self.state, self.templates = out, formats, state, templates
        self.now = time.time_ns()
        self._limit = hash_limit()  # read from the environment once, not once per file
        self.refreshed: dict[str, dict[str, Any]] = {}
        self.declared: dict[Path, str | None] = {}  # report ids read from the YAML this run
        self._hashes: dict[str, tuple[list[int] | None, str]] = {}  # this run's hashes
        self._listings: dict[Path, Any] = {}  # each config folder's listing, read once a run

    def related(self, config: Path, entry: dict[str, Any]) -> tuple[str, str]:
        """The digest of ``config``'s related reports (``config.related``) and the hash of its
        folder's listing (every config's name, mtime and size), read once per run. While the
        listing is what the state entry recorded, the recorded digest holds (no config of the
        folder changed); otherwise the catalogue is read again (one quick read per config) and
        a new matching report or a new title is caught."""
        from reportgen.config.related import folder_listing, related_digest

        folder = config.resolve().parent
        if folder not in self._listings:
            listing = folder_listing(folder)
            listed = hashlib.sha256(repr(listing).encode()).hexdigest()
            self._listings[folder] = (listing, listed)
        listing, listed = self._listings[folder]
        if entry.get(RELATED_LISTING) == listed and isinstance(entry.get(RELATED), str):
            return entry[RELATED], listed
        return related_digest(config, listing), listed

    def _trusted(self, sig: list[int] | None) -> list[int] | None:
        """``sig`` if it may be recorded (not racily clean), else None."""
        if sig is None or max(sig[1], sig[2]) >= self.now - RACY_NS:
            return None
        return sig

    def sha256(self, path: str, recorded: dict[str, Any]) -> tuple[str, list[int] | None]:
        """(SHA-256 of the file at ``path``, its signature to record or None). ``recorded`` is
        an entry's ``{"stats": {path: sig}, "hashes": {path: sha}}`` view of what it knew.
        Raises ``OSError`` if the file cannot be read."""
        if path in self._hashes:
            sig, sha = self._hashes[path]
            return sha, sig
        sig = signature(path)
        if sig is not None and recorded["stats"].get(path) == sig and path in recorded["hashes"]:
            sha = recorded["hashes"][path]
        else:
            # the signature was taken first: a write after it shows in the next one
            sha = file_sha256(Path(path), self._limit)
        trusted = self._trusted(sig)
        self._hashes[path] = (trusted, sha)
        return sha, trusted

    def config_sha256(self, config: Path) -> str:
        """The config's SHA-256, trusted from the state while its signature is unchanged."""
        key = config.as_posix()
        entry = self.state.entries.get(key) or {}
        recorded = _recorded(entry, key, entry.get("config_sha256"))
        return self.sha256(key, recorded)[0]

    def declared_id(self, config: Path) -> str | None:
        """The report id in the config's YAML (``claims.quick_id``), read once per run."""
        if config not in self.declared:
            from reportgen.publish.claims import quick_id

            self.declared[config] = quick_id(config)
        return self.declared[config]

    def check(self, config: Path, report_id: str | None = None) -> dict[str, Any] | None:
        """The refreshed entry if ``config``'s report is up to date in ``out``, else None.
        ``report_id``: the id the config is known to declare (else read when needed). Never
        raises for a damaged state entry or manifest (then the report is rebuilt)."""
        key = config.as_posix()
        try:
            entry = self.state.entries.get(key) or self._from_manifest(config, report_id)
            if entry is None:
                return None
            fresh = self._check(key, entry)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        if fresh is not None and fresh != self.state.entries.get(key):
            self.refreshed[key] = fresh
        return fresh

    def _check(self, key: str, entry: dict[str, Any]) -> dict[str, Any] | None:
        stats: dict[str, list[int]] = {}
        recorded = _recorded(entry, key, entry["config_sha256"])
        config_sha, sig = self.sha256(key, recorded)
        if config_sha != entry["config_sha256"]:
            return None
        _keep(stats, key, sig)
        sources: dict[str, str] = {}
        for path in entry.get("sources", []):
            sources[path], sig = self.sha256(path, recorded)
            _keep(stats, path, sig)
        related, listed = self.related(Path(key), entry)
        digest = inputs_digest(config_sha, sources, self.templates, related)
        folder = os.path.join(self.out, entry["report_id"])
        manifest_sig = signature(os.path.join(folder, MANIFEST), follow=False)
        if manifest_sig is None:
            return None
        if manifest_sig != entry.get(MANIFEST_STAT) or entry.get(MANIFEST_DIGEST) != digest:
            manifest = _read_manifest(Path(folder), owned_only=False)
            if manifest is None or manifest.get("digest") != digest:
                return None
        for name in self.formats:
            if signature(os.path.join(folder, OUTPUT_FILES[name]), follow=False) is None:
                return None
        fresh = {k: v for k, v in entry.items() if k not in (STATS, "hashes")}
        fresh[STATS], fresh["hashes"] = stats, sources
        fresh[RELATED], fresh[RELATED_LISTING] = related, listed
        trusted = self._trusted(manifest_sig)
        fresh[MANIFEST_STAT] = trusted
        fresh[MANIFEST_DIGEST] = digest if trusted is not None else None
        return fresh

    def _from_manifest(self, config: Path, report_id: str | None) -> dict[str, Any] | None:
        """A state entry rebuilt from the report folder the config's YAML names, if that
        folder's manifest says this config (same path) made it; else None."""
        report_id = report_id or self.declared_id(config)
        if report_id is None or report_id_problem(report_id) is not None:
            return None
        manifest = _read_manifest(self.out / report_id)
        if manifest is None:
            return None
        inputs = manifest["inputs"]
        if inputs["config"]["path"] != config.as_posix():
            return None
        sources = [source["path"] for source in inputs.get("sources", [])]
        if not all(isinstance(path, str) for path in sources):
            return None
        return {
            "config_sha256": inputs["config"]["sha256"],
            "report_id": report_id,
            "title": manifest.get("report_title"),
            "version": manifest.get("report_version"),
            "updated": manifest.get("report_updated"),
            "sources": sources,
        }


def _recorded(entry: dict[str, Any], key: str, config_sha: object) -> dict[str, Any]:
    """What ``entry`` knew of its inputs: signatures, and hashes by path."""
    stats = entry.get(STATS)
    hashes = entry.get("hashes")
    hashes = dict(hashes) if isinstance(hashes, dict) else {}
    if isinstance(config_sha, str):
        hashes[key] = config_sha
    return {"stats": stats if isinstance(stats, dict) else {}, "hashes": hashes}


def _keep(stats: dict[str, list[int]], path: str, sig: list[int] | None) -> None:
    if sig is not None:
        stats[path] = sig


def _read_manifest(folder: Path, owned_only: bool = True) -> dict[str, Any] | None:
    """A report folder's manifest (a regular file, never followed) as a mapping; with
    ``owned_only``, only one that carries reportgen's mark."""
    path = folder / MANIFEST
    if signature(str(path), follow=False) is None or not _is_dir(folder):
        return None
    try:
        manifest = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict):
        return None
    if owned_only and manifest.get("generator") != GENERATOR:
        return None
    return manifest


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
