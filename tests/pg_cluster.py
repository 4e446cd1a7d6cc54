"""A throwaway PostgreSQL cluster from Debian's binaries, for tests and measurements.

Started on loopback and a Unix socket in a temporary directory, trusting local
connections, with durability off (fsync, full-page writes, synchronous commit):
fast and disposable. PostgreSQL refuses to run as root, so when we are root every
server command runs as the ``postgres`` user.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from glob import glob
from pathlib import Path


class PostgresNotInstalled(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    """``PostgresCluster.start()`` makes and starts one; ``url`` names its server (no
    database); ``restart()`` restarts it as an administrator would; ``remove()`` stops it
    and deletes its files."""

    def __init__(self, bindir: Path, workdir: Path, port: int) -> None:
        self.bindir, self.workdir, self.port = bindir, workdir, port
        self.datadir = workdir / "data"
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @classmethod
    def start(cls, prefix: str = "inti-pg-") -> PostgresCluster:
        bins = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise PostgresNotInstalled(
                "PostgreSQL is not installed: run the README's test command, which installs it.")
        cluster = cls(Path(bins[-1]).parent, Path(tempfile.mkdtemp(prefix=prefix)), free_port())
        if cluster.run_as:
            shutil.chown(cluster.workdir, "postgres", "postgres")
        try:
            cluster._run("initdb", "-D", str(cluster.datadir), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                         "--no-sync")
            cluster._pg_ctl("start")
        except BaseException:
            cluster.remove()
            raise
        return cluster

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def restart(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: open transactions rolled back, connections closed)
        and start it again; returns once it accepts connections."""
        self._pg_ctl("restart", "-m", mode)

    def remove(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _pg_ctl(self, action: str, *args: str) -> None:
        options = (f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.datadir), "-o", options, "-l", str(self.workdir / "log"), "-w",
                  action, *args)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        subprocess.run([*self.run_as, str(self.bindir / program), *args], check=check, capture_output=True)
