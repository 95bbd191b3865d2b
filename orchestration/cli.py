"""`yusuan`: the Yusuan warehouse of government budget disclosures.

commands:
  run      fetch, parse, load, build, validate and publish once (as Dagster runs)
  status   the last run, last publish, freshness and failing checks
  publish  copy the published marts to PostgreSQL
  exclude  keep a document out of the warehouse (by its key, with a reason); list them
  include  take a document off the exclusions
  parse    print one document's parsed records as JSON
  synth    write a synthetic corpus with its ground truth
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from orchestration.parse.exclusions import ExclusionError
from orchestration.safe_text import printable, safe_json
from orchestration.sources import SourcesError


def _run(args: argparse.Namespace) -> int:
    from orchestration.pipeline import run

    try:
        summary = run(args.sources, args.home, quiet=args.quiet, postgres=args.postgres)
    except (SourcesError, ExclusionError, RuntimeError) as exc:
        print(printable(f"yusuan: {exc}"), file=sys.stderr)
        return 2
    print("\n".join(summary.lines()))
    return 0 if summary.ok else 1


def _status(args: argparse.Namespace) -> int:
    from orchestration.home import Home
    from orchestration.status import status

    result = status(Home.at(args.home), args.max_age_hours)
    print("\n".join(result.lines))
    return 0 if result.healthy else 1


def _publish(args: argparse.Namespace) -> int:
    from orchestration.home import Home
    from orchestration.postgres import PostgresPublishError, publish_to_postgres

    if not args.postgres:
        print(
            "yusuan: no PostgreSQL DSN: pass --postgres or set YUSUAN_POSTGRES_DSN", file=sys.stderr
        )
        return 2
    try:
        release = publish_to_postgres(Home.at(args.home).warehouse, args.postgres, args.reader_role)
    except PostgresPublishError as exc:
        print(f"yusuan: {exc}", file=sys.stderr)
        return 2
    print("\n".join(release.lines()))
    return 0


def _parse(args: argparse.Namespace) -> int:
    from orchestration.parse.document import parse_bytes
    from orchestration.parse.run import dumps

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(printable(f"yusuan: cannot read {path}: {exc.strerror}"), file=sys.stderr)
        return 2
    records = parse_bytes(data, {"url": path.resolve().as_uri()})
    print(safe_json(dumps(records) if args.compact else _pretty(records)))
    document = records["documents"][0]
    if document["status"] != "parsed":
        reason = f"yusuan: {path}: {document['status']}: {document['status_reason']}"
        print(printable(reason), file=sys.stderr)
        return 1
    return 0


def _exclude(args: argparse.Namespace) -> int:
    from orchestration.fetch.landing import Landing
    from orchestration.home import Home
    from orchestration.parse.document import document_key
    from orchestration.parse.exclusions import exclude, read_exclusions
    from orchestration.parse.run import known_documents

    home = Home.at(args.home)
    try:
        if not args.keys:
            for key, row in sorted(read_exclusions(home).items()):
                print(printable(f"{key}  {row.get('excluded_at') or ''}  {row['reason']}"))
            return 0
        landed = known_documents(Landing(home.root))
        urls = {document_key(sha256): origin["url"] for sha256, origin in landed.items()}
        keys = exclude(home, args.keys, args.reason or "", set(urls))
    except ExclusionError as exc:
        print(printable(f"yusuan: {exc}"), file=sys.stderr)
        return 2
    for key in keys:
        print(printable(f"excluded {key} ({urls[key]}): it leaves the warehouse at the next run"))
    return 0


def _include(args: argparse.Namespace) -> int:
    from orchestration.home import Home
    from orchestration.parse.exclusions import include

    try:
        removed = include(Home.at(args.home), args.keys)
    except ExclusionError as exc:
        print(printable(f"yusuan: {exc}"), file=sys.stderr)
        return 2
    for key in removed:
        print(f"included {key}: it returns to the warehouse at the next run")
    for key in sorted({k.strip().lower()[:16] for k in args.keys} - set(removed)):
        print(printable(f"yusuan: {key} was not excluded"), file=sys.stderr)
    return 0 if len(removed) == len(set(args.keys)) else 1


def _layout(text: str) -> str:
    from orchestration.synth.render import style  # renderers import their libraries lazily

    try:
        style(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


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

    if args.hostile:
        from orchestration.synth.hostile import write_hostile_corpus

        folder = Path(args.out) / "hostile"
        cases = write_hostile_corpus(folder)
        print(f"wrote {len(cases)} hostile documents under {folder}")
        for case in cases:
            print(f"  {case.file_name}: {case.attack} -> {case.status}")
        return 0
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    try:
        written = synthesize(
            args.out, args.departments, args.years, formats, args.seed, args.republish, args.layout
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
    parser = argparse.ArgumentParser(
        prog="yusuan", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="fetch, parse, load, build, validate and publish once")
    run.add_argument("--sources", help="sources YAML file (default: the bundled sample corpus)")
    run.add_argument("--home", help="working directory (default: warehouse/)")
    run.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    run.add_argument(
        "--postgres",
        default=os.environ.get("YUSUAN_POSTGRES_DSN"),
        help="also replace the marts in this PostgreSQL database (default: $YUSUAN_POSTGRES_DSN)",
    )
    run.set_defaults(func=_run)
    state = commands.add_parser(
        "status",
        help="the last run, last publish, freshness and failing checks (exit 1 when unhealthy)",
    )
    state.add_argument("--home", help="working directory (default: warehouse/)")
    state.add_argument(
        "--max-age-hours", type=float, default=26.0, help="stale after this long (default: 26)"
    )
    state.set_defaults(func=_status)
    publish = commands.add_parser(
        "publish", help="copy the published warehouse's marts and audit tables to PostgreSQL"
    )
    publish.add_argument(
        "--postgres",
        default=os.environ.get("YUSUAN_POSTGRES_DSN"),
        help="postgresql://user:password@host:port/db (default: $YUSUAN_POSTGRES_DSN)",
    )
    publish.add_argument("--home", help="working directory (default: warehouse/)")
    publish.add_argument(
        "--reader-role", default="yusuan_reader", help="read-only role for BI logins"
    )
    publish.set_defaults(func=_publish)
    excluding = commands.add_parser(
        "exclude",
        help="keep documents out of the warehouse from the next run on (no key: list them)",
    )
    excluding.add_argument("keys", nargs="*", metavar="document_key")
    excluding.add_argument("--reason", help="why (required), kept beside the document")
    excluding.add_argument("--home", help="working directory (default: warehouse/)")
    excluding.set_defaults(func=_exclude)
    including = commands.add_parser("include", help="take documents off the exclusions")
    including.add_argument("keys", nargs="+", metavar="document_key")
    including.add_argument("--home", help="working directory (default: warehouse/)")
    including.set_defaults(func=_include)
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
    synth.add_argument(
        "--layout",
        type=_layout,
        default="plain",
        help="how PDF, DOCX and HTML print their tables: plain, wrapped, merged, split_repeat, "
        "split_bare, landscape, unruled, narrow, wide, or several joined by + "
        "(unruled+merged; default: plain)",
    )
    synth.add_argument(
        "--hostile",
        action="store_true",
        help="write the hostile corpus instead: one document per attack, with its outcome",
    )
    synth.add_argument("--out", required=True, help="output folder (its documents/ must be new)")
    synth.set_defaults(func=_synth)
    args, extra = parser.parse_known_args(argv)
    if extra:  # the command's own usage, not the top level's
        commands.choices[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        code = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`yusuan parse doc.pdf | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
