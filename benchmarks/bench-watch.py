#!/usr/bin/env python3
"""Cost of `playwave-ctl watch` with many sessions against playwave-sandbox.

Reports, for each session count: time for the first round of heartbeats,
the largest number of heartbeats the sandbox saw in one second afterwards,
resident memory of the watch process (and per session), and its CPU use
over a steady-state window. Numbers only: nothing here passes or fails.

    python3 benchmarks/bench-watch.py [--build build] [--sessions 1000,10000] [--window 60]
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

KEY = "bench-key"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


class Control:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port)

    def call(self, method, path, body=None):
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None,
                          headers={"Content-Type": "application/json"})
        response = self.conn.getresponse()
        return json.loads(response.read() or b"null")

    def requests(self):
        return self.call("GET", "/_sandbox/stats")["requests"]


def run(build, n, window):
    sandbox = subprocess.Popen([f"{build}/src/sandbox/playwave-sandbox", "--api-key", KEY],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base_url = sandbox.stdout.readline().strip()
    port = int(base_url.split(":")[2].split("/")[0])
    control = Control(port)

    ids = []
    for i in range(n):
        session = control.call("POST", "/_sandbox/sessions",
                               {"provider_user_id": str(100000 + i), "pc_id": f"pc-{i}"})
        ids.append((session["game_session_id"], str(100000 + i)))

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for session_id, user_id in ids:
            f.write(f"{session_id}:{user_id}\n")
        session_file = f.name

    env = dict(os.environ, PLAYWAVE_API_KEY=KEY, PLAYWAVE_BASE_URL=base_url)
    start_requests = control.requests()
    started = time.monotonic()
    watch = subprocess.Popen([f"{build}/src/ctl/playwave-ctl", "--json", "watch", "--from", session_file],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    while control.requests() - start_requests < n:
        time.sleep(0.05)
        if time.monotonic() - started > 600:
            raise SystemExit("first round did not complete")
    first_round = time.monotonic() - started
    rss_after_first = rss_kib(watch.pid)

    # Steady state: sample requests per second and CPU over the window.
    cpu_before = cpu_seconds(watch.pid)
    burst = 0
    last = control.requests()
    window_requests = 0
    for _ in range(window):
        time.sleep(1)
        now = control.requests()
        burst = max(burst, now - last)
        window_requests += now - last
        last = now
    cpu_window = cpu_seconds(watch.pid) - cpu_before
    rss = rss_kib(watch.pid)

    watch.send_signal(signal.SIGINT)
    ended_at = time.monotonic()
    watch.wait(timeout=120)
    end_all = time.monotonic() - ended_at

    sandbox.terminate()
    sandbox.wait()
    os.unlink(session_file)

    return {
        "sessions": n,
        "first_round_s": round(first_round, 2),
        "largest_burst_per_s": burst,
        "heartbeats_in_window": window_requests,
        "rss_mib": round(rss / 1024, 1),
        "rss_after_first_round_mib": round(rss_after_first / 1024, 1),
        "cpu_percent_of_core": round(100 * cpu_window / window, 2),
        "cpu_us_per_heartbeat": round(1e6 * cpu_window / window_requests, 1) if window_requests else None,
        "end_all_s": round(end_all, 2),
        "watch_exit": watch.returncode,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--sessions", default="1000,10000")
    parser.add_argument("--window", type=int, default=60, help="seconds of steady state to sample")
    args = parser.parse_args()

    rows = [run(args.build, int(n), args.window) for n in args.sessions.split(",")]
    small = rows[0]
    print("| sessions | first round (s) | largest burst (req/s) | RSS (MiB) | RSS per session (KiB) | CPU (% of a core) | CPU per heartbeat (µs) | end all (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        per_session = ""
        if row is not small and row["sessions"] > small["sessions"]:
            per_session = round((row["rss_mib"] - small["rss_mib"]) * 1024 / (row["sessions"] - small["sessions"]), 2)
        print(f"| {row['sessions']} | {row['first_round_s']} | {row['largest_burst_per_s']} | {row['rss_mib']} | "
              f"{per_session} | {row['cpu_percent_of_core']} | {row['cpu_us_per_heartbeat']} | {row['end_all_s']} |")
    json.dump(rows, sys.stderr, indent=1)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
