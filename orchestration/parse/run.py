"""Parse every landed document not yet parsed by this parser version.

Results are cached as `parsed/<version>/<sha256>.json`: an unchanged document is never parsed
twice. Documents that failed are not cached, so they are retried on the next run.

Each document is parsed in a worker process under a wall-time and a memory limit. A document
over a limit (or that kills its worker) is `unreadable`, naming the limit, and is cached as such:
a hostile document costs its full time limit once per parser version, not every night.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from multiprocessing.connection import Connection, wait
from pathlib import Path

from orchestration.fetch.landing import Landing
from orchestration.home import Home
from orchestration.parse.document import PARSER_VERSION, parse_bytes, refused
from orchestration.parse.exclusions import excluded_record, read_exclusions

PARSE_SECONDS = 60  # wall time one document's parse may take
PARSE_MEGABYTES = 1024  # memory one document's parse may take, beyond the worker's own


@dataclass
class ParseSummary:
    parsed: int = 0  # parsed in this run
    cached: int = 0  # unchanged since an earlier run
    by_status: Counter = field(default_factory=Counter)  # parsed / unsupported / failed
    problems: list[dict] = field(default_factory=list)  # document, url, status, reason


def known_documents(landing: Landing) -> dict[str, dict]:
    """sha256 -> where it was first fetched from (source_name, url), from the fetch log."""
    documents: dict[str, dict] = {}
    for attempt in landing.attempts():
        sha256 = attempt.get("sha256")
        if (
            sha256
            and attempt["status"] != "failed"
            and attempt.get("kind", "document") == "document"
            and sha256 not in documents
        ):
            documents[sha256] = {"source_name": attempt["source_name"], "url": attempt["url"]}
    return documents


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(records: dict) -> str:
    return json.dumps(records, ensure_ascii=False, default=_json_default)


def cache_dir(home: Home) -> Path:
    return home.parsed / PARSER_VERSION


INDEX = "index.jsonl"  # sha256 -> status of each cached document, so reruns read no records


def _read_index(directory: Path) -> dict[str, dict]:
    path = directory / INDEX
    if not path.exists():
        return {}
    index = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:  # a torn last line from a killed run
                continue
            index[entry.pop("sha256")] = entry
    return index


def _append_index(directory: Path, entries: list[tuple[str, dict]]) -> None:
    if entries:
        with open(directory / INDEX, "a", encoding="utf-8") as handle:
            handle.write(
                "".join(
                    json.dumps({"sha256": sha, **doc}, ensure_ascii=False) + "\n"
                    for sha, doc in entries
                )
            )


def _parse_one(task: tuple[str, str, dict]) -> dict:
    """Parse one landed document (in a worker process) and cache its records unless it failed.
    Returns its `documents` record: status and reason are all the caller needs."""
    source_path, target, origin = task
    records = parse_bytes(Path(source_path).read_bytes(), origin)
    return _cache(target, records)


def _cache(target: str, records: dict) -> dict:
    document = records["documents"][0]
    if document["status"] != "failed":
        _write_atomic(Path(target), dumps(records))
    return {k: document[k] for k in ("document_key", "status", "status_reason")}


def _serve(connection: Connection, megabytes: int) -> None:
    """A worker: parse each task received until None, with `megabytes` more address space than
    it started with. Sends each document's record, or "memory" when a parse ran out of it."""
    with open("/proc/self/statm") as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    limit = used + megabytes * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    while (task := connection.recv()) is not None:
        try:
            outcome = _parse_one(task)
        except MemoryError:
            outcome = "memory"
        connection.send(outcome)


class _Worker:
    """A worker process and the task it is parsing (index, task, deadline)."""

    def __init__(self, megabytes: int) -> None:
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_serve, args=(child, megabytes), daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, tuple, float] | None = None

    def stop(self, kill: bool = False) -> None:
        if kill or self.task is not None:
            self.process.kill()
        else:
            self.connection.send(None)
        self.process.join()
        self.connection.close()


