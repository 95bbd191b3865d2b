"""`yusuan` command line: run the whole job, parse one document, or write a synthetic corpus."""

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


def _years(text: str) -> list[int]:
    """'2019-2024' or '2021' -> the fiscal years."""
    first, _, last = text.partition("-")
    try:
        years = list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year or a range A-B, got {text!r}") from None
    if not years:
        raise argparse.ArgumentTypeError(f"empty range {text!r}")
    return years


def _synth(args: argparse.Namespace) -> int:
    from orchestration.synth import synthesize

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    try:
        written = synthesize(
            args.out, args.departments, args.years, formats, args.seed, args.republish
        )
    except (ValueError, FileExistsError) as exc:
        print(f"yusuan: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {written.documents} documents under {Path(args.out) / 'documents'}")
    print(f"sources: {written.sources}")
    print(f"truth:   {written.truth}")
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
    synth = commands.add_parser(
        "synth", help="write a synthetic corpus of template A disclosures with its ground truth"
    )
    synth.add_argument("--departments", type=int, default=40, help="how many (default: 40)")
    synth.add_argument(
        "--years", type=_years, default=_years("2019-2024"), help="A-B or one year (2019-2024)"
    )
    synth.add_argument("--formats", default="txt", help="comma-separated: txt,pdf,docx,html")
    synth.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    synth.add_argument(
        "--republish",
        type=float,
        default=0.02,
        help="fraction of documents re-published with a correction (default: 0.02)",
    )
    synth.add_argument("--out", required=True, help="output folder (its documents/ must be new)")
    synth.set_defaults(func=_synth)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
