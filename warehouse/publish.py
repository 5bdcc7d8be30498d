"""Build each run into a new file and publish it atomically, so that analysts are never blocked and never
see a half-loaded run.

DuckDB 2.0 lets one process open a file for writing only when no other process has it open at all, readers
included. So a run never writes the published file: it copies it to `<name>.building`, writes there, and
CHECKPOINTs, closes and os.replace()s the copy over the published path. Readers that had the old file open
keep reading it; connections opened afterwards see the new one. A run that fails or is killed leaves the
published file untouched; its `.building` leftovers are removed by the next run.

The file is written in the storage format of `storage_version` (warehouse.storage_version), by default the
oldest one DuckDB still writes, so that the office's DuckDB 1.x clients open it; a published file in another
format (one written before the setting, or after it changed) is converted by the next run.

One writer at a time: a run holds an exclusive lock on `<name>.lock` while it builds (the kernel releases it
when the process dies, so a killed run never blocks the next one). A second run fails fast with a message
naming the holder, unless told to wait (`warehouse.writer_lock_wait_seconds`).
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from nianbao.config import OLDEST_READABLE_STORAGE
from warehouse.db import sql_literal
from warehouse.schema import migrate


class WarehouseBusy(RuntimeError):
    """Another run is building the warehouse, or someone has the published file open for writing."""


def building_path(published: Path) -> Path:
    return published.with_name(published.name + ".building")


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


@contextmanager
def writer_lock(published: Path, wait_seconds: float = 0) -> Iterator[None]:
    """The one-writer lock. Taken at once or, with `wait_seconds`, within that time; otherwise WarehouseBusy
    says who holds it (the holder writes its process id and start time into the lock file)."""
    lock_file = published.with_name(published.name + ".lock")
    with open(lock_file, "a+") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another process"
                    waited = f" (waited {wait_seconds:g} s)" if wait_seconds else ""
                    raise WarehouseBusy(
                        f"another run is building {published}{waited}: {holder} holds {lock_file}. "
                        "Run again when it has finished, or let this run wait for it "
                        "(warehouse.writer_lock_wait_seconds in the settings)"
                    ) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"process {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def file_storage(database: Path) -> str:
    """The storage format of a DuckDB file as DuckDB names it: the oldest release that reads it, e.g.
    'v1.0.0+'. Copying a file that a DuckDB CLI has open for writing could copy half a checkpoint, so a
    file locked by a writer is refused here."""
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise WarehouseBusy(
                f"{database} is open for writing in another process (a DuckDB CLI without -readonly?): "
                "close it and run again"
            ) from e
        raise
    try:
        return con.execute(
            "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()[0]
    finally:
        con.close()


@functools.cache
def storage_of_version(storage_version: str) -> str:
    """The storage format a new file written for `storage_version` gets (several releases share one)."""
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.duckdb"
        duckdb.connect(str(probe), config={"storage_compatibility_version": storage_version}).close()
        return file_storage(probe)


def _copy_converted(published: Path, build: Path, storage_version: str) -> duckdb.DuckDBPyConnection:
    """A new file in the format of `storage_version` holding everything of the published one."""
    con = duckdb.connect(str(build), config={"storage_compatibility_version": storage_version})
    try:
        (catalog,) = con.execute("SELECT current_database()").fetchone()
        con.execute(f"ATTACH {sql_literal(str(published))} AS published_copy (READ_ONLY)")
        con.execute(f'COPY FROM DATABASE published_copy TO "{catalog}"')
        con.execute("DETACH published_copy")
    except BaseException:
        con.close()
        raise
    return con


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    wal_path(path).unlink(missing_ok=True)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def building(
    published: Path, wait_seconds: float = 0, storage_version: str = OLDEST_READABLE_STORAGE
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection to a new copy of the published warehouse (or a new file), migrated to the
    current schema, in the storage format of `storage_version`. On normal exit the copy replaces the
    published file atomically; on an exception it is deleted and the published file stays as it was.
    Another run building: WarehouseBusy at once, or after `wait_seconds`."""
    published = Path(published)
    published.parent.mkdir(parents=True, exist_ok=True)
    build = building_path(published)
    with writer_lock(published, wait_seconds):
        _remove(build)  # a killed run's leftovers: we hold the lock, so nobody else is building
        if not published.exists():
            con = duckdb.connect(str(build), config={"storage_compatibility_version": storage_version})
        elif file_storage(published) == storage_of_version(storage_version):
            shutil.copyfile(published, build)
            if wal_path(published).exists():  # a crashed write session's last commits: replayed on open
                shutil.copyfile(wal_path(published), wal_path(build))
            con = duckdb.connect(str(build))
        else:
            con = _copy_converted(published, build, storage_version)
        try:
            migrate(con)
            yield con
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            _remove(build)
            raise
        con.close()
        if wal_path(build).exists():
            raise RuntimeError(f"{wal_path(build)} still exists after CHECKPOINT and close: not publishing")
        os.replace(build, published)
        wal_path(published).unlink(missing_ok=True)
        fsync_dir(published.parent)
