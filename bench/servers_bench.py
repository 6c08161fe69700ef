"""`make bench`, servers: our tau server, and ours side by side with the
original tau-sim 0.1.0 (from PyPI, in .venv-bench) on the same cartpole
episode. Prints tables; asserts nothing.

Every measurement is bounded: a server that does not answer, refuses, dies,
closes a stream early or answers nonsense gives a figure such as "no answer in
60 s" in its table instead of ending the bench, and the bench exits 0. A
server found unresponsive or dead after a failure is skipped for the rest.

Usage: .venv-bench/bin/python bench/servers_bench.py TAU_BINARY ORIGINAL_TAU
"""
import http.client
import json
import math
import os
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import connect

CLK = os.sysconf("SC_CLK_TCK")
# The most one answer may take (an HTTP response, a handshake, the next stream
# message), the most one whole episode may take, and from starting a server to
# its first /healthz. TAU_BENCH_ANSWER_S=3 shortens the first two, to try the
# bench against a stalling server quickly.
ANSWER_S = int(os.environ.get("TAU_BENCH_ANSWER_S", 60))
EPISODE_S = 10 * ANSWER_S
START_S = 60
WARM_EPISODES = 7
FIRST_FRAME_STEPS = 10
# Only the original's fields: ours then plays in real time with its default render.
STREAM = {"fps": 30, "width": 480, "height": 360}


class Missing(str):
    """A figure a measurement could not give; the text says why, for the table."""


class Failed(Exception):
    """A measurement that cannot give its figure; str() is that figure."""


class Server:
    def __init__(self, name, command, work):
        self.name, self.work, self.command = name, work, command
        self.port, self.process, self.failed = free_port(), None, None
        self.log_path = os.path.join(work, f"{name}.log")

    def start(self):
        """Seconds from starting the process to its first /healthz, or a Missing."""
        env = dict(os.environ, MUJOCO_GL="osmesa", PORT=str(self.port))
        t0 = time.perf_counter()
        try:
            with open(self.log_path, "wb") as log:
                self.process = subprocess.Popen(
                    self.command + ["--port", str(self.port)], cwd=self.work, env=env,
                    stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        except OSError as error:
            print(f"  {self.name}: {self.command[0]}: {error.strerror}", flush=True)
            return self.fail(Missing("did not start"))
        while time.perf_counter() - t0 < START_S:
            if self.process.poll() is not None:
                return self.fail(Missing(f"exited at start ({self.process.returncode})"))
            try:
                if request(self.port, "GET", "/healthz", timeout=2)[0] == 200:
                    return time.perf_counter() - t0
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        return self.fail(Missing(f"not up in {START_S} s"))

    def died(self):
        return self.process is not None and self.process.poll() is not None

    def fail(self, figure):
        """Skip this server from now on; every later figure of it reads `figure`."""
        self.failed = figure
        print(f"  {self.name}: {figure}; skipped from now on", flush=True)
        self.print_log()
        return figure

    def print_log(self):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(max(0, os.path.getsize(self.log_path) - 2000))
                tail = f.read().decode(errors="replace").strip().splitlines()[-8:]
        except OSError:
            return
        for line in tail:
            print(f"    {self.name} log: {line}", flush=True)

    def recover(self):
        """After a failed measurement: let the server finish what it was doing,
        or give it up when it died or stays silent."""
        if self.died():
            self.fail(Missing(f"server died (exit {self.process.returncode})"))
            return
        try:
            request(self.port, "GET", "/healthz", timeout=ANSWER_S)
        except Exception:
            if self.died():
                self.fail(Missing(f"server died (exit {self.process.returncode})"))
            else:
                self.fail(Missing("unresponsive"))

    def stop(self):
        if self.process is None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue  # e.g. the original finishing an episode before it shuts down


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def describe(error, server):
    """The figure for a measurement that raised `error`."""
    if server.died():
        return Missing(f"server died (exit {server.process.returncode})")
    if isinstance(error, Failed):
        return Missing(str(error))
    if isinstance(error, TimeoutError):  # socket.timeout, recv and open timeouts alike
        return Missing(f"no answer in {ANSWER_S} s")
    if isinstance(error, ConnectionRefusedError):
        return Missing("refused")
    if isinstance(error, ConnectionClosed):
        return Missing("stream closed early")
    if isinstance(error, InvalidStatus):
        return Missing(f"handshake: HTTP {error.response.status_code}")
    if isinstance(error, InvalidHandshake):
        return Missing("handshake failed")
    if isinstance(error, (OSError, http.client.HTTPException)):
        return Missing("connection lost")
    if isinstance(error, (ValueError, KeyError, TypeError)):  # JSON errors among them
        return Missing("bad answer")
    return Missing(type(error).__name__)


def measure(server, what, fn, *args):
    """fn(*args), or a Missing saying why not; never raises. A Missing among the
    arguments (a project that could not be created) is passed on as the figure."""
    if server.failed:
        return server.failed
    for arg in args:
        if isinstance(arg, Missing):
            return arg
    try:
        return fn(*args)
    except Exception as error:
        figure = describe(error, server)
        print(f"  {server.name}, {what}: {figure} ({type(error).__name__}: {error})", flush=True)
        server.recover()
        return figure


def request(port, method, path, body=None, connection=None, timeout=ANSWER_S):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None,
                           headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        if own:
            connection.close()
    return response.status, data


def answer(port, method, path, body=None):
    """The JSON of a 2xx answer; anything else raises."""
    status, data = request(port, method, path, body)
    if not 200 <= status < 300:
        raise Failed(f"HTTP {status}")
    return json.loads(data)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else float("nan")


def cpu_seconds(pid):
    """CPU of a process, its reaped children and its live descendants."""
    def stat(p):
        with open(f"/proc/{p}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return fields
    total = 0.0
    try:
        fields = stat(pid)
        total += sum(int(x) for x in fields[11:15]) / CLK
    except OSError:
        return 0.0
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == pid:
            continue
        try:
            fields = stat(p)
            # Walk up the parents to see whether `pid` is an ancestor.
            parent = int(fields[1])
            while parent > 1 and parent != pid:
                parent = int(stat(parent)[1])
            if parent == pid:
                total += (int(fields[11]) + int(fields[12])) / CLK
        except (OSError, ValueError, IndexError):
            continue
    return total


def load(port, path, method, concurrency, seconds=2.0, body=None):
    latencies, errors, stop = [], [], time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        connection, mine, failed = None, [], []
        while time.monotonic() < stop:
            t = time.perf_counter()
            try:
                connection = connection or http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=ANSWER_S)
                status, _ = request(port, method, path, body, connection)
                if status >= 400:
                    failed.append(Failed(f"HTTP {status}"))
                else:
                    mine.append(time.perf_counter() - t)
            except Exception as error:
                failed.append(error)
                if connection:
                    connection.close()
                connection = None
                time.sleep(0.1)
        if connection:
            connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    start_time = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + ANSWER_S + 5)
    elapsed = time.monotonic() - start_time
    with lock:
        if not latencies:
            raise errors[0] if errors else Failed("no requests")
        return (len(latencies) / elapsed, percentile(latencies, 50), percentile(latencies, 99),
                len(errors))


