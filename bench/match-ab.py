#!/usr/bin/env python3
"""`kbgen match` throughput of two binaries, runs interleaved so that the load of a
shared machine falls on both alike.

    python3 bench/match-ab.py OLD_KBGEN NEW_KBGEN [RUNS]

Writes a 64 MB log to /dev/shm (log lines with the pastes of bench/match-eval/ mixed
in, 1 in 100), matches it against bench/match-eval/kb with each binary in turn, and
prints the median time and MB/s of each. Python standard library only.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOG = "/dev/shm/kbgen-match-ab.log"
WORDS = ("the server request worker node pre-login cancelled queue retry token sync pod "
         "image pull failed at com.acme.Worker.run(Worker.java:411) "
         "id=9f1c2b7e-3d4a-4f5b-8c6d-7e8f9a0b1c2d").split()


def write_log(size=64_000_000):
    rng = random.Random(1)
    with open(os.path.join(ROOT, "bench", "match-eval", "pastes.jsonl"), encoding="utf-8") as f:
        pastes = [json.loads(line)["text"] for line in f]
    out, n = [], 0
    while n < size:
        if rng.random() < 0.01:
            s = rng.choice(pastes)
        else:
            s = "2026-03-04T00:51:26.121Z INFO [%d] " % rng.randint(1, 99) + " ".join(
                rng.choice(WORDS) for _ in range(12))
        out.append(s)
        n += len(s) + 1
    with open(LOG, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return n


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    bins = sys.argv[1:3]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    mb = write_log() / 1e6
    kb = os.path.join(ROOT, "bench", "match-eval", "kb")
    times = {b: [] for b in bins}
    for _ in range(runs):
        for b in bins:
            start = time.time()
            subprocess.run([b, "match", "--kb", kb, "--quiet", LOG], stdout=subprocess.DEVNULL)
            times[b].append(time.time() - start)
    print("| binary | median of %d | MB/s |" % runs)
    print("| --- | --- | --- |")
    for b in bins:
        m = statistics.median(times[b])
        print("| %s | %.3f s | %.0f |" % (b, m, mb / m))


if __name__ == "__main__":
    main()
