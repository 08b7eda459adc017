"""Review a pile of documents in worker processes; one row per document, whatever happens.

`review_paths` collects the documents (folders walked, zips expanded safely: `collect`),
then runs `review_one` on each in a `ProcessPoolExecutor` of ``jobs`` processes. A document
that runs past ``timeout`` seconds is stopped inside its worker (SIGALRM) and gets a row
saying so. A document that kills its worker (a crash in a reading library, the kernel's
out-of-memory killer) breaks the pool; the documents that were still pending are run again
in a fresh pool, and a document caught in a broken pool twice is then run alone, so the one
that crashes is named and every other document still gets its result.

The parent keeps only the small result models; the documents themselves are read and
dropped inside the workers, and a worker is replaced every `TASKS_PER_WORKER` documents, so
memory stays flat in the number of documents.
"""

from __future__ import annotations

import gc
import os
import signal
import tempfile
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import FrameType

from jixiao.core.phrases import Phrase
from jixiao.review.collect import Item, collect
from jixiao.review.document import review_one, triage_key
from jixiao.review.model import DocumentResult, ReviewResult

DEFAULT_TIMEOUT = 120
# Workers are replaced after about this many documents each (the pile is run in batches of
# jobs × TASKS_PER_WORKER, a fresh pool per batch): what a reading library keeps (caches, a
# fragmented heap) cannot grow with the size of the pile. (ProcessPoolExecutor's own
# max_tasks_per_child cannot be used: it needs spawn or forkserver, and on Python 3.11 it can
# hang when a worker is replaced.) Workers are forked from a parent that has the readers
# imported, so a fresh pool starts in milliseconds.
TASKS_PER_WORKER = 100
CRASHED = Phrase("处理该文件时工作进程异常退出（可能内存不足，或文件触发了读取库的缺陷）")

Progress = Callable[[DocumentResult], None]


@dataclass(frozen=True)
class Task:
    """What a worker needs for one document (picklable)."""

    index: int
    path: Path
    name: str
    annotate_to: Path | None
    timeout: int


class _Timeout(BaseException):  # not an Exception: no reader's `except Exception` swallows it
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def run_task(task: Task) -> DocumentResult:
    """The worker's entry point: `review_one` under a per-document alarm."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(task.timeout)
    try:
        return review_one(task.path, task.name, task.annotate_to)
    except _Timeout:
        return _refused(task.name, Phrase("处理超时（超过 {seconds} 秒），已停止",
                                         seconds=str(task.timeout)))
    except Exception as exc:  # a fault in jixiao: the row says so, the run goes on
        return _refused(task.name, _internal(exc))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _refused(name: str, reason: str | Phrase) -> DocumentResult:
    from jixiao.review.classify import kind_of

    return DocumentResult(file=name, kind=kind_of(Path(name))).refuse(reason)


def _internal(exc: Exception) -> Phrase:
    return Phrase("内部错误：{error}", error=f"{type(exc).__name__}: {exc}")


def _warm_up() -> None:
    """Import the readers once in the parent, so forked workers start with them loaded."""
    import docx  # noqa: F401

    import jixiao.audit.audit
    import jixiao.services  # noqa: F401


def annotation_name(index: int, name: str) -> str:
    """A flat, unique file name for a document's annotated copy."""
    base = Path(name.replace("\\", "/")).name
    return f"{index:04d}-{base}"


def review_paths(paths: list[Path], jobs: int | None = None, *,
                 annotate_dir: Path | None = None, timeout: int = DEFAULT_TIMEOUT,
                 progress: Callable[[int], None] | None = None,
                 advance: Progress | None = None,
                 worker: Callable[[Task], DocumentResult] = run_task) -> ReviewResult:
    """Review everything under ``paths``; ``progress(total)`` is called once the pile is
    known, ``advance(result)`` after each document."""
    started = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="jixiao-review-") as scratch:
        items = collect(paths, Path(scratch))
        if progress is not None:
            progress(len(items))
        results = list(review_items(items, jobs, annotate_dir=annotate_dir, timeout=timeout,
                                    advance=advance, worker=worker))
    return summarise(results, jobs, time.perf_counter() - started)


def summarise(results: list[DocumentResult], jobs: int, seconds: float) -> ReviewResult:
    results.sort(key=triage_key)
    return ReviewResult(
        documents=results, total=len(results),
        checked=sum(1 for r in results if r.status == "checked"),
        unreadable=sum(1 for r in results if r.status == "unreadable"),
        with_errors=sum(1 for r in results if r.errors),
        nothing_checked=sum(1 for r in results if r.nothing_checked),
        jobs=jobs, seconds=Decimal(f"{seconds:.2f}"))


def review_items(items: list[Item], jobs: int, *, annotate_dir: Path | None = None,
                 timeout: int = DEFAULT_TIMEOUT, advance: Progress | None = None,
                 worker: Callable[[Task], DocumentResult] = run_task,
                 ) -> Iterator[DocumentResult]:
    tasks: list[Task] = []
    for index, item in enumerate(items, start=1):
        if item.path is None:
            result = _refused(item.name, item.reason or Phrase("无法读取"))
            if advance is not None:
                advance(result)
            yield result
            continue
        target = annotate_dir / annotation_name(index, item.name) if annotate_dir else None
        tasks.append(Task(index, item.path, item.name, target, timeout))
    if not tasks:
        return
    _warm_up()
    for result in _run_pool(tasks, jobs, worker):
        if advance is not None:
            advance(result)
        yield result


def _run_pool(tasks: list[Task], jobs: int,
              worker: Callable[[Task], DocumentResult]) -> Generator[DocumentResult, None, None]:
    broken_count: dict[int, int] = {}
    queue = tasks
    while queue:
        shared = [t for t in queue if broken_count.get(t.index, 0) < 2]
        alone = [t for t in queue if broken_count.get(t.index, 0) >= 2]
        queue = []
        batch = jobs * TASKS_PER_WORKER
        for start in range(0, len(shared), batch):
            part = shared[start:start + batch]
            _, broken = yield from _one_pool(part, min(jobs, len(part)), worker)
            for t in broken:
                broken_count[t.index] = broken_count.get(t.index, 0) + 1
                queue.append(t)
        for t in alone:
            _, broken = yield from _one_pool([t], 1, worker)
            if broken:
                yield _refused(t.name, CRASHED)


Outcome = tuple[list[Task], list[Task]]


def _one_pool(tasks: list[Task], jobs: int, worker: Callable[[Task], DocumentResult],
              ) -> Generator[DocumentResult, None, Outcome]:
    """Run ``tasks`` in one pool; yield results; return (done, broken) tasks."""
    broken: list[Task] = []
    done: list[Task] = []
    # Each worker freezes what it inherits from the parent when it starts (the readers
    # `_warm_up` imported: modules, classes, schemas, ~46,000 objects), so the cyclic
    # collector's full passes during its documents no longer walk them (a worker's 100
    # documents had one, 33 ms, ~1 % of their CPU; none since) nor write to the pages it
    # shares with the parent. Only workers freeze, never the caller (which may be a long-lived
    # web process): a cycle the parent had left uncollected merely stays until the worker
    # ends, after its documents.
    with ProcessPoolExecutor(max_workers=jobs, initializer=gc.freeze) as pool:
        pending: dict[Future[DocumentResult], Task] = {pool.submit(worker, t): t for t in tasks}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                task = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken.append(task)
                    continue
                except Exception as exc:  # a fault in jixiao: the row says so, the run goes on
                    result = _refused(task.name, _internal(exc))
                done.append(task)
                yield result
    return done, broken
