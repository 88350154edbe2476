"""Shared helpers of the benchmark scripts: a playwave-sandbox process and
its control API, and per-process CPU and memory readings from /proc."""
import http.client
import json
import os
import subprocess
import threading

KEY = "bench-key"


def tool_env(build, workdir, **extra):
    """The environment for playwave-ctl and the window: settings in memory,
    the schemas from the build folder, libsecret's file backend in @workdir
    (no desktop keyring is touched), the key from PLAYWAVE_API_KEY."""
    env = dict(os.environ,
               PLAYWAVE_API_KEY=KEY,
               GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(build, "data"),
               SECRET_BACKEND="file",
               SECRET_FILE_TEST_PATH=os.path.join(workdir, "keyring"),
               SECRET_FILE_TEST_PASSWORD="bench")
    env.update(extra)
    return env


def cpu_seconds(pid):
    """User + system CPU time of @pid (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def load_average():
    return os.getloadavg()


class Control:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port)

    def call(self, method, path, body=None):
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None,
                          headers={"Content-Type": "application/json"})
        response = self.conn.getresponse()
        return json.loads(response.read() or b"null")


class Sandbox:
    def __init__(self, build, extra_args=()):
        self.process = subprocess.Popen(
            [os.path.join(build, "src", "sandbox", "playwave-sandbox"), "--api-key", KEY, *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.base_url = self.process.stdout.readline().strip()
        self.port = int(self.base_url.split(":")[2].split("/")[0])
        self.control = Control(self.port)

    @property
    def pid(self):
        return self.process.pid

    def create_sessions(self, n, first_user=100000, connections=4):
        """Creates @n sessions (each on its own PC); returns [(id, user id)]."""
        sessions = [None] * n

        def worker(start):
            control = Control(self.port)
            for i in range(start, n, connections):
                user = str(first_user + i)
                reply = control.call("POST", "/_sandbox/sessions", {"provider_user_id": user, "pc_id": f"pc-{i}"})
                sessions[i] = (reply["game_session_id"], user)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sessions

    def stats(self):
        return self.control.call("GET", "/_sandbox/stats")

    def requests(self):
        return self.stats()["requests"]

    def reset_stats(self):
        self.control.call("DELETE", "/_sandbox/stats")

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)

    def stop(self):
        self.process.terminate()
        self.process.wait()
