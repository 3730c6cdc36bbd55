#!/usr/bin/env python3
"""bench/sample.py ROOT_PID OUT: samples the java processes under ROOT_PID every 0.2 s until
ROOT_PID exits; writes "threads FDS" (the maxima seen, of any one java process) to OUT.
Used by bench/fanout (controller threads and open files during a run)."""
import os
import sys
import time


def children():
    """parent pid -> [child pids], from /proc/*/stat."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        ppid = int(s[s.rindex(")") + 2:].split()[1])
        out.setdefault(ppid, []).append(int(d))
    return out


def descendants(root):
    kids, seen, todo = children(), [], [root]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(kids.get(p, []))
    return seen


def main():
    root, out = int(sys.argv[1]), sys.argv[2]
    threads = fds = 0
    java = None
    while os.path.exists(f"/proc/{root}"):
        if java is None or not os.path.exists(f"/proc/{java}"):
            java = None
            for p in descendants(root):
                try:
                    with open(f"/proc/{p}/comm") as f:
                        if f.read().strip() == "java":
                            java = p
                            break
                except OSError:
                    pass
        if java is not None:
            try:
                with open(f"/proc/{java}/status") as f:
                    for line in f:
                        if line.startswith("Threads:"):
                            threads = max(threads, int(line.split()[1]))
                fds = max(fds, len(os.listdir(f"/proc/{java}/fd")))
            except OSError:
                pass
        time.sleep(0.2)
    with open(out, "w") as f:
        f.write(f"{threads} {fds}\n")


main()
