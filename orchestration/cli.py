"""`yusuan` command line: run the whole job, or parse one document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.sources import SourcesError


def _run(args: argparse.Namespace) -> int:
    from orchestration.pipeline import run

    try:
        summary = run(args.sources, args.home)
    except (SourcesError, RuntimeError) as exc:
        print(f"yusuan: {exc}", file=sys.stderr)
        return 2
    print("\n".join(summary.lines()))
    return 1 if summary.blocked else 0


def _parse(args: argparse.Namespace) -> int:
    from orchestration.parse.document import parse_bytes
    from orchestration.parse.run import dumps

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"yusuan: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    records = parse_bytes(data, {"url": path.resolve().as_uri()})
    print(dumps(records) if args.compact else _pretty(records))
    document = records["documents"][0]
    if document["status"] != "parsed":
        print(f"yusuan: {path}: {document['status']}: {document['status_reason']}", file=sys.stderr)
        return 1
    return 0


def _pretty(records: dict) -> str:
    import json

    from orchestration.parse.run import dumps

    return json.dumps(json.loads(dumps(records)), ensure_ascii=False, indent=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yusuan", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="fetch, parse, load, build, validate and publish once")
    run.add_argument("--sources", help="sources YAML file (default: the bundled sample corpus)")
    run.add_argument("--home", help="working directory (default: warehouse/)")
    run.set_defaults(func=_run)
    parse = commands.add_parser("parse", help="print one document's parsed records as JSON")
    parse.add_argument("file")
    parse.add_argument("--compact", action="store_true", help="one line of JSON")
    parse.set_defaults(func=_parse)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