def parse_limited(
    todo: list[tuple[str, str, dict]], workers: int, seconds: float, megabytes: int
) -> list[dict]:
    """Parse the tasks on `workers` processes, each document within `seconds` and `megabytes`;
    a worker whose document goes over a limit or kills it is replaced."""
    results: list[dict | None] = [None] * len(todo)
    pending = list(enumerate(todo))[::-1]
    idle = [_Worker(megabytes) for _ in range(min(workers, len(todo)))]
    busy: dict[Connection, _Worker] = {}
    try:
        while pending or busy:
            while pending and idle:
                worker = idle.pop()
                index, task = pending.pop()
                worker.task = (index, task, time.monotonic() + seconds)
                worker.connection.send(task)
                busy[worker.connection] = worker
            deadline = min(worker.task[2] for worker in busy.values())
            ready = wait(list(busy), timeout=max(0.0, deadline - time.monotonic()))
            now = time.monotonic()
            for worker in list(busy.values()):
                index, task, deadline = worker.task
                if worker.connection in ready:
                    try:
                        outcome = worker.connection.recv()
                    except EOFError:
                        outcome = "died"
                elif deadline <= now:
                    outcome = "time"
                else:
                    continue
                del busy[worker.connection]
                if isinstance(outcome, dict):
                    worker.task = None
                    results[index] = outcome
                    idle.append(worker)
                    continue
                worker.stop(kill=True)
                idle.append(_Worker(megabytes))
                reason = {
                    "time": f"over the parse time limit of {seconds:g} s",
                    "memory": f"over the parse memory limit of {megabytes} MB",
                    "died": f"the parse worker died (exit code {worker.process.exitcode})",
                }[outcome]
                data = Path(task[0]).read_bytes()
                results[index] = _cache(task[1], refused(data, task[2], reason))
    finally:
        for worker in idle + list(busy.values()):
            worker.stop()
    return results


def parse_all(
    home: Home,
    landing: Landing,
    workers: int | None = None,
    seconds: float = PARSE_SECONDS,
    megabytes: int = PARSE_MEGABYTES,
) -> ParseSummary:
    """Parse every known document not parsed yet by this parser version, on all cores, each
    within `seconds` of wall time and `megabytes` of memory."""
    summary = ParseSummary()
    directory = cache_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    index = _read_index(directory)
    todo, outcomes = [], []
    for sha256, origin in known_documents(landing).items():
        target = directory / f"{sha256}.json"
        if target.exists():
            summary.cached += 1
            document = index.get(sha256)
            if document is None:  # cached before the index knew it: read the record
                with open(target, encoding="utf-8") as handle:
                    document = json.loads(handle.read())["documents"][0]
            outcomes.append((origin, document))
        else:
            todo.append((str(landing.path_of(sha256)), str(target), origin))
    workers = workers or os.cpu_count() or 1
    parsed = parse_limited(todo, workers, seconds, megabytes) if todo else []
    summary.parsed = len(parsed)
    _append_index(
        directory,
        [
            (Path(t[1]).stem, d)
            for t, d in zip(todo, parsed, strict=True)
            if d["status"] != "failed"
        ],
    )
    outcomes += [(task[2], document) for task, document in zip(todo, parsed, strict=True)]
    exclusions = read_exclusions(home)
    for origin, document in outcomes:
        exclusion = exclusions.get(document["document_key"])
        if exclusion:
            document = excluded_record({"documents": [document]}, exclusion)["documents"][0]
        summary.by_status[document["status"]] += 1
        if document["status"] != "parsed":
            summary.problems.append(
                {
                    "document_key": document["document_key"],
                    "url": origin["url"],
                    "status": document["status"],
                    "reason": document["status_reason"],
                }
            )
    return summary


def parsed_records(home: Home, landing: Landing):
    """Yield each known document's records (from the cache, or parsed now if it failed); a
    document the operator excluded yields only its `documents` record, status `excluded`."""
    directory = cache_dir(home)
    exclusions = read_exclusions(home)
    for sha256, origin in known_documents(landing).items():
        target = directory / f"{sha256}.json"
        if target.exists():
            records = json.loads(target.read_text(encoding="utf-8"))
        else:
            records = json.loads(dumps(parse_bytes(landing.read(sha256), origin)))
        exclusion = exclusions.get(records["documents"][0]["document_key"])
        yield excluded_record(records, exclusion) if exclusion else records


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
