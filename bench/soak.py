#!/usr/bin/env python3
"""The soak run (bench/soak starts the stack and runs this): steady mixed load through two
gateways for SOAK_SECONDS, and every SAMPLE_SECONDS the resident memory of every process and the
rows of every table that must not grow with time.

The load: three rooms of seven members on sockets (split over both gateways); four senders, two
by REST and two over their sockets, each sending its next message PAUSE seconds after the last was
acknowledged, every tenth one mentioning a member (notifications); an upload and a search every
second; and every few seconds a visitor who signs in, opens a socket, says it is typing, closes it
and signs out (sessions, revocations, socket slots, presence). Tokens expire during the run
(bench/soak shortens them), so members sign in again as a client would.

What it prints: a table with one row per sample (RSS in MiB per process; rows per table; Redis
keys and memory), then the first and last sample side by side and the growth of each between the
middle and the end of the run, and finally the load's totals: messages acknowledged, of those not
stored, and what clients saw. It fails when an acknowledged message is missing.
"""
import os
import subprocess
import sys
import threading
import time
import uuid

import websocket

from chat_clients import GATEWAYS, Background, Member, Sender, Tally, call, register
import gateway_api

BUILD_DIR = os.environ["PARLEY_BUILD_DIR"]
SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", 1800))
SAMPLE_SECONDS = float(os.environ.get("SAMPLE_SECONDS", 60))
PAUSE = float(os.environ.get("PAUSE", 0.25))
PROCESSES = [("auth", 8081), ("rooms", 8082), ("messages", 8083), ("media", 8084), ("search", 8085), ("notify", 8086),
             ("gateway", 8080), ("gateway", 8090)]
# Tables whose size must not follow the run's length (the outbox and inbox of every service,
# sessions, unlinked uploads), and two that grow with the messages by design, for scale.
FLAT_TABLES = [f"{schema}.{table}" for schema in ("auth", "rooms", "messages", "media", "notify")
               for table in ("outbox_events", "outbox_deliveries", "outbox_dead_letters")] + \
              [f"{schema}.inbox_events" for schema in ("rooms", "messages", "media", "search", "notify")] + \
              ["auth.sessions", "media.attachments"]
GROWING_TABLES = ["messages.messages", "notify.notifications"]


def rss_mib(binary, port):
    for pid in subprocess.run(["pgrep", "-f", f"^{BUILD_DIR}/{binary}$"], capture_output=True, text=True).stdout.split():
        try:
            with open(f"/proc/{pid}/environ", "rb") as file:
                if f"HTTP_PORT={port}".encode() not in file.read().split(b"\0"):
                    continue
            with open(f"/proc/{pid}/status") as file:
                for line in file:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return float("nan")


def table_rows():
    # Exact counts: these tables stay small when all is well, and a count is what "flat" means.
    selects = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in FLAT_TABLES + GROWING_TABLES)
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", os.environ["POSTGRES_PORT"], "-U", os.environ["POSTGRES_SUPERUSER"],
         "-d", os.environ["POSTGRES_DATABASE"], "-AtF", "\t", "-c", selects],
        capture_output=True, text=True, check=True).stdout
    return {name: int(count) for name, count in (line.split("\t") for line in out.splitlines())}


def redis_figures():
    def ask(*command):
        return subprocess.run(["redis-cli", "-p", os.environ["REDIS_PORT"], *command], capture_output=True, text=True, check=True).stdout
    memory = next(line.split(":")[1] for line in ask("info", "memory").splitlines() if line.startswith("used_memory:"))
    return {"redis keys": int(ask("dbsize")), "redis MiB": int(memory) / 2**20}


def sample(started):
    figures = {"minute": (time.monotonic() - started) / 60}
    for binary, port in PROCESSES:
        figures[f"{binary}{'-2' if port == 8090 else ''} MiB"] = rss_mib(binary, port)
    figures.update(redis_figures())
    figures.update(table_rows())
    return figures


