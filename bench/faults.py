#!/usr/bin/env python3
"""The fault matrix (bench/faults starts the stack and runs this): mixed load through two gateways
(REST and WebSocket sends, uploads, searches) while, one at a time, each part of the stack is
killed with SIGKILL and comes back (the services by compose/supervise, Postgres, Redis, clamd and
the S3 store's endpoint restarted here), and messages is stalled behind a proxy that stops
forwarding.

For each fault, in a room of its own: how many sends were acknowledged (a 201, or an `ack`
frame: only those count), how many of those are not stored or stored twice, how many did not
reach a member's socket or reached it twice (live, or replayed by `resume`; what a member fetched
after `refetch_required` counts as reached once), what clients saw (errors by kind, socket
reconnects, resumes, refetches), and the seconds from the fault until an upload is stored again
and a probe is seen on sockets of both gateways: a message (messages' events), the room renamed
(rooms' events) and the owner's status changed (auth's events). Before Redis is killed a session
is revoked; after it is back, that token must still be refused.

    bench/faults.py FAULT...   (see FAULTS; bench/faults passes them all)
"""
import os
import subprocess
import sys
import time
import uuid

from chat_clients import Background, Member, Sender, Tally, call, register, upload

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_DIR = os.environ["PARLEY_BUILD_DIR"]
DATA = os.environ.get("PARLEY_DATA", os.path.join(ROOT, ".data"))
STALL_FILE = os.environ["STALL_FILE"]
# Media reaches the S3 store (moto_server, which keeps its objects in memory) through a forwarder:
# killing the forwarder is the store's endpoint dying with nothing stored lost (bench/faults).
S3_FORWARDER = [sys.executable, os.path.join(ROOT, "bench", "stall-proxy.py"), os.environ["S3_FORWARDER_PORT"],
                os.environ["S3_STORE_PORT"], STALL_FILE + ".never"]
LOAD_BEFORE, LOAD_AFTER, SETTLE = 8.0, 8.0, 20.0


def pid_of(binary, port):
    """The process running `binary` on `port` (a second gateway runs the same binary)."""
    for pid in subprocess.run(["pgrep", "-f", f"^{BUILD_DIR}/{binary}$"], capture_output=True, text=True).stdout.split():
        with open(f"/proc/{pid}/environ", "rb") as file:
            if f"HTTP_PORT={port}".encode() in file.read().split(b"\0"):
                return int(pid)
    return None


def compose(function):
    subprocess.run(["bash", "-c", f'source "{ROOT}/compose/lib.sh"; {function}'], check=True, capture_output=True)


def kill(pid):
    if pid:
        os.kill(pid, 9)


def read_pid(path):
    with open(path) as file:
        return int(file.readline())


def kill_service(name, port):
    return lambda: kill(pid_of(name, port))


def restart_dependency(pidfile, start):
    def fault():
        kill(read_pid(pidfile))
        time.sleep(2)
        compose(start)
    return fault


