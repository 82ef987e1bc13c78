"""Where a batch's builds run: in local worker processes (``--jobs N``, the default) or on an
existing Dask cluster (``--executor dask --scheduler tcp://HOST:PORT``).

Both implement one method, ``run(work, tasks, fail, warm)``: call ``work(config, expected_id)``
once per task and yield each result as soon as it is done (in completion order); ``warm`` (the
imports ``work`` needs) runs once before local workers are forked, so that a fresh or recycled
worker starts with them loaded (and shares their memory with the others, copy-on-write).
``work`` never raises for a bad config (it returns a failed outcome); what escapes it (a worker
that died, a result that could not be sent back) becomes ``fail(config, error, summary)``, so
one config never stops the others.

Local workers are forked (they start with reportgen's modules already imported) and replaced
after ``reports_per_worker`` reports, so that a long batch runs in flat memory: Python 3.11's
``max_tasks_per_child`` refuses the fork start method, so the pool itself is recreated after
every ``jobs * reports_per_worker`` reports.

Dask workers must see the configs, data files and output folder at the same paths as the
machine that runs ``reportgen build`` (a shared file system) and have reportgen installed; each
task runs in the client's working folder, with its ``REPORTGEN_*`` environment variables.
"""

from __future__ import annotations

import gc
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol, TypeVar

from reportgen.errors import UserError

T = TypeVar("T")
Task = tuple[Path, str | None]  # (config, the report id it is expected to publish)
Fail = Callable[[Path, BaseException, str], T]
DEFAULT_REPORTS_PER_WORKER = 100  # measured: see docs/scaling.md ("Memory per worker")
CONNECT_TIMEOUT = "10s"
DIED = "its build process died (killed, or out of memory?)"
DASK_DIED = "its Dask worker died (killed, or out of memory?) on every try"


class ExecutorError(UserError):
    """The chosen executor cannot be used (Dask not installed, scheduler unreachable)."""


class Executor(Protocol):
    """Runs ``work`` on every task and yields the results as they finish."""

    def run(
        self,
        work: Callable[[Path, str | None], T],
        tasks: Sequence[Task],
        fail: Fail[T],
        warm: Callable[[], None] | None = None,
    ) -> Iterator[T]: ...


@dataclass(frozen=True)
class LocalExecutor:
    """``jobs`` forked worker processes, each replaced after ``reports_per_worker`` reports
    (None: the default; 0: never). With one job and no explicit recycling, builds run in this
    process."""

    jobs: int = 1
    reports_per_worker: int | None = None

    def run(
        self,
        work: Callable[[Path, str | None], T],
        tasks: Sequence[Task],
        fail: Fail[T],
        warm: Callable[[], None] | None = None,
    ) -> Iterator[T]:
        tasks = list(tasks)
        per_worker = self.reports_per_worker
        in_process = self.jobs <= 1 and (per_worker is None or len(tasks) <= per_worker)
        if in_process or len(tasks) <= 1:
            for config, expected in tasks:
                yield work(config, expected)
            return
        if per_worker is None:
            per_worker = DEFAULT_REPORTS_PER_WORKER
        if warm is not None:
            warm()
        size = self.jobs * per_worker if per_worker > 0 else len(tasks)
        gc.freeze()  # the collector then leaves the warm heap alone: the forks share its pages
        try:
            for start in range(0, len(tasks), size):
                yield from self._pool(work, tasks[start : start + size], fail)
        finally:
            gc.unfreeze()

    def _pool(
        self, work: Callable[[Path, str | None], T], tasks: list[Task], fail: Fail[T]
    ) -> Iterator[T]:
        """One fresh pool for ``tasks``; if a worker dies hard (os._exit, SIGKILL, out of
        memory) it takes the pool down, and every unfinished task is retried alone."""
        pool = ProcessPoolExecutor(
            max_workers=min(self.jobs, len(tasks)), mp_context=get_context("fork")
        )
        orphans: list[Task] = []
        finished = False
        try:
            futures = {pool.submit(work, *task): task for task in tasks}
            for future in _as_completed(futures):
                task = futures[future]
                try:
                    yield future.result()
                except BrokenProcessPool:
                    orphans.append(task)
                except Exception as error:  # e.g. a result that cannot be pickled
                    yield fail(task[0], error, "")
            finished = True
        finally:
            # On Ctrl-C, start nothing more and do not wait for the builds in flight.
            pool.shutdown(wait=finished, cancel_futures=True)
        order = {task: number for number, task in enumerate(tasks)}
        orphans.sort(key=order.__getitem__)
        yield from self._isolated(work, orphans, fail)

    def _isolated(
        self, work: Callable[[Path, str | None], T], tasks: list[Task], fail: Fail[T]
    ) -> Iterator[T]:
        """Each task in a fresh one-worker process, ``jobs`` at a time."""
        pending = list(reversed(tasks))
        running: dict[Future[T], tuple[Task, ProcessPoolExecutor]] = {}
        try:
            while pending or running:
                while pending and len(running) < max(self.jobs, 1):
                    task = pending.pop()
                    pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork"))
                    running[pool.submit(work, *task)] = (task, pool)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    task, pool = running.pop(future)
                    pool.shutdown()
                    try:
                        yield future.result()
                    except BrokenProcessPool as error:
                        yield fail(task[0], error, DIED)
                    except Exception as error:
                        yield fail(task[0], error, "")
        finally:
            for _, pool in running.values():
                pool.shutdown(wait=False, cancel_futures=True)


