"""A run writes nothing into the user's home: Prefect's home (its database, results, logs) and LibreOffice's
profile live under the data folder. A real `nianbao run` in a process whose HOME is an empty folder, with a
temporary Prefect server of its own (a cold Prefect home: its database is created and migrated)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from demo_portal.mail_sink import MailSink
from nianbao.config import PROJECT_DIR


@pytest.mark.slow
def test_a_run_writes_nothing_into_the_home_and_keeps_prefect_under_the_data_folder(tmp_path, demo_portal_url, pipeline_config):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k not in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    env.update(HOME=str(home), PYTHONPATH=str(PROJECT_DIR), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    with MailSink(tmp_path / "mail", port=0) as sink:
        config = pipeline_config(tmp_path, demo_portal_url, sink.port)
        done = subprocess.run(
            [sys.executable, "-c", "from cli import app; app()", "run", "--portals", str(config.portals_file),
             "--settings", str(config.settings_file)],
            env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert sink.received  # a real run: it loaded, judged and sent
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []
    assert (config.data_dir / "prefect" / "prefect.db").exists()
