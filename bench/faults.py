#!/usr/bin/env python3
"""The fault matrix (bench/faults starts the stack and runs this): mixed load through two gateways
(REST and WebSocket sends, uploads, searches) while, one at a time, each part of the stack is
killed with SIGKILL and comes back (the services by compose/supervise, Postgres, Redis and clamd
restarted here), and messages is stalled behind a proxy that stops forwarding.

For each fault, in a room of its own: how many sends were acknowledged (a 201, or an `ack`
frame: only those count), how many of those are not stored or stored twice, how many did not
reach a member's socket or reached it twice (live, or replayed by `resume`; what a member fetched
after `refetch_required` counts as reached once), what clients saw (errors by kind, socket
reconnects, resumes, refetches), and the seconds from the fault until a probe is seen on sockets
of both gateways again: a message (messages' events), the room renamed (rooms' events) and the
owner's status changed (auth's events). Before Redis is killed a session is
revoked; after it is back, that token must still be refused.

    bench/faults.py FAULT...   (see FAULTS; bench/faults passes them all)
"""
import json
import os
import subprocess
import sys
import threading
import time
import uuid

import websocket

import gateway_api

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GATEWAYS = [os.environ.get("GATEWAY_URL", "http://127.0.0.1:8080"), os.environ.get("SECOND_GATEWAY_URL", "http://127.0.0.1:8088")]
BUILD_DIR = os.environ["PARLEY_BUILD_DIR"]
DATA = os.environ.get("PARLEY_DATA", os.path.join(ROOT, ".data"))
STALL_FILE = os.environ["STALL_FILE"]
LOAD_BEFORE, LOAD_AFTER, SETTLE = 8.0, 8.0, 20.0
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201ac3e1d5f0000000049454e44ae426082")


def call(method, path, token=None, body=None, gateway=0, **options):
    """`gateway_api.call` through the first gateway, or the second (`gateway=1`)."""
    return gateway_api.call(GATEWAYS[gateway], method, path, token, body, **options)


def register():
    user_id, token, _ = gateway_api.register(GATEWAYS[0], "fault_")
    return user_id, token


class Tally:
    """Counts by name, from many threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, name, n=1):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + n

    def text(self):
        with self.lock:
            return ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())) or "none"


class Member:
    """A user's socket on one gateway, reconnecting (and resuming) whenever it drops."""

    def __init__(self, user_id, token, gateway, seen):
        self.user_id, self.token, self.gateway, self.seen = user_id, token, gateway, seen
        self.lock = threading.Lock()
        self.received = {}  # message id -> times it arrived live or replayed
        self.fetched = set()  # message ids fetched after refetch_required
        self.last_event = None
        self.last_message = {}  # room -> newest message id seen
        self.notes = set()  # ("room", name) and ("presence", user id, status) seen
        self.replies = {}
        self.socket = None
        self.stopped = False
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        delay = 0.2
        first = True
        while not self.stopped:
            url = GATEWAYS[self.gateway].replace("http", "ws", 1) + "/ws?token=" + self.token
            try:
                self.socket = websocket.create_connection(url, timeout=30)
            except Exception:
                time.sleep(delay)
                delay = min(delay * 2, 2)
                continue
            delay = 0.2
            if not first:
                self.seen.add("socket reconnects")
                if self.last_event:
                    self.seen.add("resumes")
                    self.send({"type": "resume", "data": {"last_event_id": self.last_event}})
            first = False
            try:
                while not self.stopped:
                    self.handle(json.loads(self.socket.recv()))
            except Exception:
                pass

    def send(self, frame):
        try:
            self.socket.send(json.dumps(frame))
            return True
        except Exception:
            return False

    def request(self, frame_type, data, timeout=10):
        """Sends a frame with a ref; its ack's data, or None (an error frame, no answer, no socket)."""
        ref = uuid.uuid4().hex
        done = threading.Event()
        self.replies[ref] = (done, None)
        if not self.send({"type": frame_type, "data": data, "ref": ref}):
            return None
        done.wait(timeout)
        reply = self.replies.pop(ref, (None, None))[1]
        return reply.get("data") if reply and reply.get("type") == "ack" else None

    def handle(self, frame):
        if frame.get("ref") in self.replies:
            done = self.replies[frame["ref"]][0]
            self.replies[frame["ref"]] = (done, frame)
            done.set()
            return
        if frame.get("event_id"):
            self.last_event = frame["event_id"]
        kind, data = frame.get("type"), frame.get("data") or {}
        if kind == "message_created":
            message = data["message"]
            with self.lock:
                self.received[message["id"]] = self.received.get(message["id"], 0) + 1
                self.last_message[message["room_id"]] = message["id"]
        elif kind == "room_updated":
            self.notes.add(("room", data["room"].get("name")))
        elif kind == "presence_updated":
            self.notes.add(("presence", data["user_id"], data["status"]))
        elif kind == "refetch_required":
            self.seen.add("refetches")
            threading.Thread(target=self.refetch, args=(data["room_id"],), daemon=True).start()

    def refetch(self, room):
        after = self.last_message.get(room)
        while True:
            status, page = call("GET", f"/rooms/{room}/messages?limit=100" + (f"&after={after}" if after else ""), self.token, gateway=self.gateway)
            if status != 200:
                time.sleep(0.5)
                continue
            with self.lock:
                self.fetched.update(m["id"] for m in page["messages"])
            if not page["messages"] or not page.get("has_more"):
                return
            after = page["messages"][-1]["id"]

    def has(self, message_id):
        with self.lock:
            return message_id in self.received or message_id in self.fetched

    def close(self):
        self.stopped = True
        try:
            self.socket.close()
        except Exception:
            pass


