"""The Dagster UI as a user opens it: a real webserver, its GraphQL API, and the asset graph
rendered in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import ROOT
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--window-size=1600,1000",
    # nothing leaves the machine
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOT = ROOT / "warehouse" / "test-artifacts" / "asset_graph.png"
STARTUP_TIMEOUT = 180  # seconds for the webserver to load the code location and answer

EXPECTED_ASSETS = {
    "fetched_documents",
    "parsed_documents",
    "raw/indicators",
    "staging/stg_indicators",
    "marts/fct_project_cost",
    "marts/dim_document",
    "warehouse_audit",
    "published_warehouse",
}
EXPECTED_CHECKS = {  # asset: checks it has (at least)
    "warehouse_audit": {"blocking_expectations"},  # the publish gate
    "marts/fct_project_cost": {"fct_project_cost"},  # a GX suite, on the asset it checks
    "raw/indicators": {"raw_indicators"},
    "marts/dim_document": {  # dbt tests
        "unique_dim_document_document_key",
        "not_null_dim_document_document_key",
    },
}
EXPECTED_SCHEDULES = {"nightly": ("0 2 * * *", "Asia/Shanghai")}  # name: (cron, timezone)
EXPECTED_SENSORS = {"build_after_fetch", "alert_on_run_failure"}
# assets built nightly: the freshness policy the UI shows (deadline cron, timezone, hours)
NIGHTLY = {
    "deadlineCron": "0 6 * * *",
    "timezone": "Asia/Shanghai",
    "lowerBoundDeltaSeconds": 86400,
}
FRESH_NIGHTLY = {"marts/fct_project_cost", "marts/dim_document", "published_warehouse"}

# The asset graph opens these groups; `load` (raw tables) and `model` (dbt) stay collapsed, so
# the whole flow fits the window and these assets show as nodes.
GRAPH_GROUPS = ("fetch", "parse", "validate", "publish")
GRAPH_ASSETS = ("fetched_documents", "parsed_documents", "warehouse_audit")

LOCATIONS_QUERY = """
{
  workspaceOrError {
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
}
"""
ASSETS_QUERY = """
{
  assetNodes {
    assetKey { path }
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name } }
      ... on Error { message }
    }
    internalFreshnessPolicy {
      ... on CronFreshnessPolicy { deadlineCron timezone lowerBoundDeltaSeconds }
    }
  }
}
"""
REPOSITORIES_QUERY = """
{
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes {
        name
        schedules { name cronSchedule executionTimezone }
        sensors { name }
      }
    }
  }
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster-webserver exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    pytest.fail(f"dagster-webserver did not answer in {STARTUP_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def webserver(tmp_path_factory) -> str:
    """`dagster-webserver` on a free port with its own DAGSTER_HOME and Yusuan home: its URL."""
    tmp = tmp_path_factory.mktemp("ui")
    dagster_home = tmp / "dagster"
    dagster_home.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", dagster_home)
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home), "YUSUAN_HOME": str(tmp / "home")}
    port = free_port()
    exe = Path(sys.executable).with_name("dagster-webserver")
    command = [str(exe), "-h", "127.0.0.1", "-p", str(port), "-m", "orchestration.definitions"]
    log = tmp / "webserver.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.fixture
def chromium(tmp_path):
    """Headless Chromium driven by the Debian chromedriver (Selenium Manager is never used)."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def test_webserver_lists_assets_checks_schedules_and_sensors(webserver):
    locations = graphql(webserver, LOCATIONS_QUERY)["workspaceOrError"]["locationEntries"]
    assert [(e["name"], e["loadStatus"], e["locationOrLoadError"]) for e in locations] == [
        ("orchestration.definitions", "LOADED", {"__typename": "RepositoryLocation"})
    ]

    nodes = graphql(webserver, ASSETS_QUERY)["assetNodes"]
    assets = {"/".join(n["assetKey"]["path"]): n["assetChecksOrError"] for n in nodes}
    assert EXPECTED_ASSETS - assets.keys() == set()  # missing assets
    policies = {"/".join(n["assetKey"]["path"]): n["internalFreshnessPolicy"] for n in nodes}
    assert {key: policies[key] for key in FRESH_NIGHTLY} == dict.fromkeys(FRESH_NIGHTLY, NIGHTLY)
    assert policies["parsed_documents"] is None
    errors = {key: v for key, v in assets.items() if v["__typename"] != "AssetChecks"}
    assert not errors
    checks = {key: {c["name"] for c in v["checks"]} for key, v in assets.items()}
    for asset, expected in EXPECTED_CHECKS.items():
        assert expected - checks[asset] == set(), f"checks missing on {asset}"

    [repository] = graphql(webserver, REPOSITORIES_QUERY)["repositoriesOrError"]["nodes"]
    schedules = {
        s["name"]: (s["cronSchedule"], s["executionTimezone"]) for s in repository["schedules"]
    }
    assert EXPECTED_SCHEDULES.items() - schedules.items() == set()
    assert EXPECTED_SENSORS - {s["name"] for s in repository["sensors"]} == set()


@pytest.mark.skipif(
    not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
    reason=f"{CHROMIUM} or {CHROMEDRIVER} not found: install the Debian packages chromium and "
    "chromium-driver (./dev test does so when run as root)",
)
def test_asset_graph_renders_in_chromium(chromium, webserver):
    graphql(webserver, "mutation { setNuxSeen }")  # dismiss the first-visit dialog, as Skip does
    expanded = ",".join(f"global@global:{group}" for group in GRAPH_GROUPS)  # the UI's group ids
    chromium.get(f"{webserver}/asset-groups?{urlencode({'expanded': expanded})}")

    wait = WebDriverWait(chromium, 60)
    for name in GRAPH_ASSETS:
        wait.until(ec.visibility_of_element_located((By.XPATH, f"//*[text()='{name}']")))
    # A name over 18 characters is shortened in the middle (publish…_warehouse); hovering its
    # node shows it whole.
    shortened = "//*[starts-with(text(), 'publish') and contains(text(), '_warehouse')]"
    node = wait.until(ec.visibility_of_element_located((By.XPATH, shortened)))
    ActionChains(chromium).move_to_element(node).perform()
    wait.until(ec.visibility_of_element_located((By.XPATH, "//*[text()='published_warehouse']")))
    assert chromium.title == "Global asset lineage"

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert chromium.save_screenshot(str(SCREENSHOT))
    png = SCREENSHOT.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width == 1600 and height >= 800
    assert len(png) > 20_000
