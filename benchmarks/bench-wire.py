#!/usr/bin/env python3
"""Wire cost: heartbeats from the core client and from curl, side by side.

Starts one playwave-sandbox, creates the sessions, then sends the same
number of heartbeats to it, in turn, from

  client     PwClient alone (benchmarks/bench-wire-client), WINDOW in flight
  soup       libsoup alone, used as PwClient uses it, with nothing else: the
             floor PwClient stands on
  tracker    PwTracker over PwClient: every session due at once, rate limiter
             wide open, the tracker's own in-flight window (6)
  curl-next  curl --parallel --parallel-max WINDOW --config FILE, one block
             per session joined with `next` (the same request bodies as the
             client; curl also pays for reading its config file)
  curl-glob  curl --parallel --parallel-max WINDOW with one URL glob: the
             same request, for one session, REQUESTS times (curl's cheapest)

Each process's own CPU time (user + system, from wait4(), so the sandbox's
work is never counted) is divided by the heartbeats it sent. The sandbox's
counters check that every request arrived and how many connections were
used (keep-alive). Median of --runs runs; the order of the modes rotates
from run to run. With --callgrind, each program also runs under
`valgrind --tool=callgrind` with --cg-small and --cg-large requests, and
the difference in instructions, divided by the difference in requests, is
the instruction count per heartbeat: start-up costs cancel out, and the
figure does not depend on the machine's load.

Numbers only: nothing here passes or fails.

    python3 benchmarks/bench-wire.py [--build build] [--requests 5000] [--runs 3] [--callgrind]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchutil import KEY, Sandbox, load_average  # noqa: E402

MODES = ["client", "soup", "tracker", "curl-next", "curl-glob"]


def write_curl_configs(workdir, base_url, sessions, count):
    headers = ("header = \"X-Api-Key: %s\"\nheader = \"Content-Type: application/json\"\n"
               "header = \"Accept: application/json\"\n" % KEY)
    url = base_url + "/game/session/heartbeat"

    def body(session):
        return json.dumps(json.dumps({"game_session_id": session[0], "provider_user_id": session[1]},
                                     separators=(",", ":")))

    next_path = os.path.join(workdir, f"curl-next-{count}.cfg")
    with open(next_path, "w") as f:
        for i in range(count):
            session = sessions[i % len(sessions)]
            if i:
                f.write("next\n")
            f.write(f"url = \"{url}\"\nrequest = \"PATCH\"\n{headers}data = {body(session)}\n")

    # The fragment is not sent: every transfer is the same request.
    glob_path = os.path.join(workdir, f"curl-glob-{count}.cfg")
    with open(glob_path, "w") as f:
        f.write(f"url = \"{url}#[1-{count}]\"\nrequest = \"PATCH\"\n{headers}data = {body(sessions[0])}\n")

    return next_path, glob_path


def command_for(mode, args, base_url, session_file, count, workdir):
    client = os.path.join(args.build, "benchmarks", "bench-wire-client")
    if mode in ("client", "soup", "tracker"):
        return [client, mode, base_url, KEY, session_file, str(count), str(args.window)]
    next_path, glob_path = write_curl_configs(workdir, base_url, args.sessions_list, count)
    return ["curl", "--silent", "--parallel", "--parallel-max", str(args.window),
            "--config", next_path if mode == "curl-next" else glob_path]


def run_timed(command):
    """Runs @command; returns (cpu seconds of that process alone, wall seconds)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed ({status}): {stderr[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall


def run_callgrind(command, workdir, tag):
    out = os.path.join(workdir, f"callgrind.{tag}")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + command,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    with open(out) as f:
        for line in f:
            match = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if match:
                return int(match.group(1))
    raise SystemExit(f"no totals in {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--requests", type=int, default=5000, help="heartbeats per run and mode")
    parser.add_argument("--window", type=int, default=6, help="requests in flight (the client's default)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--callgrind", action="store_true", help="also count instructions under callgrind")
    parser.add_argument("--cg-small", type=int, default=200)
    parser.add_argument("--cg-large", type=int, default=1200)
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    modes = args.modes.split(",")

    workdir = tempfile.mkdtemp(prefix="bench-wire-")
    sandbox = Sandbox(args.build)
    try:
        count = max(args.requests, args.cg_large if args.callgrind else 0)
        args.sessions_list = sandbox.create_sessions(count)
        session_file = os.path.join(workdir, "sessions.txt")
        with open(session_file, "w") as f:
            for session_id, user_id in args.sessions_list:
                f.write(f"{session_id}:{user_id}\n")

        load_before = load_average()
        results = {mode: [] for mode in modes}
        for run in range(args.runs):
            order = modes[run % len(modes):] + modes[:run % len(modes)]
            for mode in order:
                command = command_for(mode, args, sandbox.base_url, session_file, args.requests, workdir)
                sandbox.reset_stats()
                sandbox_cpu = sandbox.cpu_seconds()
                cpu, wall = run_timed(command)
                stats = sandbox.stats()
                if stats["requests"] != args.requests:
                    raise SystemExit(f"{mode}: the sandbox saw {stats['requests']} of {args.requests} requests")
                results[mode].append({"cpu": cpu, "wall": wall, "connections": stats["connections"],
                                      "sandbox_cpu": sandbox.cpu_seconds() - sandbox_cpu})
        load_after = load_average()

        instructions = {}
        if args.callgrind:
            for mode in modes:
                small = run_callgrind(command_for(mode, args, sandbox.base_url, session_file, args.cg_small, workdir),
                                      workdir, f"{mode}.{args.cg_small}")
                large = run_callgrind(command_for(mode, args, sandbox.base_url, session_file, args.cg_large, workdir),
                                      workdir, f"{mode}.{args.cg_large}")
                instructions[mode] = (large - small) / (args.cg_large - args.cg_small)
    finally:
        sandbox.stop()

    def median_us(mode):
        return 1e6 * statistics.median(r["cpu"] for r in results[mode]) / args.requests

    curl_modes = [m for m in ("curl-next", "curl-glob") if m in results]
    cheapest_curl = min(curl_modes, key=median_us) if curl_modes else None

    print(f"{args.requests} heartbeats per run, {args.window} in flight, median of {args.runs} runs; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; {os.cpu_count()} CPUs")
    print()
    print("| sender | heartbeats/s | CPU µs per heartbeat (median, min–max) | × cheapest curl "
          "| connections | sandbox CPU µs per heartbeat |" + (" instructions per heartbeat | × curl (instr.) |"
                                                              if instructions else ""))
    print("| --- | ---: | ---: | ---: | ---: | ---: |" + (" ---: | ---: |" if instructions else ""))
    cheapest_instr = min((instructions[m] for m in curl_modes if m in instructions), default=None)
    for mode in modes:
        rows = results[mode]
        cpus = sorted(1e6 * r["cpu"] / args.requests for r in rows)
        rate = args.requests / statistics.median(r["wall"] for r in rows)
        ratio = median_us(mode) / median_us(cheapest_curl) if cheapest_curl else float("nan")
        line = (f"| {mode} | {rate:,.0f} | {median_us(mode):.1f} ({cpus[0]:.1f}–{cpus[-1]:.1f}) | {ratio:.2f} | "
                f"{max(r['connections'] for r in rows)} | "
                f"{1e6 * statistics.median(r['sandbox_cpu'] for r in rows) / args.requests:.1f} |")
        if instructions:
            line += f" {instructions[mode]:,.0f} | {instructions[mode] / cheapest_instr:.2f} |"
        print(line)
    json.dump({"results": results, "instructions": instructions, "load": [load_before, load_after]},
              sys.stderr, indent=1)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
