#!/usr/bin/env python3
"""Tracker scale: `playwave-ctl watch` with many sessions against playwave-sandbox.

For each session count: starts a sandbox, creates the sessions through its
control API, runs `playwave-ctl --json watch --from FILE` on them, and samples
once a second the sandbox's request counter and the watch process's CPU time
(/proc/PID/schedstat: nanoseconds actually run, user and kernel) and
resident memory (/proc/PID/status). Reports:

  first round     seconds until the sandbox has seen one heartbeat per session
  largest burst   most heartbeats in any one second after the first round
  CPU/heartbeat   watch CPU time in seconds with heartbeats, divided by them
                  (first round, and later rounds)
  idle CPU        watch CPU time in seconds without any heartbeat after the
                  first round ("between rounds"), as % of one core
  memory/session  (RSS with N sessions - RSS with 1 session) / (N - 1), both
                  read once the first round is over
  lost            sessions the watch saw the server take away (404/410)
  end all         seconds from SIGINT until every session is ended and watch exits

Numbers only: nothing here passes or fails.

With --runs N each count is measured N times and the table gives the median
of each figure (min–max for the CPU figures).

    python3 benchmarks/bench-watch.py [--build build] [--sessions 1000,10000,50000] [--observe 150] [--runs 1]
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchutil import Sandbox, load_average, rss_kib, tool_env  # noqa: E402


def run_ns(pid):
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def start_watch(build, sandbox, sessions, workdir, tag):
    session_file = os.path.join(workdir, f"sessions-{tag}.txt")
    with open(session_file, "w") as f:
        for session_id, user_id in sessions:
            f.write(f"{session_id}:{user_id}\n")
    env = tool_env(build, workdir, PLAYWAVE_BASE_URL=sandbox.base_url)
    out = open(os.path.join(workdir, f"events-{tag}.jsonl"), "w")
    watch = subprocess.Popen([os.path.join(build, "src", "ctl", "playwave-ctl"), "--json", "watch",
                              "--from", session_file], env=env, stdout=out, stderr=subprocess.DEVNULL)
    return watch, out


def baseline_rss(build, workdir):
    """RSS of a watch with one session, after its first heartbeat."""
    sandbox = Sandbox(build)
    try:
        start = sandbox.requests()
        watch, out = start_watch(build, sandbox, sandbox.create_sessions(1), workdir, "baseline")
        while sandbox.requests() - start < 1:
            time.sleep(0.05)
        time.sleep(1)
        rss = rss_kib(watch.pid)
        watch.send_signal(signal.SIGINT)
        watch.wait(timeout=60)
        out.close()
        return rss
    finally:
        sandbox.stop()


def run(build, n, observe, workdir, baseline_kib):
    sandbox = Sandbox(build)
    try:
        sessions = sandbox.create_sessions(n)
        start_requests = sandbox.requests()
        started = time.monotonic()
        watch, out = start_watch(build, sandbox, sessions, workdir, str(n))
        pid = watch.pid

        samples = []  # (t, requests so far, cpu ns, rss kib)
        first_round = None
        next_tick = started
        deadline = None
        while True:
            next_tick += 1.0
            time.sleep(max(0.0, next_tick - time.monotonic()))
            if watch.poll() is not None:
                break
            t = time.monotonic() - started
            requests = sandbox.requests() - start_requests
            samples.append((t, requests, run_ns(pid), rss_kib(pid)))
            if first_round is None and requests >= n:
                first_round = t
                deadline = t + observe
            if first_round is None and t > 600:
                break
            if deadline is not None and t >= deadline:
                break

        rss_after_first = next((s[3] for s in samples if first_round and s[0] >= first_round), 0)
        rss_end = samples[-1][3] if samples else 0

        # Per-second deltas after the first round.
        idle_s = idle_ns = 0
        busy_requests = busy_ns = 0
        burst = 0
        first_ns = first_requests = 0
        for (t0, r0, c0, _), (t1, r1, c1, _) in zip(samples, samples[1:]):
            dr, dc = r1 - r0, c1 - c0
            if first_round is None or t1 <= first_round:
                first_ns += dc
                first_requests += dr
                continue
            burst = max(burst, dr)
            if dr == 0:
                idle_s += t1 - t0
                idle_ns += dc
            else:
                busy_requests += dr
                busy_ns += dc
        # From the start to the first sample counts as the first round too.
        if samples:
            first_ns += samples[0][2]
            first_requests += samples[0][1]

        ended_at = time.monotonic()
        exit_status = None
        if watch.poll() is None:
            watch.send_signal(signal.SIGINT)
            exit_status = watch.wait(timeout=120)
        end_all = time.monotonic() - ended_at
        out.close()

        kinds = {}
        with open(os.path.join(workdir, f"events-{n}.jsonl")) as f:
            for line in f:
                try:
                    kind = json.loads(line).get("kind")
                except ValueError:
                    continue
                kinds[kind] = kinds.get(kind, 0) + 1
        lost = sum(count for kind, count in kinds.items()
                   if kind in ("session-lost", "session-ended", "session-ending", "expired"))

        return {
            "sessions": n,
            "first_round_s": round(first_round, 1) if first_round else None,
            "first_round_us_per_heartbeat": round(first_ns / 1e3 / first_requests, 1) if first_requests else None,
            "largest_burst_per_s": burst,
            "later_heartbeats": busy_requests,
            "later_us_per_heartbeat": round(busy_ns / 1e3 / busy_requests, 1) if busy_requests else None,
            "idle_seconds": round(idle_s),
            "idle_cpu_percent": round(100 * idle_ns / 1e9 / idle_s, 3) if idle_s else None,
            "rss_after_first_round_mib": round(rss_after_first / 1024, 1),
            "rss_end_mib": round(rss_end / 1024, 1),
            "kib_per_session": round((max(rss_after_first, rss_end) - baseline_kib) / (n - 1), 2) if n > 1 else None,
            "end_all_s": round(end_all, 2),
            "exit_status": exit_status,
            "events": kinds,
            "lost": lost,
        }
    finally:
        sandbox.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--sessions", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=1, help="runs per session count (median)")
    parser.add_argument("--observe", type=int, default=150,
                        help="seconds to watch after the first round (the second round starts ~90 s after the first)")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)

    workdir = tempfile.mkdtemp(prefix="bench-watch-")
    load_before = load_average()
    baseline = baseline_rss(args.build, workdir)
    runs = {int(n): [run(args.build, int(n), args.observe, workdir, baseline) for _ in range(args.runs)]
            for n in args.sessions.split(",")}
    load_after = load_average()

    def med(rows, key):
        values = [row[key] for row in rows if row[key] is not None]
        return statistics.median(values) if values else None

    def with_range(rows, key):
        values = sorted(row[key] for row in rows if row[key] is not None)
        if not values:
            return "–"
        if len(values) == 1:
            return f"{values[0]}"
        digits = 3 if values[-1] < 1 else 1
        return f"{statistics.median(values):.{digits}f} ({values[0]}–{values[-1]})"

    print(f"watch RSS with 1 session: {baseline / 1024:.1f} MiB; {args.observe} s observed after the first round; "
          f"{args.runs} run(s) per count{' (median, min–max)' if args.runs > 1 else ''}; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; {os.cpu_count()} CPUs")
    print()
    print("| sessions | first round (s) | CPU µs/heartbeat, first round | largest burst (req/s) later "
          "| CPU µs/heartbeat, later | idle CPU between rounds (% of a core) | RSS (MiB) "
          "| memory per session (KiB) | lost | end all (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, rows in runs.items():
        rss = statistics.median(max(r["rss_after_first_round_mib"], r["rss_end_mib"]) for r in rows)
        print(f"| {n:,} | {med(rows, 'first_round_s')} | {with_range(rows, 'first_round_us_per_heartbeat')} | "
              f"{med(rows, 'largest_burst_per_s')} | {with_range(rows, 'later_us_per_heartbeat')} | "
              f"{with_range(rows, 'idle_cpu_percent')} | {rss} | {med(rows, 'kib_per_session')} | "
              f"{med(rows, 'lost')} | {med(rows, 'end_all_s')} |")
    rows = [row for rows in runs.values() for row in rows]
    json.dump(rows, sys.stderr, indent=1)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
