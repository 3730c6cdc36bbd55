#!/usr/bin/env python3
"""timed.py OUT CMD...: runs CMD, writes its wall time in seconds (monotonic clock) to OUT and
exits with CMD's exit code. bench/run starts it inside the lab namespace, so only CMD is timed."""
import subprocess
import sys
import time

if len(sys.argv) < 3:
    sys.exit("usage: timed.py OUT CMD...")
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
elapsed = time.monotonic() - t0
with open(sys.argv[1], "w") as f:
    f.write(f"{elapsed:.3f}\n")
sys.exit(rc if rc >= 0 else 128 - rc)
