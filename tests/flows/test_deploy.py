"""`nianbao deploy` registers the nightly schedule with a real Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from demo_portal.mail_sink import free_port

BIN = Path(sys.executable).parent


@pytest.fixture
def prefect_server(tmp_path):
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_UI_ENABLED": "false",
    }
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the Prefect server did not start in 120 s"
            time.sleep(0.5)
        yield api, env
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_deploy_registers_the_nightly_run_at_two_in_the_morning_beijing_time(prefect_server):
    api, env = prefect_server
    result = subprocess.run([BIN / "nianbao", "deploy"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

    deployments = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
    nightly = next(d for d in deployments if d["name"] == "nightly")
    [schedule] = nightly["schedules"]
    assert schedule["schedule"]["cron"] == "0 2 * * *"
    assert schedule["schedule"]["timezone"] == "Asia/Shanghai"
    assert schedule["active"] is True
    assert nightly["work_pool_name"] == "nianbao"
    assert nightly["parameters"]["portals_file"] == "config/portals.yaml"
