#!/usr/bin/env python3
"""The disk's own flush latency: the floor under every durable write Kaiware acknowledges.

Appends a 150-byte record and fdatasyncs it, RATE times a second, for SECONDS seconds, into a
preallocated file in DIR (the way a Raft log segment is written), then prints the latency
distribution. Run it on an idle machine, and beside a soak (bench/soak.sh) to see what the load
does to the disk. Usage: bench/fsync-probe.py [SECONDS=30] [DIR=/tmp] [RATE=2000]
"""
import os
import sys
import time

seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
directory = sys.argv[2] if len(sys.argv) > 2 else "/tmp"
rate = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
path = os.path.join(directory, "kaiware-fsync-probe.%d" % os.getpid())
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
try:
    os.posix_fallocate(fd, 0, 64 << 20)
    record = b"x" * 150
    latencies_ms = []
    interval = 1.0 / rate
    next_at = time.monotonic()
    end = next_at + seconds
    while time.monotonic() < end:
        start = time.monotonic()
        os.write(fd, record)
        os.fdatasync(fd)
        latencies_ms.append((time.monotonic() - start) * 1e3)
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
finally:
    os.close(fd)
    os.unlink(path)
latencies_ms.sort()
n = len(latencies_ms)
q = lambda p: latencies_ms[min(n - 1, int(p * n))]
print("fdatasync x%d over %d s in %s: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.1f ms; over 10 ms: %d, over 50 ms: %d"
      % (n, seconds, directory, q(0.5), q(0.99), q(0.999), latencies_ms[-1],
         sum(1 for x in latencies_ms if x > 10), sum(1 for x in latencies_ms if x > 50)))
