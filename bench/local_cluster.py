"""A real scale-out setup on one machine: a Prefect API server, a `dask scheduler` and N `dask worker`
processes, each its own OS process on 127.0.0.1, started with the same commands an operator runs on several
machines (README "Scaling out"). The tests and the scaling benchmark use it; nothing in the pipeline does.

    with LocalProcessCluster(workers=2, home=tmp) as cluster:
        os.environ["PREFECT_API_URL"] = cluster.api_url
        nightly.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))(...)
        cluster.kill_worker(0)      # kill -9, as a machine that dies
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from demo_portal.mail_sink import free_port
from flows import with_prefect_defaults

_BIN = Path(sys.executable).parent


class LocalProcessCluster:
    """`prefect server start`, `dask scheduler` and `dask worker` processes, stopped on exit. Each worker runs
    one task at a time (`--nthreads 1`) without a nanny, so that killing its process kills the worker, and
    its own process group holds the extraction processes it starts."""

    def __init__(self, workers: int, home: Path, prefect_server: bool = True, startup_timeout: float = 180):
        self.home = Path(home)
        self.workers_wanted = workers
        self.prefect_server = prefect_server
        self.startup_timeout = startup_timeout
        self.scheduler_address = ""
        self.api_url = ""
        self._processes: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.client = None  # a distributed.Client on the scheduler, once it is up

    # ------------------------------------------------------------------ processes

    def _env(self) -> dict[str, str]:
        env = with_prefect_defaults(dict(os.environ))
        env.update(PREFECT_HOME=str(self.home / "prefect-home"), DASK_TEMPORARY_DIRECTORY=str(self.home / "dask"))
        # The workers get the flow's Prefect settings (its API URL) with every task; none of them needs its own.
        env.pop("PREFECT_API_URL", None)
        return env

    def _start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.home / f"{name}.log", "w")
        process = subprocess.Popen(
            argv, env=self._env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=os.getcwd()
        )
        log.close()
        self._processes.append(process)
        return process

    def start_worker(self) -> subprocess.Popen:
        index = len(self.workers)
        worker = self._start(f"worker-{index}", [
            str(_BIN / "dask"), "worker", self.scheduler_address, "--name", f"worker-{index}",
            "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
        ])
        self.workers.append(worker)
        return worker

    def kill_worker(self, index: int) -> None:
        """kill -9 the worker's whole process group (the worker and the extraction processes it started)."""
        os.killpg(self.workers[index].pid, signal.SIGKILL)
        self.workers[index].wait()

    def __enter__(self) -> LocalProcessCluster:
        self.home.mkdir(parents=True, exist_ok=True)
        try:
            if self.prefect_server:
                port = free_port()
                self.api_url = f"http://127.0.0.1:{port}/api"
                self._start("prefect-server", [
                    str(_BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port),
                ])
            port = free_port()
            self.scheduler_address = f"tcp://127.0.0.1:{port}"
            self._start("dask-scheduler", [
                str(_BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
            ])
            for _ in range(self.workers_wanted):
                self.start_worker()
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        for process in reversed(self._processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self._processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    # ------------------------------------------------------------------ readiness

    def _wait_until_ready(self) -> None:
        from distributed import Client

        deadline = time.monotonic() + self.startup_timeout
        while self.prefect_server and not self._api_healthy():
            self._check_alive(deadline)
            time.sleep(0.5)
        while self.client is None:
            self._check_alive(deadline)
            try:
                self.client = Client(self.scheduler_address, timeout=5)
            except OSError:  # the scheduler is not listening yet
                time.sleep(0.5)
        self.client.wait_for_workers(self.workers_wanted, timeout=max(1.0, deadline - time.monotonic()))

    def _api_healthy(self) -> bool:
        try:
            return httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def _check_alive(self, deadline: float) -> None:
        for process in self._processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:2]} exited with {process.returncode}: see {self.home}/*.log")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the local cluster was not ready in {self.startup_timeout:.0f} s: see {self.home}/*.log")

    def worker_running(self, task_prefix: str) -> int | None:
        """The index of a worker that is running a task whose key starts with task_prefix, if any."""
        names = {addr: info["name"] for addr, info in self.client.scheduler_info()["workers"].items()}
        for addr, keys in self.client.processing().items():
            if any(str(key).startswith(task_prefix) for key in keys):
                return int(str(names[addr]).rsplit("-", 1)[1])
        return None

    def task_runs(self, name_like: str | None = None) -> list[dict]:
        """Every task run the Prefect server recorded (optionally those whose name contains name_like)."""
        body: dict = {"task_runs": {"name": {"like_": name_like}}} if name_like else {}
        runs: list[dict] = []
        while True:
            page = httpx.post(f"{self.api_url}/task_runs/filter", json={**body, "limit": 200, "offset": len(runs)},
                              timeout=60)
            page.raise_for_status()
            runs += page.json()
            if len(page.json()) < 200:
                return runs
