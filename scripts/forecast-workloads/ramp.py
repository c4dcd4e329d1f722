#!/usr/bin/env python3
"""Forecast workload "ramp": WORKERS processes whose CPU duty cycle follows a triangle wave on the wall clock,
from LOW to HIGH and back every PERIOD seconds, for DURATION seconds. Each worker splits time into 100 ms
slices and, in each, computes (pure Python arithmetic, reading 4 KiB of /dev/zero every 2 ms of work, so its
read calls follow the load) for load x 100 ms, then sleeps to the end of the slice.
Usage: ramp.py [DURATION=96] [PERIOD=16] [WORKERS=2] [LOW=0.05] [HIGH=1.0]"""
import os
import sys
import time

SLICE = 0.1
READ_EVERY = 0.002


def load_at(t, period, low, high):
    phase = (t % period) / period
    tri = 2 * phase if phase < 0.5 else 2 * (1 - phase)
    return low + (high - low) * tri


def worker(t0, duration, period, low, high):
    fd = os.open('/dev/zero', os.O_RDONLY)
    k = 0
    while True:
        start = t0 + k * SLICE
        if start - t0 >= duration:
            break
        busy_until = start + SLICE * load_at(start - t0, period, low, high)
        x = 0
        next_read = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= busy_until:
                break
            if now >= next_read:
                os.read(fd, 4096)
                next_read = now + READ_EVERY
            for i in range(200):
                x += i * i
        k += 1
        rest = t0 + k * SLICE - time.monotonic()
        if rest > 0:
            time.sleep(rest)


def main():
    a = sys.argv[1:]
    duration = float(a[0]) if len(a) > 0 else 96
    period = float(a[1]) if len(a) > 1 else 16
    workers = int(a[2]) if len(a) > 2 else 2
    low = float(a[3]) if len(a) > 3 else 0.05
    high = float(a[4]) if len(a) > 4 else 1.0
    t0 = time.monotonic()
    pids = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            worker(t0, duration, period, low, high)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)


if __name__ == '__main__':
    main()