def _as_completed(futures: dict[Future[T], Task]) -> Iterator[Future[T]]:
    """The futures as they finish; once the pool breaks, the rest in submission order."""
    order = {future: number for number, future in enumerate(futures)}
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from sorted(done, key=order.__getitem__)


@dataclass(frozen=True)
class DaskExecutor:
    """One task per config on the Dask cluster whose scheduler is at ``scheduler``."""

    scheduler: str

    def run(
        self,
        work: Callable[[Path, str | None], T],
        tasks: Sequence[Task],
        fail: Fail[T],
        warm: Callable[[], None] | None = None,  # workers import what a task needs themselves
    ) -> Iterator[T]:
        if not tasks:
            return
        client = self._connect()
        futures: dict[Any, Task] = {}
        try:
            from distributed import as_completed

            context = (os.getcwd(), _reportgen_environment())
            batch = uuid.uuid4().hex[:12]
            for number, task in enumerate(tasks):
                future = client.submit(
                    _in_context, context, work, *task, key=f"reportgen-{batch}-{number}", pure=False
                )
                futures[future] = task
            for future in as_completed(futures):
                yield self._result(future, futures[future], fail)
        finally:
            unfinished = [future for future in futures if not future.done()]
            if unfinished:  # Ctrl-C or a bug: leave nothing running on the cluster
                client.cancel(unfinished)
            client.close()

    def _connect(self) -> Any:
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorError(
                "--executor dask needs dask.distributed: pip install 'reportgen[dask]'"
            ) from None
        try:
            return Client(self.scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, ValueError) as error:
            raise ExecutorError(
                f"--scheduler {self.scheduler}: cannot reach the Dask scheduler: {error}"
            ) from None

    @staticmethod
    def _result(future: Any, task: Task, fail: Fail[T]) -> T:
        from distributed.scheduler import KilledWorker

        try:
            result: T = future.result()
        except KilledWorker as error:
            return fail(task[0], error, DASK_DIED)
        except Exception as error:
            return fail(task[0], error, "")
        return result


def _reportgen_environment() -> dict[str, str]:
    """This process's ``REPORTGEN_*`` variables (data root, limits), for the workers."""
    return {name: value for name, value in os.environ.items() if name.startswith("REPORTGEN_")}


_CONTEXT_LOCK = threading.Lock()  # the working folder and environment are per process


def _in_context(
    context: tuple[str, dict[str, str]],
    work: Callable[[Path, str | None], T],
    config: Path,
    expected: str | None,
) -> T:
    """Run ``work`` on a Dask worker in the client's working folder and ``REPORTGEN_*``
    environment, so that paths, manifests and messages are those of a local run. Builds in one
    worker process take turns (they are CPU-bound: give workers one thread each)."""
    folder, environment = context
    with _CONTEXT_LOCK:
        before = os.getcwd()
        saved = {name: value for name, value in os.environ.items() if name.startswith("REPORTGEN_")}
        try:
            os.chdir(folder)
        except OSError as error:
            raise FileNotFoundError(
                f"this Dask worker cannot open the working folder {folder} "
                f"({error.strerror or error}): workers need the configs and the output folder "
                "at the same paths (a shared file system)"
            ) from None
        try:
            for name in saved:
                os.environ.pop(name)
            os.environ.update(environment)
            return work(config, expected)
        finally:
            os.chdir(before)
            for name in environment:
                os.environ.pop(name, None)
            os.environ.update(saved)
