"""A throwaway PostgreSQL server on 127.0.0.1 for tests: initdb, start, yield a DSN, remove."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

NOT_FOUND = "PostgreSQL server binaries not found (Debian package postgresql)"


def bindir() -> Path | None:
    """Where initdb, pg_ctl and postgres live: `pg_config --bindir`, else /usr/lib/postgresql."""
    candidates = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name), reverse=True)
    for candidate in candidates:
        if candidate and all((Path(candidate) / b).is_file() for b in ("initdb", "pg_ctl")):
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL server in a temporary directory and yield a superuser DSN.

    The superuser `postgres` logs in with a random password over TCP (127.0.0.1 only). Running
    as root, the server runs as the `postgres` user. Everything is removed at exit.
    """
    bin_path = bindir()
    if bin_path is None:
        raise FileNotFoundError(NOT_FOUND)
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="yusuan-pg-", dir="/tmp"))
    try:
        root.chmod(0o755)
        if as_root:
            user = pwd.getpwnam("postgres")
            os.chown(root, user.pw_uid, user.pw_gid)
        password = secrets.token_hex(12)
        pwfile = root / "pwfile"
        pwfile.write_text(password + "\n")
        if as_root:
            os.chown(pwfile, user.pw_uid, user.pw_gid)

        def run(*args: str) -> None:
            process = subprocess.run([*prefix, *args], capture_output=True, text=True)
            if process.returncode != 0:
                log = root / "server.log"
                tail = log.read_text()[-2000:] if log.exists() else ""
                raise RuntimeError(f"{args[0]} failed: {process.stderr}{process.stdout}{tail}")

        data = root / "data"
        run(
            str(bin_path / "initdb"),
            "-D", str(data),
            "-U", "postgres",
            f"--pwfile={pwfile}",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        )  # fmt: skip
        port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        run(str(bin_path / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
            "-o", options, "-w", "start")  # fmt: skip
        try:
            yield f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres"
        finally:
            run(str(bin_path / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(dsn: str, name: str) -> str:
    """Create database `name` on the server of `dsn` (if missing) and return its DSN."""
    import psycopg2
    from psycopg2 import sql
    from psycopg2.extensions import make_dsn

    pg = psycopg2.connect(dsn)
    pg.autocommit = True
    with pg.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    pg.close()
    return make_dsn(dsn, dbname=name)
