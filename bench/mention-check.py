#!/usr/bin/env python3
"""The closing check of every load run (bench/lib.sh): a fresh mention reaches the mentioned
person's notifications within 2 s, so a relay or consumer left behind by the load shows here.

    bench/mention-check.py http://127.0.0.1:8080
"""
import sys
import time
import uuid

from gateway_api import call, register

DEADLINE_SECONDS = 2.0


def expect(status, reply, wanted, what):
    assert status == wanted, f"closing check: {what} answered {status}"
    return reply


def main():
    gateway = sys.argv[1].rstrip("/")
    _, alice, _ = register(gateway, "check_")
    _, bob, bob_name = register(gateway, "check_")
    room = expect(*call(gateway, "POST", "/rooms", alice, {"name": "closing check " + uuid.uuid4().hex[:6], "type": "public"}), 201, "room creation")["id"]
    expect(*call(gateway, "POST", f"/rooms/{room}/join", bob, {}), 200, "joining")
    sent = time.monotonic()
    message = expect(*call(gateway, "POST", f"/rooms/{room}/messages", alice, {"content": f"@{bob_name} are you there?"}), 201, "the mention")["id"]
    while time.monotonic() - sent < DEADLINE_SECONDS:
        notifications = expect(*call(gateway, "GET", "/notifications", bob), 200, "the notification list")["notifications"]
        if any(n.get("message_id") == message for n in notifications):
            print(f"closing check: a fresh mention was notified in {(time.monotonic() - sent) * 1000:.0f} ms")
            return 0
        time.sleep(0.05)
    print(f"closing check FAILED: a fresh mention was not notified within {DEADLINE_SECONDS:.0f} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
