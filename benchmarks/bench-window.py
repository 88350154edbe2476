#!/usr/bin/env python3
"""Window scale: playwave-monitor's window with many tracked sessions, under Xvfb.

Starts playwave-sandbox, creates the sessions, writes them to a track file and
runs benchmarks/bench-window (the real application, as `playwave-monitor
--base-url URL --track-file FILE`, measured from inside: see bench-window.c)
under `xvfb-run`, --runs times. Reports the median of the runs:

  resident memory   VmRSS after the idle phase, and the peak (VmHWM)
  idle CPU          % of one core over --idle-seconds once every session has
                    had its first answer and before the second round begins
  frames            while a tick callback scrolls the list by --px-per-frame
                    each frame: the work per frame of the window's frame clock
                    (before-paint to after-paint: update, layout, paint),
                    median, 95th percentile, and the share under 16 ms
  steady CPU        % of one core over --steady-seconds with the second round
                    of heartbeats going on

Numbers only: nothing here passes or fails.

    python3 benchmarks/bench-window.py [--build build] [--sessions 10000] [--runs 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchutil import Sandbox, load_average, tool_env  # noqa: E402


def run_once(args, workdir, index):
    sandbox = Sandbox(args.build)
    try:
        sessions = sandbox.create_sessions(args.sessions)
        track_file = os.path.join(workdir, "sessions.txt")
        with open(track_file, "w") as f:
            for session_id, user_id in sessions:
                f.write(f"{session_id}:{user_id}\n")
        state_dir = tempfile.mkdtemp(prefix=f"state-{index}-", dir=workdir)
        env = tool_env(args.build, state_dir,
                       # No session bus: GApplication runs as a plain local instance.
                       DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/playwave-bench",
                       NO_AT_BRIDGE="1",
                       ADW_DISABLE_PORTAL="1",
                       XDG_STATE_HOME=state_dir)
        if args.renderer:
            env["GSK_RENDERER"] = args.renderer
        if args.no_gl:
            env["GDK_DEBUG"] = "gl-disable"
        command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1200x24"] + args.wrapper.split() + [
                   os.path.join(args.build, "benchmarks", "bench-window"),
                   "--sessions", str(args.sessions), "--state-dir", state_dir,
                   "--idle-seconds", str(args.idle), "--scroll-seconds", str(args.scroll),
                   "--steady-seconds", str(args.steady), "--px-per-frame", str(args.px_per_frame),
                   sandbox.base_url, track_file]
        result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, timeout=1800)
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        if result.returncode != 0 or not lines:
            raise SystemExit(f"bench-window failed ({result.returncode}): {result.stderr[-3000:]}")
        return json.loads(lines[-1])
    finally:
        sandbox.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--sessions", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=int, default=30)
    parser.add_argument("--scroll", type=int, default=10)
    parser.add_argument("--steady", type=int, default=120,
                        help="seconds after scrolling: the second round of heartbeats, which fills each "
                             "session's exchange history to its limit")
    parser.add_argument("--px-per-frame", type=int, default=100)
    parser.add_argument("--renderer", help="GSK_RENDERER for the window (default: GTK's choice)")
    parser.add_argument("--no-gl", action="store_true",
                        help="GDK_DEBUG=gl-disable: no OpenGL at all (under Xvfb: no llvmpipe in memory)")
    parser.add_argument("--wrapper", default="", help="run bench-window under this, e.g. 'heaptrack -o FILE'")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)

    workdir = tempfile.mkdtemp(prefix="bench-window-")
    load_before = load_average()
    runs = [run_once(args, workdir, i) for i in range(args.runs)]
    load_after = load_average()

    def med(key):
        return statistics.median(run[key] for run in runs)

    def spread(key, fmt="{:.1f}"):
        values = sorted(run[key] for run in runs)
        return f"{fmt.format(med(key))} ({fmt.format(values[0])}–{fmt.format(values[-1])})"

    print(f"{args.sessions:,} sessions; median (min–max) of {args.runs} runs; renderer {runs[0]['renderer']}; "
          f"refresh interval {runs[0]['refresh_interval_us'] / 1000:.2f} ms; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; {os.cpu_count()} CPUs")
    print()
    print("| figure | value |")
    print("| --- | ---: |")
    print(f"| first round (s) | {spread('first_round_s')} |")
    print(f"| resident memory after the first round (MiB) | {spread('rss_idle_mib')} |")
    print(f"| of which anonymous (heap) / file-backed and shared (MiB) | "
          f"{med('rss_anon_idle_mib'):.1f} / {med('rss_file_idle_mib'):.1f} |")
    print(f"| of which Mesa's software OpenGL under Xvfb (libLLVM, swrast; MiB) | "
          f"{med('rss_software_gl_idle_mib'):.1f} |")
    print(f"| resident memory after the steady phase (MiB) | {spread('rss_steady_mib')} |")
    print(f"| malloc heap after the steady phase: in use / free but kept (MiB) | "
          f"{med('heap_used_steady_mib'):.1f} / {med('heap_free_steady_mib'):.1f} |")
    print(f"| peak resident memory (MiB) | {spread('rss_peak_mib')} |")
    print(f"| idle CPU over {args.idle} s (% of a core; heartbeats in it: "
          f"{max(r['idle_heartbeats'] for r in runs)}) | {spread('idle_cpu_percent', '{:.2f}')} |")
    print(f"| frames in {args.scroll} s of scrolling ({args.px_per_frame} px per frame) | {spread('frames', '{:.0f}')} |")
    print(f"| frame work, CPU time of the main thread: median / 95th percentile / slowest (ms) | "
          f"{med('frame_cpu_median_us') / 1000:.2f} / {med('frame_cpu_p95_us') / 1000:.2f} / "
          f"{med('frame_cpu_max_us') / 1000:.2f} |")
    print(f"| frames with work under 16 ms, CPU time (%) | {spread('frames_cpu_under_16ms_percent')} |")
    print(f"| frame work, wall time: median / 95th percentile / slowest (ms) | "
          f"{med('frame_work_median_us') / 1000:.2f} / {med('frame_work_p95_us') / 1000:.2f} / "
          f"{med('frame_work_max_us') / 1000:.2f} |")
    print(f"| frames with work under 16 ms, wall time (%) | {spread('frames_under_16ms_percent')} |")
    print(f"| interval between frames, median / 95th percentile (ms) | "
          f"{med('frame_interval_median_us') / 1000:.2f} / {med('frame_interval_p95_us') / 1000:.2f} |")
    print(f"| steady CPU over {args.steady} s with heartbeats (% of a core) | {spread('steady_cpu_percent', '{:.2f}')} |")
    print(f"| heartbeats in the steady phase | {spread('steady_heartbeats', '{:.0f}')} |")
    json.dump(runs, sys.stderr, indent=1)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