def open_stream(port, project):
    return connect(f"ws://127.0.0.1:{port}/ws/sim/{project}", max_size=1 << 24,
                   open_timeout=ANSWER_S, origin=f"http://127.0.0.1:{port}",
                   # The original answers no pings while an episode holds its event loop.
                   ping_interval=None, close_timeout=10)


def messages(ws, t0):
    """The stream's messages up to and with `done`; each must come within
    ANSWER_S, and all of them within EPISODE_S of t0."""
    while True:
        left = t0 + EPISODE_S - time.perf_counter()
        if left <= 0:
            raise Failed(f"not done in {EPISODE_S} s")
        try:
            raw = ws.recv(timeout=min(ANSWER_S, left))
        except TimeoutError:
            if left <= ANSWER_S:
                raise Failed(f"not done in {EPISODE_S} s") from None
            raise
        if isinstance(raw, bytes):  # ours in binary mode: u32 header length | header | JPEG
            (length,) = struct.unpack_from("<I", raw)
            message = json.loads(raw[4:4 + length])
        else:
            message = json.loads(raw)
        if not isinstance(message, dict):
            raise ValueError(f"not an object: {raw[:80]!r}")
        if message.get("type") == "log" and message.get("level") == "error":
            print(f"    error log: {str(message.get('message'))[:160]}", flush=True)
        yield message
        if message.get("type") == "done":
            return


def episode(server, project, steps, preset):
    config = dict(STREAM, max_steps=steps)
    if preset:
        config.update({"render": preset, "speed": 0})
    frames, first, done = 0, None, {}
    cpu_before = cpu_seconds(server.process.pid)
    with open_stream(server.port, project) as ws:
        t0 = time.perf_counter()
        ws.send(json.dumps(config))
        for message in messages(ws, t0):
            if message.get("type") == "frame":
                frames += 1
                if first is None:
                    first = time.perf_counter() - t0
            elif message.get("type") == "done":
                done = message
        elapsed = time.perf_counter() - t0
    if not frames:
        raise Failed(f"no frames ({done['reason']})" if done.get("reason") else "no frames")
    cpu = cpu_seconds(server.process.pid) - cpu_before
    return {"first": first, "fps": frames / elapsed, "frames": frames,
            "cpu_per_frame": cpu / frames, "steps": done.get("steps", steps)}


