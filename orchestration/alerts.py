"""Alerts for the people on call: a failed or blocked run is written to `<home>/alerts.log`
(one JSON object a line) and, when `YUSUAN_ALERT_WEBHOOK` is set, POSTed there as JSON.

A webhook that cannot be reached never fails the run: the alert is still in the log, with
the delivery error beside it.

The `summary` is for people to read, so it is `printable` (control characters escaped); the
details keep their values, and a line of the log escapes the characters a terminal would act
on (`safe_json`).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

from orchestration.home import Home
from orchestration.safe_text import printable, safe_json

WEBHOOK_ENV = "YUSUAN_ALERT_WEBHOOK"


def send_alert(home: Home, kind: str, summary: str, **details) -> dict:
    """Record an alert of `kind` (e.g. `run_failed`, `publish_blocked`) and deliver it."""
    alert = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "kind": kind,
        "home": str(home.root),
        "summary": printable(summary),
        **details,
    }
    url = os.environ.get(WEBHOOK_ENV)
    if url:
        try:
            response = requests.post(url, json=alert, timeout=10)
            response.raise_for_status()
            alert["delivered"] = True
        except requests.RequestException as exc:  # the URL may hold a token: log its host only
            alert["delivered"] = False
            alert["delivery_error"] = f"{urlsplit(url).netloc}: {type(exc).__name__}"
    with open(home.alerts, "a", encoding="utf-8") as log:
        log.write(safe_json(json.dumps(alert, ensure_ascii=False)) + "\n")
    return alert
