"""``--shard I/N``: split one catalogue of configs between N workers that share nothing but the
output folder (a Kubernetes Indexed Job, a Slurm array, a CI matrix).

A config belongs to shard ``int(sha256(report id)) mod N``: the partition depends only on the
report ids, never on the order or the number of configs given, the machine or Python's
randomised ``hash()``, so every worker computes the same split without talking to the others.
Configs that share a report id therefore land in the same shard, where they are refused together
as in a single run (the duplicate check runs per shard; across shards it cannot be needed). A
config whose id cannot be read from its YAML is placed by its path as given instead, so exactly
one shard reports its error (give every worker the same config paths).

``--shard auto`` reads the worker's place from its scheduler's environment:

- Kubernetes Indexed Job: ``JOB_COMPLETION_INDEX`` (0-based), and the count from
  ``REPORTGEN_SHARDS`` or else ``JOB_COMPLETIONS`` (Kubernetes does not export
  ``.spec.completions``: set one of them in the pod template);
- Slurm job array: ``SLURM_ARRAY_TASK_ID``, shifted by ``SLURM_ARRAY_TASK_MIN`` (so
  ``--array=1-4`` works), and the count from ``SLURM_ARRAY_TASK_COUNT`` or else
  ``SLURM_ARRAY_TASK_MAX - SLURM_ARRAY_TASK_MIN + 1``; a stepped array (``--array=0-9:2``) needs
  ``REPORTGEN_SHARDS``, which overrides the count in every case.

Only the standard library is used (the no-op path).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.errors import UserError

if TYPE_CHECKING:
    from reportgen.publish.incremental import State

SHARDS_ENV = "REPORTGEN_SHARDS"
K8S_INDEX, K8S_COUNT = "JOB_COMPLETION_INDEX", "JOB_COMPLETIONS"
SLURM_ID, SLURM_COUNT = "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"
SLURM_MIN, SLURM_MAX = "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX"


class ShardError(UserError):
    """``--shard`` was given a value, or an environment, that names no shard."""


@dataclass(frozen=True)
class Shard:
    """Worker ``index`` (0-based) of ``count``."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ShardError(
                f"--shard {self.index}/{self.count}: the index must be 0 to count - 1 "
                "and the count at least 1"
            )

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, key: str) -> bool:
        """True if the config with report id (or, failing that, path) ``key`` is this shard's."""
        return shard_of(key, self.count) == self.index


def shard_of(key: str, count: int) -> int:
    """The shard (0 to ``count`` - 1) of ``key``: SHA-256 of its UTF-8 bytes, modulo ``count``."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % count


def _whole(name: str, value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise ShardError(
            f"--shard auto: {name}={value!r} is not a whole number"
            if value
            else f"--shard auto: {name} is not set"
        ) from None


def parse_shard(value: str, env: Mapping[str, str] | None = None) -> Shard:
    """``"I/N"`` (0-based I) or ``"auto"`` (read ``env``, default ``os.environ``)."""
    if value.strip().lower() == "auto":
        import os

        return shard_from_env(os.environ if env is None else env)
    index, slash, count = value.partition("/")
    try:
        if not slash:
            raise ValueError
        return Shard(int(index), int(count))
    except ValueError:
        raise ShardError(
            f"--shard {value!r}: expected I/N (worker I of N, counted from 0, e.g. 0/4) or auto"
        ) from None


def shard_from_env(env: Mapping[str, str]) -> Shard:
    """The shard a Kubernetes Indexed Job pod or a Slurm array task is (see the module doc)."""
    override = env.get(SHARDS_ENV)
    count = _whole(SHARDS_ENV, override) if override else None
    if env.get(K8S_INDEX):
        index = _whole(K8S_INDEX, env[K8S_INDEX])
        if count is None and env.get(K8S_COUNT):
            count = _whole(K8S_COUNT, env[K8S_COUNT])
        if count is None:
            raise ShardError(
                f"--shard auto: {K8S_INDEX} is set but not the number of shards: set "
                f"{SHARDS_ENV} (or {K8S_COUNT}) to the Job's completions in the pod template"
            )
        return _checked(index, count, f"{K8S_INDEX}={index}")
    if env.get(SLURM_ID):
        task = _whole(SLURM_ID, env[SLURM_ID])
        low = _whole(SLURM_MIN, env[SLURM_MIN]) if env.get(SLURM_MIN) else 0
        if count is None and env.get(SLURM_COUNT):
            count = _whole(SLURM_COUNT, env[SLURM_COUNT])
        if count is None and env.get(SLURM_MAX):
            count = _whole(SLURM_MAX, env[SLURM_MAX]) - low + 1
        if count is None:
            raise ShardError(
                f"--shard auto: {SLURM_ID} is set but neither {SLURM_COUNT} nor {SLURM_MAX}; "
                f"set {SHARDS_ENV} to the number of array tasks"
            )
        return _checked(task - low, count, f"{SLURM_ID}={task} ({SLURM_MIN}={low})")
    raise ShardError(
        f"--shard auto: neither {K8S_INDEX} (Kubernetes Indexed Job) nor {SLURM_ID} (Slurm "
        "array) is set; give --shard I/N instead"
    )


def _checked(index: int, count: int, source: str) -> Shard:
    try:
        return Shard(index, count)
    except ShardError:
        raise ShardError(
            f"--shard auto: {source} gives shard {index} of {count}, outside 0 to {count - 1}: "
            f"check the array range or {SHARDS_ENV}"
        ) from None


def report_ids(
    configs: list[Path],
    state: State,
    sha256: Callable[[Path], str] | None = None,
    declared: Callable[[Path], str | None] | None = None,
) -> dict[Path, str | None]:
    """Each config's report id: the state file's when the config is byte for byte the one that
    was built (no YAML parsed on the no-op path), else read from its YAML (None if unreadable).
    ``sha256`` hashes a config (default ``incremental.file_sha256``) and ``declared`` reads its
    id (default ``claims.quick_id``); the batch passes the cached, stat-first ones of
    ``publish.skip``."""
    from reportgen.publish.claims import quick_id
    from reportgen.publish.incremental import file_sha256

    sha256, declared = sha256 or file_sha256, declared or quick_id
    ids: dict[Path, str | None] = {}
    for config in configs:
        entry = state.entries.get(config.as_posix())
        if entry is not None:
            try:
                if sha256(config) == entry["config_sha256"]:
                    ids[config] = entry["report_id"]
                    continue
            except OSError:
                pass
        ids[config] = declared(config)
    return ids


def select(configs: list[Path], report_ids: Mapping[Path, str | None], shard: Shard) -> list[Path]:
    """The configs of ``shard``, in their given order (by report id, else by path)."""
    return [c for c in configs if shard.owns(report_ids.get(c) or f"path:{c.as_posix()}")]
