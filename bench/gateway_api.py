"""Calls to Parley's public API through a gateway, for the Python benchmark scripts
(bench/faults.py, bench/mention-check.py)."""
import json
import urllib.error
import urllib.request
import uuid

PASSWORD = "benchmark password"

def call(gateway, method, path, token=None, body=None, raw=None, content_type="application/json", timeout=10):
    """(status, JSON reply or None); status 0 when there was no answer."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(gateway + path, method=method, data=data)
    request.add_header("content-type", content_type)
    if token:
        request.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            text = reply.read()
            return reply.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, None
    except Exception:
        return 0, None


def register(gateway, prefix):
    """A new user: (id, token, username)."""
    username = prefix + uuid.uuid4().hex[:12]
    status, reply = call(gateway, "POST", "/auth/register", body={"username": username, "password": PASSWORD})
    assert status == 201, f"register answered {status}"
    return reply["user"]["id"], reply["token"], username
