# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fan-out of live updates (issue 15): ``python -m bench.live [--clients 1000]``.

Starts the real web server (``ijam.__main__.web_server_command``, as ``./ijam.sh start``
does) on the bench database, with Redis as the channel layer, and connects ``--clients``
websockets, each a different task worker of one organisation with a session that passed the
second factor. Then a task is assigned to that organisation through the service, and every
socket waits for its ``{"changed": "tasks"}``. Reported: time from the assignment call to
each socket's message (median, p95, max), and the web server's memory per connection. Then
the same with two web processes, the sockets split over them.

Needs ``REDIS_URL`` (one web process could do without, but the assignment is made here, in
another process, as a worker or another web process would make it). The first run loads the
demo year into ``ijam_bench_live`` (a few minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"


def _raise_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _prepare(clients: int):
    """The organisation, its ``clients`` task workers with sessions, a director and a case."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from casebook.models import Case, Organisation, Role, User

    organisation = Organisation.objects.get(short_name="Halt")
    role = Role.objects.get(code=Role.PARTNER)
    existing = list(User.objects.filter(username__startswith="bench-live-").order_by("pk"))
    for n in range(len(existing), clients):
        user = User.objects.create_user(
            username=f"bench-live-{n}", password=None, organisation=organisation,
            first_name="Bench", last_name=f"Live {n}", email="",
        )  # fmt: skip
        user.roles.add(role)
        existing.append(user)
    keys = []
    for user in existing[:clients]:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "casebook.auth.RoleBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        keys.append(session.session_key)
    director = User.objects.filter(roles__code=Role.PROCESS_DIRECTOR).first()
    case = Case.objects.filter(closed_at__isnull=True).order_by("pk").first()
    return organisation, director, case, keys


def _server(port: int, env: dict) -> subprocess.Popen:
    from ijam.__main__ import web_server_command

    log = (RESULTS_DIR / f"live-server-{port}.log").open("w")

    return subprocess.Popen(  # noqa: S603 - our own command
        web_server_command("127.0.0.1", port), env=env, cwd=BASE_DIR,
        stdout=log, stderr=subprocess.STDOUT, preexec_fn=_raise_file_limit,
    )  # fmt: skip


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _wait_for(port: int) -> None:
    for _ in range(300):
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.2)
    raise RuntimeError(f"de webserver op poort {port} start niet")


async def _wait_for_all(ports: list[int]) -> None:
    await asyncio.gather(*(_wait_for(port) for port in ports))


async def _run(ports: list[int], keys: list[str], assign, servers) -> dict:
    from websockets.asyncio.client import connect

    sockets = []
    for n, key in enumerate(keys):
        port = ports[n % len(ports)]
        socket = await connect(
            f"ws://127.0.0.1:{port}/ws/meldingen/",
            additional_headers={"Cookie": f"sessionid={key}", "Origin": f"http://127.0.0.1:{port}"},
            open_timeout=60, ping_interval=None,
        )  # fmt: skip
        # The unread count: connected and verified.
        json.loads(await asyncio.wait_for(socket.recv(), timeout=30))
        sockets.append(socket)
    connected_kb = sum(_rss_kb(server.pid) for server in servers)

    async def heard(socket) -> float:
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
            if message.get("changed") == "tasks":
                return time.perf_counter()

    await asyncio.to_thread(assign)  # a first assignment warms the process up, unmeasured
    for socket in sockets:
        await heard(socket)
    waiting = [asyncio.create_task(heard(socket)) for socket in sockets]
    started = time.perf_counter()
    await asyncio.to_thread(assign)
    assigned = time.perf_counter()
    arrivals = await asyncio.gather(*waiting)
    for socket in sockets:
        await socket.close()
    latencies = sorted((t - started) * 1000 for t in arrivals)
    return {
        "clients": len(sockets),
        "web_processes": len(ports),
        "assign_call_ms": round((assigned - started) * 1000, 1),
        "latency_ms_median": round(statistics.median(latencies), 1),
        "latency_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "latency_ms_max": round(latencies[-1], 1),
        "server_rss_kb_connected": connected_kb,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--database", default="ijam_bench_live")
    args = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL"):
        print("REDIS_URL ontbreekt: deze meting gaat over Redis als kanaallaag.")
        return 2
    _raise_file_limit()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    from bench.__main__ import RESULTS, _fill, _setup

    _setup(args.database)
    _fill(0)
    from django.conf import settings
    from django.db import connections

    from workflows.tasks import services as tasks
    from workflows.tasks.models import TaskType

    organisation, director, case, keys = _prepare(args.clients)
    task_type = TaskType.objects.get(code="schoolgesprek")

    def assign() -> None:
        tasks.task_assign(
            case=case, actor=director, task_type=task_type, organisation=organisation,
            instruction="Bench",
        )  # fmt: skip
        connections.close_all()

    prefix = secrets.token_hex(4)
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "ijam.settings", "DEBUG": "1",
        "SECRET_KEY": settings.SECRET_KEY, "IJAM_AUDIT_KEY": settings.IJAM_AUDIT_KEY,
        "IJAM_PSEUDONYM_KEY": settings.IJAM_PSEUDONYM_KEY, "IJAM_CHANNEL_PREFIX": prefix,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }  # fmt: skip
    # This process pushes through the same Redis, under the same prefix.
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = prefix
    from channels.layers import channel_layers

    channel_layers.backends.clear()

    from tests.test_secret_key import free_port

    results = {}
    for processes in (1, 2):
        ports = [free_port() for _ in range(processes)]
        servers = [_server(port, env) for port in ports]
        try:
            asyncio.run(_wait_for_all(ports))
            idle = [_rss_kb(server.pid) for server in servers]
            outcome = asyncio.run(_run(ports, keys, assign, servers))
            per_connection = (outcome["server_rss_kb_connected"] - sum(idle)) / args.clients
            outcome["memory_kb_per_connection"] = round(per_connection, 1)
            results[f"web_processes_{processes}"] = outcome
            print(json.dumps(outcome))
        finally:
            for server in servers:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    results["load_average"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"live-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"resultaten: {out.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    raise SystemExit(main())
