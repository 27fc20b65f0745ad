"""The clients of the load scripts (bench/faults.py, bench/soak.py): members on sockets through
either gateway that reconnect and resume, senders that send until acknowledged, and uploads and
searches alongside, all counting what they saw."""
import json
import os
import threading
import time
import uuid

import websocket

import gateway_api

GATEWAYS = [os.environ.get("GATEWAY_URL", "http://127.0.0.1:8080"), os.environ.get("SECOND_GATEWAY_URL", "http://127.0.0.1:8090")]
# One red pixel (the PNG the load clients upload, one that libvips reads without complaint).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")


def call(method, path, token=None, body=None, gateway=0, **options):
    """`gateway_api.call` through the first gateway, or the second (`gateway=1`)."""
    return gateway_api.call(GATEWAYS[gateway], method, path, token, body, **options)


def upload(token, **options):
    """Uploads a one-pixel PNG through the first gateway; the answer's status."""
    boundary = "parleyload"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dot.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + PNG + f"\r\n--{boundary}--\r\n".encode()
    status, _ = call("POST", "/attachments/upload", token, raw=body, content_type=f"multipart/form-data; boundary={boundary}", **options)
    return status


def register(prefix="load_"):
    """A new user through the first gateway: (id, token, username)."""
    return gateway_api.register(GATEWAYS[0], prefix)


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
    """A user's socket on one gateway, reconnecting (and resuming) whenever it drops, and signing
    in again when its token has expired."""

    def __init__(self, user_id, token, username, gateway, seen):
        self.user_id, self.token, self.username, self.gateway, self.seen = user_id, token, username, gateway, seen
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
            except websocket.WebSocketBadStatusException as error:
                if error.status_code == 401:
                    self.sign_in_again()
                time.sleep(delay)
                delay = min(delay * 2, 2)
                continue
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

    def sign_in_again(self):
        """A fresh token for the next socket and REST call, once the old one has expired."""
        status, reply = call("POST", "/auth/login", body={"username": self.username, "password": gateway_api.PASSWORD}, gateway=self.gateway)
        if status == 200:
            self.token = reply["token"]
            self.seen.add("sign-ins after expiry")

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
    every try, so a retry never makes a second copy), by REST or over its member's socket,
    `pause` seconds after each acknowledgement; every tenth message mentions `mention` if given."""

    def __init__(self, member, room, over_socket, seen, acked, pause=0.2, mention=None):
        super().__init__(daemon=True)
        self.member, self.room, self.over_socket, self.seen, self.acked = member, room, over_socket, seen, acked
        self.pause, self.mention = pause, mention
        self.stopping = threading.Event()

    def run(self):
        n = 0
        while not self.stopping.is_set():
            n += 1
            client_id = uuid.uuid4().hex
            content = f"{self.member.user_id[:8]} {n} {client_id}"
            if self.mention and n % 10 == 0:
                content = f"@{self.mention} {content}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                message_id = self.try_send(content, client_id)
                if message_id:
                    self.acked.append((message_id, content))
                    break
                time.sleep(0.25)
            self.stopping.wait(self.pause)

    def try_send(self, content, client_id):
        body = {"content": content, "client_id": client_id}
        if self.over_socket:
            reply = self.member.request("send_message", dict(body, room_id=self.room))
            if reply is None:
                self.seen.add("socket sends not acknowledged")
            return reply and reply.get("id")
        status, reply = call("POST", f"/rooms/{self.room}/messages", self.member.token, body, gateway=self.member.gateway)
        if status == 401:
            self.member.sign_in_again()
        if status != 201:
            self.seen.add(f"REST send {status or 'no answer'}")
            return None
        return reply["id"]


class Background(threading.Thread):
    """An upload and a search by `member` every `pause` seconds alongside the sends; counts the
    answers that were not 2xx, and the uploads stored that took over a second."""

    def __init__(self, member, seen, pause=0.5):
        super().__init__(daemon=True)
        self.member, self.seen, self.pause = member, seen, pause
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(self.pause):
            started = time.monotonic()
            status = upload(self.member.token)
            if status != 201:
                self.seen.add(f"upload {status or 'no answer'}")
            elif time.monotonic() - started > 1:
                self.seen.add("upload stored after over 1 s")
            status, _ = call("GET", "/search?q=fault", self.member.token, gateway=1)
            if status != 200:
                self.seen.add(f"search {status or 'no answer'}")
            if status == 401:
                self.member.sign_in_again()
