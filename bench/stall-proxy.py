#!/usr/bin/env python3
"""A TCP proxy that stops forwarding while a file exists, as a service that hangs would: its
connections stay open and nothing moves either way (bench/faults puts messages behind it).

    bench/stall-proxy.py LISTEN_PORT TARGET_PORT STALL_FILE
"""
import os
import socket
import sys
import threading
import time


def pump(source, target, stall_file):
    try:
        while chunk := source.recv(65536):
            while os.path.exists(stall_file):
                time.sleep(0.05)
            target.sendall(chunk)
    except OSError:
        pass
    finally:
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main():
    listen_port, target_port, stall_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    server = socket.create_server(("127.0.0.1", listen_port), reuse_port=True)
    while True:
        client, _ = server.accept()
        try:
            upstream = socket.create_connection(("127.0.0.1", target_port))
        except OSError:
            client.close()
            continue
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(target=pump, args=(source, target, stall_file), daemon=True).start()


if __name__ == "__main__":
    main()
