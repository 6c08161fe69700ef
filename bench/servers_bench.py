"""`make bench`, servers: our tau server, and ours side by side with the
original tau-sim 0.1.0 (from PyPI, in .venv-bench) on the same cartpole
episode. Prints tables; asserts nothing.

Usage: .venv-bench/bin/python bench/servers_bench.py TAU_BINARY ORIGINAL_TAU
"""
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from websockets.sync.client import connect

TAU, ORIGINAL = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CLK = os.sysconf("SC_CLK_TCK")


def start(command, port, cwd):
    env = dict(os.environ, MUJOCO_GL="osmesa", PORT=str(port))
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(300):
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server on {port} did not start: {command}")


def request(port, method, path, body=None, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=json.dumps(body) if body is not None else None,
                       headers=headers)
    response = connection.getresponse()
    data = response.read()
    if own:
        connection.close()
    return response.status, data


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
        except OSError:
            continue
    return total


def load(port, path, method, concurrency, seconds=2.0, body=None):
    latencies, stop = [], time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            t = time.perf_counter()
            request(port, method, path, body, connection)
            mine.append(time.perf_counter() - t)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start_time = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start_time
    return len(latencies) / elapsed, percentile(latencies, 50), percentile(latencies, 99)


def episode(port, project, steps, preset, pid):
    config = {"max_steps": steps, "fps": 30, "width": 480, "height": 360}
    if preset:
        config.update({"render": preset, "speed": 0})
    frames, first = 0, None
    cpu_before = cpu_seconds(pid)
    with connect(f"ws://127.0.0.1:{port}/ws/sim/{project}", max_size=1 << 24,
                 open_timeout=30, origin=f"http://127.0.0.1:{port}",
                 # The original answers no pings while an episode holds its event loop.
                 ping_interval=None, close_timeout=60) as ws:
        t0 = time.perf_counter()
        ws.send(json.dumps(config))
        while True:
            message = json.loads(ws.recv(timeout=600))
            if message["type"] == "frame":
                frames += 1
                if first is None:
                    first = time.perf_counter() - t0
            elif message["type"] == "done":
                break
        elapsed = time.perf_counter() - t0
    cpu = cpu_seconds(pid) - cpu_before
    return {"first": first or float("nan"), "fps": frames / elapsed, "frames": frames,
            "cpu_per_frame": cpu / max(frames, 1), "steps": message.get("steps", steps)}


def latency_while_streaming(port, project, pid):
    results = []

    def stream():
        try:
            results.append(episode(port, project, 1000, None, pid))
        except Exception as error:  # the original may not even open a second stream
            results.append(error)
            print(f"  a stream failed: {type(error).__name__}: {error}", flush=True)

    threads = [threading.Thread(target=stream) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    latencies = []
    while any(t.is_alive() for t in threads):
        t = time.perf_counter()
        request(port, "GET", "/api/projects")
        latencies.append(time.perf_counter() - t)
        time.sleep(0.05)
    for t in threads:
        t.join()
    return percentile(latencies, 50), percentile(latencies, 99)


def create_cartpole(port, files=None):
    status, data = request(port, "POST", "/api/projects", {"name": "bench", "template": "cartpole"})
    project = json.loads(data)["id"]
    for path, content in (files or {}).items():
        request(port, "PUT", f"/api/projects/{project}/file", {"path": path, "content": content})
    return project


def table(header, rows):
    print("  ".join(f"{h:>14}" for h in header))
    for row in rows:
        print("  ".join(f"{c:>14}" if isinstance(c, str) else f"{c:>14.4g}" for c in row))


def main():
    work = tempfile.mkdtemp(prefix="tau-bench-")
    ours = start([TAU, "serve", "--no-browser", "--port", "7901", "--projects-dir",
                  f"{work}/ours"], 7901, work)
    original = None
    try:
        print("\nServer: requests per second and latency on loopback (ours)")
        project = create_cartpole(7901)
        rows = []
        for concurrency in (1, 4, 16):
            rps, p50, p99 = load(7901, "/api/projects", "GET", concurrency)
            rows.append(["GET projects", str(concurrency), rps, p50 * 1000, p99 * 1000])
            rps, p50, p99 = load(7901, f"/api/projects/{project}/file", "PUT", concurrency,
                                 body={"path": "notes.txt", "content": "x" * 2048})
            rows.append(["PUT file 2KB", str(concurrency), rps, p50 * 1000, p99 * 1000])
        table(["request", "concurrency", "req/s", "p50 ms", "p99 ms"], rows)

        files = {}
        for path in ("scene.xml", "env.py"):
            _, data = request(7901, "GET", f"/api/projects/{project}/file?path={path}")
            files[path] = json.loads(data)["content"]
        original = start([ORIGINAL, "--no-browser", "--port", "7902", "--projects-dir",
                          f"{work}/original", "--mujoco-gl", "osmesa"], 7902, work)
        theirs = create_cartpole(7902, files)

        print("\nEpisodes: the same cartpole env, 480x360, 30 fps (ours as fast as possible)")
        rows, figures = [], {}
        for steps in (300, 1000):
            for name, port, proc, proj, preset in (
                    ("ours fast", 7901, ours, project, "fast"),
                    ("ours high", 7901, ours, project, "high"),
                    ("original", 7902, original, theirs, None)):
                r = episode(port, proj, steps, preset, proc.pid)
                figures[(name, steps)] = r
                rows.append([name, str(steps), r["first"], r["fps"], r["frames"], r["cpu_per_frame"]])
                print(f"  {name}, {steps} steps: {r['frames']} frames in {r['frames'] / r['fps']:.1f} s",
                      flush=True)
        table(["server", "steps", "first frame s", "frames/s", "frames", "CPU s/frame"], rows)

        print("\nGET /api/projects while 2 episodes of 1000 steps stream (real time for ours)")
        ours_latency = latency_while_streaming(7901, project, ours.pid)
        theirs_latency = latency_while_streaming(7902, theirs, original.pid)
        table(["server", "p50 ms", "p99 ms"],
              [["ours", ours_latency[0] * 1000, ours_latency[1] * 1000],
               ["original", theirs_latency[0] * 1000, theirs_latency[1] * 1000]])

        print("\nOurs / original")
        rows = []
        for steps in (300, 1000):
            o, t = figures[("ours fast", steps)], figures[("original", steps)]
            rows.append([str(steps), o["first"] / t["first"], o["fps"] / t["fps"],
                         o["cpu_per_frame"] / t["cpu_per_frame"]])
        table(["steps", "first frame", "frames/s", "CPU/frame"], rows)
        print(f"{'GET p99':>14}  {ours_latency[1] / theirs_latency[1]:>14.4g}")
    finally:
        for process in (ours, original):
            if process:
                os.killpg(process.pid, 15)
        shutil.rmtree(work, ignore_errors=True)


main()