def restart_s3_endpoint():
    kill(int(subprocess.run(["pgrep", "-f", " ".join(S3_FORWARDER[1:])], capture_output=True, text=True).stdout.split()[0]))
    time.sleep(2)
    subprocess.Popen(S3_FORWARDER, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def stall(seconds=15):
    def fault():
        open(STALL_FILE, "w").close()
        time.sleep(seconds)
        os.remove(STALL_FILE)
    return fault


FAULTS = {
    "auth": kill_service("auth", 8081), "rooms": kill_service("rooms", 8082), "messages": kill_service("messages", 8083),
    "media": kill_service("media", 8084), "search": kill_service("search", 8085), "notify": kill_service("notify", 8086),
    # The first gateway: the one the services post their events to.
    "gateway": kill_service("gateway", 8080),
    "postgres": restart_dependency(os.path.join(DATA, "postgres", "postmaster.pid"), "start_postgres"),
    "redis": restart_dependency(os.path.join(DATA, "run", "redis.pid"), "start_redis"),
    "clamd": restart_dependency(os.path.join(DATA, "run", "clamd.pid"), "start_clamd"),
    "s3": restart_s3_endpoint,
    "stall-messages": stall(),
}


def probe(owner, watchers, room, attempt):
    """True when an upload is stored and, within 2 s, sockets on each gateway see a message, a new
    room name and the owner's new status, each made through the first gateway."""
    name, chosen = f"fault probe {uuid.uuid4().hex[:8]}", ("away", "busy")[attempt % 2]
    if upload(owner.token, timeout=5) != 201:
        return False
    if call("PUT", f"/rooms/{room}", owner.token, {"name": name}, timeout=2)[0] != 200:
        return False
    if call("PATCH", "/users/me", owner.token, {"status": chosen}, timeout=2)[0] != 200:
        return False
    status, reply = call("POST", f"/rooms/{room}/messages", owner.token, {"content": "probe"}, timeout=2)
    if status != 201:
        return False
    expected = [("room", name), ("presence", owner.user_id, chosen)]
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        if all(w.has(reply["id"]) and all(note in w.notes for note in expected) for w in watchers):
            return True
        time.sleep(0.05)
    return False


def stored(room, token):
    contents = []
    before = None
    while True:
        status, page = call("GET", f"/rooms/{room}/messages?limit=100" + (f"&before={before}" if before else ""), token)
        assert status == 200, f"history answered {status}"
        contents = [m["content"] for m in page["messages"]] + contents
        if not page.get("has_more"):
            return contents
        before = page["messages"][0]["id"]


def run_fault(name, owner, members, revoked_token):
    seen = Tally()
    for member in members + [owner]:
        member.seen = seen
    status, room = call("POST", "/rooms", owner.token, {"name": f"fault {name}", "type": "private"})
    assert status == 201, f"room creation answered {status}"
    room = room["id"]
    for member in members:
        assert call("POST", f"/rooms/{room}/members", owner.token, {"user_id": member.user_id})[0] == 201
    time.sleep(1)
    acked = []
    senders = [Sender(m, room, over_socket=(i % 2 == 1), seen=seen, acked=acked) for i, m in enumerate(members[:4])]
    background = Background(owner, seen)
    for thread in senders + [background]:
        thread.start()
    time.sleep(LOAD_BEFORE)
    faulted = time.monotonic()
    FAULTS[name]()
    recovered = None
    attempt = 0
    while time.monotonic() - faulted < 120:
        attempt += 1
        if probe(owner, [members[0], members[1]], room, attempt):
            recovered = time.monotonic() - faulted
            break
        time.sleep(0.25)
    time.sleep(LOAD_AFTER)
    for thread in senders + [background]:
        thread.stopping.set()
    for thread in senders:
        thread.join(65)
    # Every member's socket catches up (or is told to refetch) before it is checked.
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline and not all(m.has(i) for m in members for i, _ in acked):
        time.sleep(0.2)
    contents = stored(room, owner.token)
    lost = sum(1 for _, content in acked if contents.count(content) == 0)
    doubled = sum(1 for _, content in acked if contents.count(content) > 1)
    missing = sum(1 for m in members for i, _ in acked if not m.has(i))
    if missing:
        undelivered = [content.split()[:2] for i, content in acked if not members[0].has(i)]
        print(f"{name}: not delivered to the first member: {undelivered}", file=sys.stderr)
    twice = sum(1 for m in members for i, _ in acked if m.received.get(i, 0) > 1)
    revocation = ""
    if revoked_token:
        status, _ = call("GET", "/auth/me", revoked_token)
        revocation = f"; revoked token after the restart: {status}"
    recovery = f"{recovered:.1f} s" if recovered is not None else "not within 120 s"
    print(f"| {name} | {len(acked)} | {lost} | {doubled} | {missing} | {twice} | {recovery} | {seen.text()}{revocation} |", flush=True)
    return lost + doubled + missing + twice == 0 and recovered is not None and (not revoked_token or status == 401)


def main():
    names = sys.argv[1:] or list(FAULTS)
    unknown = [n for n in names if n not in FAULTS]
    assert not unknown, f"unknown faults {unknown}; known: {list(FAULTS)}"
    seen = Tally()
    owner = Member(*register("fault_"), 0, seen)
    members = [Member(*register("fault_"), i % 2, seen) for i in range(6)]
    time.sleep(1)
    print("| fault | acknowledged | not stored | stored twice | not delivered | delivered twice | back to normal after | what clients saw |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    clean = True
    for name in names:
        revoked = None
        if name == "redis":
            # Signed out just before Redis dies: the revocation must outlive it.
            _, revoked, _ = register("fault_")
            assert call("POST", "/auth/logout", revoked)[0] == 204
        clean = run_fault(name, owner, members, revoked) and clean
    for member in members + [owner]:
        member.close()
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
