# A program inside the sandbox talking to the relay directly (tests/enforce/run): what it can
# send is a claim the server marks with its pid, or a request the server refuses. Prints one
# word per request, then its pid.
import os
import socket
import struct

relay = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
path = os.environ["AEGISH_RELAY"]


def s(x):
    b = x.encode()
    return struct.pack("<I", len(b)) + b


def opt(x):
    return b"\0" if x is None else b"\1" + s(x)


def record(action, outcome, line, limit=()):
    # version 1, kind 1 (record), then Enforce/Relay.swift's field order
    m = bytes([1, 1]) + s(action) + s(outcome) + opt(line) + opt(None) + b"\0\0\0" + opt(None) + opt(None)
    m += opt("/") + opt("forged") + opt("forged") + struct.pack("<q", len(limit))
    for k, v in limit:
        m += s(k) + s(v)
    return m + opt(None) + struct.pack("<q", 0) + opt(None)


def call(m, fds=1, read=True):
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i" * fds, *[b.fileno()] * fds))] if fds else []
    relay.sendmsg([m], rights, 0, path)
    b.close()
    if not read:
        return "unread"
    a.settimeout(5)
    r = a.recv(65536)
    return "ok" if r[:1] == b"\0" else "refused" if r else "closed"


print(call(record("exec", "allowed", "FORGED-1")),
      call(record("log.repair", "repaired", "FORGED-2")),
      call(record("exec", "allowed", "FORGED-3", [('x","event.id', "1")])),
      call(b"\1\1\xff"),
      call(record("exec", "allowed", "FORGED-4"), fds=2),
      call(record("exec", "allowed", "FORGED-5"), read=False),
      call(record("exec", "allowed", "FORGED-6"), fds=0, read=False),
      call(record("exec", "allowed", "FORGED-7")),
      os.getpid())