class Sender(threading.Thread):
    """Sends into a room until stopped, each message until acknowledged (the same client_id on
    every try, so a retry never makes a second copy), by REST or over its member's socket."""

    def __init__(self, member, room, over_socket, seen, acked):
        super().__init__(daemon=True)
        self.member, self.room, self.over_socket, self.seen, self.acked = member, room, over_socket, seen, acked
        self.stopping = threading.Event()

    def run(self):
        n = 0
        while not self.stopping.is_set():
            n += 1
            client_id = uuid.uuid4().hex
            content = f"{self.member.user_id[:8]} {n} {client_id}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                message_id = self.try_send(content, client_id)
                if message_id:
                    self.acked.append((message_id, content))
                    break
                time.sleep(0.25)
            self.stopping.wait(0.2)

    def try_send(self, content, client_id):
        body = {"content": content, "client_id": client_id}
        if self.over_socket:
            reply = self.member.request("send_message", dict(body, room_id=self.room))
            if reply is None:
                self.seen.add("socket sends not acknowledged")
            return reply and reply.get("id")
        status, reply = call("POST", f"/rooms/{self.room}/messages", self.member.token, body, gateway=self.member.gateway)
        if status != 201:
            self.seen.add(f"REST send {status or 'no answer'}")
            return None
        return reply["id"]


class Background(threading.Thread):
    """Uploads and searches alongside the sends; counts the answers that were not 2xx."""

    def __init__(self, token, seen):
        super().__init__(daemon=True)
        self.token, self.seen = token, seen
        self.stopping = threading.Event()

    def run(self):
        boundary = "faultmatrix"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dot.png\"\r\n"
                f"Content-Type: image/png\r\n\r\n").encode() + PNG + f"\r\n--{boundary}--\r\n".encode()
        while not self.stopping.wait(0.5):
            status, _ = call("POST", "/attachments/upload", self.token, raw=body, content_type=f"multipart/form-data; boundary={boundary}")
            if status != 201:
                self.seen.add(f"upload {status or 'no answer'}")
            status, _ = call("GET", "/search?q=fault", self.token, gateway=1)
            if status != 200:
                self.seen.add(f"search {status or 'no answer'}")


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
    "stall-messages": stall(),
}


def probe(owner, watchers, room, attempt):
    """True when, within 2 s, sockets on each gateway see a message, a new room name and the
    owner's new status, each made through the first gateway."""
    name, chosen = f"fault probe {uuid.uuid4().hex[:8]}", ("away", "busy")[attempt % 2]
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
    background = Background(owner.token, seen)
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
    owner_id, owner_token = register()
    seen = Tally()
    owner = Member(owner_id, owner_token, 0, seen)
    members = [Member(*register(), i % 2, seen) for i in range(6)]
    time.sleep(1)
    print("| fault | acknowledged | not stored | stored twice | not delivered | delivered twice | back to normal after | what clients saw |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    clean = True
    for name in names:
        revoked = None
        if name == "redis":
            # Signed out just before Redis dies: the revocation must outlive it.
            _, revoked = register()
            assert call("POST", "/auth/logout", revoked)[0] == 204
        clean = run_fault(name, owner, members, revoked) and clean
    for member in members + [owner]:
        member.close()
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
