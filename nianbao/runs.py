"""The run journal: every run leaves a record, whatever happens to it.

    started ─┬─ succeeded
             ├─ succeeded_with_undelivered_alerts   (published; an alert email could not be sent)
             ├─ failed      (with the reason and the stage it failed in)
             └─ abandoned   (killed: a later run found it started, without an end, and its process gone)

The warehouse's `runs` table is built inside the run's own copy of the warehouse and published only with it,
so a run killed or failing before its publish would leave nothing there. The journal is written first: one
JSON file per run under <data_dir>/runs/, replaced atomically at each change, and a lock file the run holds
for as long as its process lives (the kernel drops the lock when the process dies, however it dies). Every
warehouse build copies the journal into `runs` (warehouse.load.record_runs).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

STATUSES = ("started", "succeeded", "succeeded_with_undelivered_alerts", "failed", "abandoned")
ENDED = STATUSES[1:]


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    started_at: datetime
    status: str = "started"
    stage: str | None = None  # crawl | extract | load | validate | publish | alerts: where it is (or ended)
    finished_at: datetime | None = None
    error: str | None = None  # why it failed, was abandoned, or which alerts were not delivered
    params: dict = field(default_factory=dict)
    counts: dict | None = None
    flow_run_id: str | None = None  # the Prefect flow run, to be told when the run is found abandoned
    process: str = ""  # host:pid of the process that ran it

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, default=str, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RunRecord:
        record = json.loads(text)
        for key in ("started_at", "finished_at"):
            if record[key] is not None:
                record[key] = datetime.fromisoformat(record[key])
        return cls(**record)


class RunJournal:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._held: dict[str, int] = {}  # run_id -> the open lock file descriptor of a run of this process

    def _path(self, run_id: str) -> Path:
        return self.folder / f"{run_id}.json"

    def _lock_path(self, run_id: str) -> Path:
        return self.folder / f"{run_id}.lock"

    def _write(self, record: RunRecord) -> RunRecord:
        path = self._path(record.run_id)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(record.to_json(), "utf-8")
        os.replace(partial, path)
        return record

    def get(self, run_id: str) -> RunRecord:
        return RunRecord.from_json(self._path(run_id).read_text("utf-8"))

    def records(self) -> list[RunRecord]:
        if not self.folder.exists():
            return []
        return sorted((RunRecord.from_json(p.read_text("utf-8")) for p in self.folder.glob("*.json")),
                      key=lambda r: (r.started_at, r.run_id))

    # ------------------------------------------------------------------------------------ this run

    def start(self, run_id: str, started_at: datetime, params: dict, flow_run_id: str | None = None) -> RunRecord:
        """Record the run as started and hold its lock until finish() or the process's end."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path(run_id), os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._held[run_id] = fd
        return self._write(RunRecord(run_id, started_at, params=params, flow_run_id=flow_run_id,
                                     process=f"{socket.gethostname()}:{os.getpid()}"))

    def stage(self, run_id: str, stage: str, counts: dict | None = None) -> RunRecord:
        earlier = self.get(run_id)
        return self._write(replace(earlier, stage=stage, counts=counts or earlier.counts))

    def finish(self, run_id: str, status: str, *, error: str | None = None, counts: dict | None = None) -> RunRecord:
        if status not in ENDED:
            raise ValueError(f"a run ends {' | '.join(ENDED)}, not {status!r}")
        earlier = self.get(run_id)
        record = self._write(replace(earlier, status=status, error=error, counts=counts or earlier.counts,
                                     finished_at=datetime.now(timezone.utc)))
        fd = self._held.pop(run_id, None)
        if fd is not None:
            os.close(fd)  # closing drops the lock
        self._lock_path(run_id).unlink(missing_ok=True)
        return record

    # ------------------------------------------------------------------------------------ other runs

    def close_abandoned(self) -> list[RunRecord]:
        """Mark `abandoned` every started run whose process is gone (its lock is free), and return them."""
        closed = []
        for record in self.records():
            if record.status != "started" or record.run_id in self._held or not self._process_gone(record.run_id):
                continue
            where = f" during {record.stage}" if record.stage else ""
            closed.append(self._write(replace(
                record, status="abandoned", finished_at=datetime.now(timezone.utc),
                error=f"the run ended without finishing{where} (its process {record.process} was killed or "
                      "crashed); closed by a later run",
            )))
            self._lock_path(record.run_id).unlink(missing_ok=True)
        return closed

    def _process_gone(self, run_id: str) -> bool:
        try:
            fd = os.open(self._lock_path(run_id), os.O_RDWR)
        except FileNotFoundError:
            return True  # a run never holds its record without its lock file
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)
