"""An operator keeps a document out of the warehouse by its key, with a reason, and takes it
back; a mistyped key, a missing reason or a broken exclusions file is refused, naming why."""

from __future__ import annotations

import hashlib

from conftest import SAMPLE, yusuan

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.home import Home
from orchestration.parse.exclusions import exclusions_path, read_exclusions
from orchestration.parse.run import parse_all, parsed_records

NOTE = "会议纪要：与预算无关。".encode()


def landed_home(tmp_path) -> tuple[Home, Landing, str]:
    """A home with the sample budget and a note landed; returns the budget's key."""
    home = Home.at(tmp_path / "home")
    landing = Landing(home.root)
    attempts = []
    for name, data in {"budget.txt": SAMPLE.read_bytes(), "note.txt": NOTE}.items():
        sha256, _ = landing.store(data)
        attempts.append(FetchAttempt(f"https://example.cn/{name}", "test", "new", sha256=sha256))
    landing.log(attempts)
    return home, landing, hashlib.sha256(SAMPLE.read_bytes()).hexdigest()[:16]


def test_an_excluded_document_reaches_no_fact_and_comes_back_when_included(tmp_path):
    home, landing, key = landed_home(tmp_path)
    excluded = yusuan(
        "exclude", key, "--reason", "项目表缺页，已联系财政局", "--home", str(home.root)
    )
    assert excluded.returncode == 0, excluded.stderr
    assert excluded.stdout == (
        f"excluded {key} (https://example.cn/budget.txt): it leaves the warehouse at the next run\n"
    )
    listed = yusuan("exclude", "--home", str(home.root))
    assert listed.stdout.startswith(f"{key}  20") and "项目表缺页，已联系财政局" in listed.stdout

    summary = parse_all(home, landing, workers=1)
    assert summary.by_status == {"excluded": 1, "unsupported": 1}
    problem = next(p for p in summary.problems if p["document_key"] == key)
    assert problem["status"] == "excluded"
    assert problem["reason"].startswith("excluded by the operator (20")
    assert problem["reason"].endswith("): 项目表缺页，已联系财政局")
    records = {r["documents"][0]["document_key"]: r for r in parsed_records(home, landing)}
    assert list(records[key]) == ["documents"]  # no duty, unit, project or indicator
    document = records[key]["documents"][0]
    assert (document["status"], document["url"], document.get("department_name")) == (
        "excluded",
        "https://example.cn/budget.txt",
        None,
    )

    included = yusuan("include", key, "--home", str(home.root))
    assert (included.returncode, included.stdout) == (
        0,
        f"included {key}: it returns to the warehouse at the next run\n",
    )
    assert read_exclusions(home) == {}
    records = {r["documents"][0]["document_key"]: r for r in parsed_records(home, landing)}
    assert records[key]["documents"][0]["status"] == "parsed"
    assert len(records[key]["indicators"]) > 100


def test_mistakes_are_refused_naming_the_key_or_the_line(tmp_path):
    home, _, key = landed_home(tmp_path)
    root = str(home.root)
    cases = [
        (["exclude", key, "--home", root], "yusuan: a reason is needed"),
        (["exclude", "0123456789abcdef", "--reason", "x", "--home", root], "no landed document"),
        (["exclude", "budget.txt", "--reason", "x", "--home", root], "'budget.txt' is not a"),
    ]
    for args, message in cases:
        process = yusuan(*args)
        assert process.returncode == 2 and message in process.stderr, (args, process.stderr)
    assert not exclusions_path(home).exists()

    process = yusuan("include", "0123456789abcdef", "--home", root)
    assert process.returncode == 1
    assert process.stderr == "yusuan: 0123456789abcdef was not excluded\n"

    exclusions_path(home).write_text("document_key,reason\nnangong,bad\n", encoding="utf-8")
    process = yusuan("run", "--home", root)
    assert process.returncode == 2
    assert process.stderr == (
        f"yusuan: {exclusions_path(home)}, line 2: document_key 'nangong' is not "
        "16 hexadecimal digits\n"
    )
