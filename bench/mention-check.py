#!/usr/bin/env python3
"""The closing check of every load run (bench/lib.sh): a fresh mention reaches the mentioned
person's notifications within 2 s, so a relay or consumer left behind by the load shows here.

    bench/mention-check.py http://127.0.0.1:8080
"""
import json
import sys
import time
import urllib.request
import uuid

DEADLINE_SECONDS = 2.0


def call(gateway, method, path, token=None, body=None):
    request = urllib.request.Request(gateway + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as reply:
        text = reply.read()
        return json.loads(text) if text else None


def register(gateway):
    name = "check_" + uuid.uuid4().hex[:12]
    reply = call(gateway, "POST", "/auth/register", body={"username": name, "password": "closing check password"})
    return name, reply["token"]


def main():
    gateway = sys.argv[1].rstrip("/")
    _, alice = register(gateway)
    bob_name, bob = register(gateway)
    room = call(gateway, "POST", "/rooms", alice, {"name": "closing check " + uuid.uuid4().hex[:6], "type": "public"})["id"]
    call(gateway, "POST", f"/rooms/{room}/join", bob, {})
    sent = time.monotonic()
    message = call(gateway, "POST", f"/rooms/{room}/messages", alice, {"content": f"@{bob_name} are you there?"})["id"]
    while time.monotonic() - sent < DEADLINE_SECONDS:
        notifications = call(gateway, "GET", "/notifications", bob)["notifications"]
        if any(n.get("message_id") == message for n in notifications):
            print(f"closing check: a fresh mention was notified in {(time.monotonic() - sent) * 1000:.0f} ms")
            return 0
        time.sleep(0.05)
    print(f"closing check FAILED: a fresh mention was not notified within {DEADLINE_SECONDS:.0f} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