def first_frame(server, project):
    """Seconds from sending the stream's first message to the first frame."""
    with open_stream(server.port, project) as ws:
        t0 = time.perf_counter()
        ws.send(json.dumps(dict(STREAM, max_steps=FIRST_FRAME_STEPS)))
        first, done = None, {}
        for message in messages(ws, t0):  # read to `done` so the next episode starts clean
            if message.get("type") == "frame" and first is None:
                first = time.perf_counter() - t0
            elif message.get("type") == "done":
                done = message
    if first is None:
        raise Failed(f"no frame ({done['reason']})" if done.get("reason") else "no frame")
    return first


def first_frames(server, project):
    """Cold (the server's first episode) and the warm median of the next ones."""
    cold = measure(server, "first episode", first_frame, server, project)
    warm = [measure(server, f"episode {i + 2}", first_frame, server, project)
            for i in range(WARM_EPISODES)]
    ok = [w for w in warm if not isinstance(w, Missing)]
    failures = [w for w in warm if isinstance(w, Missing)]
    return {"cold": cold,
            "warm": statistics.median(ok) if ok else failures[0],
            "warm range": f"{min(ok):.3g}-{max(ok):.3g}" if ok else "-",
            "warm ok": f"{len(ok)}/{len(warm)}"}


def latency_while_streaming(server, project):
    results = [None, None]

    def stream(i):
        try:
            results[i] = episode(server, project, 1000, None)
        except Exception as error:  # the original may not even open a second stream
            results[i] = describe(error, server)
            print(f"  {server.name}, stream {i + 1}: {results[i]} ({type(error).__name__}: "
                  f"{error})", flush=True)

    threads = [threading.Thread(target=stream, args=(i,), daemon=True) for i in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    latencies, errors, stop = [], [], time.perf_counter() + EPISODE_S + ANSWER_S
    while any(t.is_alive() for t in threads) and time.perf_counter() < stop:
        t = time.perf_counter()
        try:
            status, _ = request(server.port, "GET", "/api/projects")
            if status >= 400:
                raise Failed(f"HTTP {status}")
            latencies.append(time.perf_counter() - t)
        except TimeoutError:
            latencies.append(math.inf)  # no answer within ANSWER_S
        except Exception as error:
            errors.append(error)
            time.sleep(0.5)
        time.sleep(0.05)
    for t in threads:
        t.join(timeout=ANSWER_S)
    done = sum(isinstance(r, dict) for r in results)
    failures = [r for r in results if isinstance(r, Missing)]
    streams = f"{done}/2 done" + "".join(f", {r}" for r in failures)
    if not latencies:
        raise errors[0] if errors else Failed(f"streams: {failures[0]}" if failures
                                              else "streams ended at once")
    return {"p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
            "gets": len(latencies) + len(errors),
            "unanswered": sum(math.isinf(x) for x in latencies) + len(errors),
            "streams": streams}


def create_cartpole(port, files=None):
    project = answer(port, "POST", "/api/projects", {"name": "bench", "template": "cartpole"})["id"]
    for path, content in (files or {}).items():
        answer(port, "PUT", f"/api/projects/{project}/file", {"path": path, "content": content})
    return project


def read_files(port, project, paths=("scene.xml", "env.py")):
    return {path: answer(port, "GET", f"/api/projects/{project}/file?path={path}")["content"]
            for path in paths}


def ms(value):
    """A latency in ms for the table; no answer within ANSWER_S reads so."""
    if isinstance(value, Missing):
        return value
    return Missing(f"none in {ANSWER_S} s") if math.isinf(value) else value * 1000


def pick(result, key):
    return result if isinstance(result, Missing) else result[key]


def ratio(a, b):
    """a / b; where one of them is a latency past ANSWER_S (inf), a bound."""
    if not all(isinstance(x, (int, float)) and not math.isnan(x) for x in (a, b)):
        return "n/a"
    if math.isinf(b) and math.isfinite(a):
        return f"< {a / ANSWER_S:.2g}"
    if math.isinf(a) and math.isfinite(b) and b > 0:
        return f"> {ANSWER_S / b:.2g}"
    return a / b if math.isfinite(a) and math.isfinite(b) and b != 0 else "n/a"


def table(header, rows):
    def cell(c):
        return c if isinstance(c, str) else f"{c:.4g}"
    rows = [[cell(c) for c in row] for row in rows]
    widths = [max([14, len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(header)]
    print("  ".join(f"{h:>{w}}" for h, w in zip(header, widths)))
    for row in rows:
        print("  ".join(f"{c:>{w}}" for c, w in zip(row, widths)), flush=True)


def main():
    tau, original = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix="tau-bench-")
    ours = Server("ours", [tau, "serve", "--no-browser", "--projects-dir", f"{work}/ours"], work)
    original = Server("original", [original, "--no-browser", "--projects-dir",
                                   f"{work}/original", "--mujoco-gl", "osmesa"], work)
    try:
        print(f"\nTime to first frame: a fresh server, a cartpole project, then streams of "
              f"{FIRST_FRAME_STEPS} steps with only the original's fields (ours in real time)")
        up = {"ours": ours.start()}
        project = measure(ours, "create project", create_cartpole, ours.port)
        ttff = {"ours": first_frames(ours, project)}
        files = measure(ours, "read the cartpole files", read_files, ours.port, project)
        if isinstance(files, Missing):
            print("  the original runs its own cartpole template, not ours", flush=True)
            files = None
        up["original"] = original.start()
        theirs = measure(original, "create project", create_cartpole, original.port, files)
        ttff["original"] = first_frames(original, theirs)
        table(["server", "up s", "cold s", "warm median s", "warm range s", "warm ok"],
              [[name, up[name], t["cold"], t["warm"], t["warm range"], t["warm ok"]]
               for name, t in ttff.items()])

        print("\nServer: requests per second and latency on loopback (ours)")
        rows = []
        for concurrency in (1, 4, 16):
            for label, path, method, body in (
                    ("GET projects", "/api/projects", "GET", None),
                    ("PUT file 2KB", f"/api/projects/{project}/file", "PUT",
                     {"path": "notes.txt", "content": "x" * 2048})):
                r = measure(ours, f"{label} x{concurrency}", load, ours.port, path, method,
                            concurrency, 2.0, body)
                rows.append([label, str(concurrency)] + (
                    [r, "-", "-", "-"] if isinstance(r, Missing)
                    else [r[0], r[1] * 1000, r[2] * 1000, str(r[3])]))
        table(["request", "concurrency", "req/s", "p50 ms", "p99 ms", "errors"], rows)

        print("\nEpisodes: the same cartpole env, 480x360, 30 fps (ours as fast as possible)")
        rows, figures = [], {}
        for steps in (300, 1000):
            for name, server, proj, preset in (
                    ("ours fast", ours, project, "fast"),
                    ("ours high", ours, project, "high"),
                    ("original", original, theirs, None)):
                r = measure(server, f"{steps} steps", episode, server, proj, steps, preset)
                figures[(name, steps)] = r
                if isinstance(r, Missing):
                    rows.append([name, str(steps), r, "-", "-", "-"])
                    continue
                rows.append([name, str(steps), r["first"], r["fps"], str(r["frames"]),
                             r["cpu_per_frame"]])
                print(f"  {name}, {steps} steps: {r['frames']} frames in "
                      f"{r['frames'] / r['fps']:.1f} s", flush=True)
        table(["server", "steps", "first frame s", "frames/s", "frames", "CPU s/frame"], rows)

        print("\nGET /api/projects while 2 episodes of 1000 steps stream (real time for ours)")
        latency = {name: measure(server, "GET while streaming", latency_while_streaming,
                                 server, proj)
                   for name, server, proj in (("ours", ours, project),
                                              ("original", original, theirs))}
        rows = []
        for name, r in latency.items():
            if isinstance(r, Missing):
                rows.append([name, r, "-", "-", "-", "-"])
            else:
                rows.append([name, ms(r["p50"]), ms(r["p99"]), str(r["gets"]),
                             str(r["unanswered"]), r["streams"]])
        table(["server", "p50 ms", "p99 ms", "GETs", "unanswered", "streams"], rows)

        print("\nOurs / original")
        rows = []
        for steps in (300, 1000):
            o, t = figures[("ours fast", steps)], figures[("original", steps)]
            rows.append([str(steps)] + [ratio(pick(o, key), pick(t, key))
                                        for key in ("first", "fps", "cpu_per_frame")])
        table(["steps", "first frame", "frames/s", "CPU/frame"], rows)
        o, t = latency["ours"], latency["original"]
        table(["figure", "ours/original"],
              [["first frame cold", ratio(ttff["ours"]["cold"], ttff["original"]["cold"])],
               ["first frame warm", ratio(ttff["ours"]["warm"], ttff["original"]["warm"])],
               ["GET p99", ratio(pick(o, "p99"), pick(t, "p99"))]])
    finally:
        for server in (ours, original):
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