class Visitor(threading.Thread):
    """Signs in, opens a socket, types, closes it and signs out, every few seconds."""

    def __init__(self, username, room, seen):
        super().__init__(daemon=True)
        self.username, self.room, self.seen = username, room, seen
        self.stopping = threading.Event()

    def run(self):
        visit = 0
        while not self.stopping.wait(3):
            visit += 1
            gateway = visit % 2
            status, reply = call("POST", "/auth/login", body={"username": self.username, "password": gateway_api.PASSWORD}, gateway=gateway)
            if status != 200:
                self.seen.add(f"visitor sign-in {status or 'no answer'}")
                continue
            token = reply["token"]
            try:
                socket = websocket.create_connection(GATEWAYS[gateway].replace("http", "ws", 1) + "/ws?token=" + token, timeout=10)
                socket.send('{"type":"typing_start","data":{"room_id":"%s"}}' % self.room)
                socket.close()
            except Exception:
                self.seen.add("visitor socket failed")
            if call("POST", "/auth/logout", token, gateway=gateway)[0] != 204:
                self.seen.add("visitor sign-out failed")


def stored_contents(room, token):
    contents, before = [], None
    while True:
        status, page = call("GET", f"/rooms/{room}/messages?limit=100" + (f"&before={before}" if before else ""), token)
        assert status == 200, f"history answered {status}"
        contents.extend(m["content"] for m in page["messages"])
        if not page.get("has_more"):
            return contents
        before = page["messages"][0]["id"]


def print_row(columns, figures):
    print("| " + " | ".join(f"{figures[c]:.1f}" if isinstance(figures[c], float) else str(figures[c]) for c in columns) + " |", flush=True)


def main():
    seen = Tally()
    owner = Member(*register("soak_"), 0, seen)
    members = [Member(*register("soak_"), i % 2, seen) for i in range(6)]
    rooms = []
    for n in range(3):
        status, room = call("POST", "/rooms", owner.token, {"name": f"soak {n} {uuid.uuid4().hex[:6]}", "type": "private"})
        assert status == 201, f"room creation answered {status}"
        rooms.append(room["id"])
        for member in members:
            assert call("POST", f"/rooms/{room['id']}/members", owner.token, {"user_id": member.user_id})[0] == 201
    visitor_id, _, visitor_name = register("soak_")
    assert call("POST", f"/rooms/{rooms[0]}/members", owner.token, {"user_id": visitor_id})[0] == 201
    time.sleep(1)
    acked = []
    threads = [Sender(m, rooms[i % 3], over_socket=(i % 2 == 1), seen=seen, acked=acked, pause=PAUSE, mention=members[5].username)
               for i, m in enumerate(members[:4])]
    threads += [Background(owner, seen, pause=1.0), Visitor(visitor_name, rooms[0], seen)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    samples = [sample(started)]
    columns = list(samples[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns), flush=True)
    print_row(columns, samples[0])
    while time.monotonic() - started < SOAK_SECONDS:
        time.sleep(min(SAMPLE_SECONDS, max(0, SOAK_SECONDS - (time.monotonic() - started))))
        samples.append(sample(started))
        print_row(columns, samples[-1])
    for thread in threads:
        thread.stopping.set()
    for thread in threads:
        thread.join(65)

    middle, last = samples[len(samples) // 2], samples[-1]
    print("\n| figure | first sample | middle | last | last - middle |")
    print("|---|---|---|---|---|")
    for column in columns[1:]:
        print(f"| {column} | {samples[0][column]:.1f} | {middle[column]:.1f} | {last[column]:.1f} | {last[column] - middle[column]:+.1f} |")

    contents = [c for room in rooms for c in stored_contents(room, owner.token)]
    counted = {}
    for content in contents:
        counted[content] = counted.get(content, 0) + 1
    lost = sum(1 for _, content in acked if counted.get(content, 0) == 0)
    doubled = sum(1 for _, content in acked if counted.get(content, 0) > 1)
    print(f"\nacknowledged {len(acked)} messages in {SOAK_SECONDS / 60:.0f} minutes; not stored {lost}, stored twice {doubled}; "
          f"clients saw: {seen.text()}")
    for member in members + [owner]:
        member.close()
    return 0 if lost + doubled == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
