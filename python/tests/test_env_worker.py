"""The env worker, spawned as the server spawns it and driven by frames."""

import importlib.util
import os
import time

import mujoco
import numpy as np
from worker_client import logs, of_type, state_vector


def run_in_process(root, max_steps, fps):
    """The same episode without the worker: the runner's formula by hand."""
    spec = importlib.util.spec_from_file_location("env_in_process", root / "env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    env = module.make_env()
    model = mujoco.MjModel.from_xml_path(str(root / "scene.xml"))
    data = mujoco.MjData(model)
    mujoco.mj_resetData(model, data)
    obs = env.reset(model, data)
    substeps = max(1, round(1 / (model.opt.timestep * fps)))
    total, steps, done = 0.0, 0, False
    while steps < max_steps and not done:
        obs, reward, done = env.step(model, data, env.policy(obs))
        for _ in range(substeps):
            mujoco.mj_step(model, data)
        total += reward
        steps += 1
    state = np.empty(mujoco.mj_stateSize(model, mujoco.mjtState.mjSTATE_INTEGRATION))
    mujoco.mj_getState(model, data, state, mujoco.mjtState.mjSTATE_INTEGRATION)
    return steps, total, "finished" if done else "max_steps", state


def run_episode(worker, root, **job):
    hello, _ = worker.next_frame()
    assert hello["type"] == "hello"
    worker.start(root, **job)
    return worker.run_to_end()


def error_of(frames):
    """The error message of an episode that must have ended in error."""
    done = of_type(frames, "done")[-1]
    assert done["reason"] == "error", done
    errors = logs(frames, "error")
    assert len(errors) == 1, errors
    return errors[0]


def test_run_to_max_steps_matches_the_env_run_in_process(project, worker):
    hello, _ = worker.next_frame()
    assert hello["mujoco"] == "4.0.1" and hello["pid"] == worker.proc.pid
    worker.start(project.root, max_steps=40, fps=30)
    frames = worker.run_to_end()
    started = of_type(frames, "started")[0]
    assert started["entry"] == "env.py" and started["xml_path"] == "scene.xml"
    assert (started["nq"], started["nv"], started["nu"], started["substeps"]) == (2, 2, 1, 3)
    assert started["default_env"] is False
    states = of_type(frames, "state")
    steps, total, reason, final_state = run_in_process(project.root, 40, 30)
    assert [s["step"] for s in states] == list(range(steps + 1))
    assert states[0]["reward"] == 0 and states[0]["obs"] == [0.0, 0.1, 0.0, 0.0]
    assert "action" not in states[0] and len(states[1]["action"]) == 1
    done = of_type(frames, "done")[0]
    assert (done["reason"], done["steps"], done["total_reward"]) == (reason, steps, total)
    assert states[-1]["total_reward"] == total
    payload = [p for h, p in frames if h["type"] == "state"][-1]
    assert len(payload) == 8 * started["state_size"]
    np.testing.assert_array_equal(state_vector(payload), final_state)
    assert not (project.root / "MUJOCO_LOG.TXT").exists()


def test_pause_step_reset_resume_speed_stop(project, worker):
    worker.next_frame()
    worker.start(project.root, max_steps=100000, fps=30, speed=1, paused=True)
    first = worker.until("state")
    assert first[-1][0]["step"] == 0
    worker.send({"type": "step"})
    assert worker.until("state")[-1][0]["step"] == 1
    worker.send({"type": "step"})
    two = worker.until("state")[-1][0]
    assert two["step"] == 2 and two["total_reward"] > 0
    worker.send({"type": "reset"})
    again = worker.until("state")[-1][0]
    assert (again["step"], again["total_reward"], again["obs"]) == (0, 0.0, [0.0, 0.1, 0.0, 0.0])
    time.sleep(0.3)  # paused: nothing comes
    assert worker.proc.poll() is None
    worker.send({"type": "resume"})
    started_at = time.monotonic()
    for expected in range(1, 7):
        assert worker.until("state")[-1][0]["step"] == expected
    elapsed = time.monotonic() - started_at
    assert 0.12 < elapsed < 1.0, elapsed  # paced at 30 fps: step 6 due at 0.2 s
    worker.send({"type": "speed", "value": 0})
    worker.send({"type": "pause"})
    worker.send({"type": "stop"})
    frames = worker.run_to_end()
    done = of_type(frames, "done")[0]
    assert done["reason"] == "stopped"
    assert done["steps"] == of_type(worker.frames, "state")[-1]["step"]


def test_end_of_input_stops_the_episode(project, worker):
    worker.next_frame()
    worker.start(project.root, max_steps=100000, fps=30, speed=1)
    worker.until("state")
    worker.proc.stdin.close()
    assert of_type(worker.run_to_end(), "done")[0]["reason"] == "stopped"


def test_env_saying_done_finishes(project, worker):
    project("env.py", project.root.joinpath("env.py").read_text().replace("abs(theta) > 1.2", "data.time > 0.2"))
    frames = run_episode(worker, project.root, max_steps=100)
    done = of_type(frames, "done")[0]
    assert (done["reason"], done["steps"]) == ("finished", 8)  # done is decided before the step's physics
    assert of_type(frames, "state")[-1]["done"] is True


def test_syntax_error_names_file_and_line(project, worker):
    project("env.py", "import numpy as np\n\ndef make_env(:\n    pass\n")
    message = error_of(run_episode(worker, project.root))
    assert message.startswith("env.py:3: SyntaxError: "), message
    assert "while importing env.py" in message.splitlines()[0]
    assert str(project.root) not in message


def test_exception_in_step_names_project_frames_only(project, worker):
    source = project.root.joinpath("env.py").read_text()
    project("env.py", source.replace("        done = bool(", "        x = 1 / 0\n        done = bool("))
    line = project.root.joinpath("env.py").read_text().splitlines().index("        x = 1 / 0") + 1
    message = error_of(run_episode(worker, project.root))
    assert message.splitlines()[0] == f"env.py:{line}: ZeroDivisionError: division by zero (in step)"
    assert f"  env.py:{line} in step" in message
    assert "tau_env" not in message and "worker" not in message


def test_exception_in_helper_module_and_helper_import(project, worker):
    project("helpers.py", "def reward(theta):\n    return 1.0 - abs(theta)\n\ndef broken():\n    raise RuntimeError('no luck')\n")
    source = project.root.joinpath("env.py").read_text()
    source = source.replace("import numpy as np\n", "import numpy as np\nimport helpers\n")
    project("env.py", source.replace("float(np.cos(theta) - 0.01 * x * x)", "helpers.reward(theta)"))
    frames = run_episode(worker, project.root, max_steps=5)
    assert of_type(frames, "done")[0]["reason"] == "max_steps"
    assert of_type(frames, "state")[1]["reward"] == 0.9  # 1 - |0.1|

    project("env.py", source.replace("    def policy(self, obs):\n", "    def policy(self, obs):\n        helpers.broken()\n"))
    worker.close()
    from worker_client import Worker

    second = Worker()
    try:
        message = error_of(run_episode(second, project.root))
    finally:
        second.close()
    lines = message.splitlines()
    assert lines[0] == "helpers.py:5: RuntimeError: no luck (in policy)"
    assert lines[2].startswith("  env.py:") and lines[2].endswith(" in policy")
    assert lines[4] == "  helpers.py:5 in broken"


def test_wrong_action_shape(project, worker):
    source = project.root.joinpath("env.py").read_text()
    project("env.py", source.replace("return np.array([10.0 * theta", "return np.array([1.0, 2.0, 10.0 * theta"))
    message = error_of(run_episode(worker, project.root))
    assert message == "policy returned an action of shape (3,) but the model has nu=1 actuators"


def test_scalar_action_is_accepted(project, worker):
    source = project.root.joinpath("env.py").read_text()
    project("env.py", source.replace("return np.array([10.0 * theta + 1.0 * thetadot + 0.1 * x + 0.2 * xdot])", "return 0.5"))
    frames = run_episode(worker, project.root, max_steps=3)
    assert of_type(frames, "done")[0]["reason"] == "max_steps"
    assert of_type(frames, "state")[1]["action"] == [0.5]


def test_non_finite_reward(project, worker):
    source = project.root.joinpath("env.py").read_text()
    project("env.py", source.replace("reward = float(", "reward = float('nan') if data.time > 0.31 else float("))
    message = error_of(run_episode(worker, project.root))
    assert message == "step returned a non-finite reward (nan) at step 12"


def test_step_returning_two_values(project, worker):
    project("env.py", project.root.joinpath("env.py").read_text().replace("return obs, reward, done", "return obs, reward"))
    message = error_of(run_episode(worker, project.root))
    assert message.startswith("step must return (obs, reward, done), but it returned a tuple of 2 items: ")
    assert message.endswith(" at step 1")


def test_malformed_scene_names_its_line(project, worker):
    xml = project.root.joinpath("scene.xml").read_text()
    project("scene.xml", xml.replace('<light pos="0 0 3"/>', '<light pos="0 0 3"/>\n    <nonsense/>'))
    message = error_of(run_episode(worker, project.root))
    assert message.startswith("scene.xml:5: XML Error: Schema violation: unrecognized element"), message
    assert of_type(worker.frames, "started") == []


def test_default_env_without_env_py(project, worker):
    os.remove(project.root / "env.py")
    frames = run_episode(worker, project.root, max_steps=10)
    assert "no env.py: running scene.xml with the default env (zero action)" in logs(frames, "info")
    started = of_type(frames, "started")[0]
    assert started["default_env"] is True and started["entry"] is None
    states = of_type(frames, "state")
    assert len(states) == 11 and all(s["reward"] == 0 and s["action"] == [0.0] for s in states[1:])
    assert len(states[-1]["obs"]) == 4
    assert of_type(frames, "done")[0]["reason"] == "max_steps"


def test_print_flood_is_capped_and_frames_stay_intact(project, worker):
    source = project.root.joinpath("env.py").read_text()
    flood = (
        "        for i in range(3000):\n            print('flood', i)\n"
        "        print('x' * 100000)\n"
        "        os.write(1, b'C-level bytes on fd 1' * 1000)\n"
        "        print('no newline yet', end='')\n"
    )
    source = "import os\n" + source.replace("        obs = self._obs(data)\n        x, theta", flood + "        obs = self._obs(data)\n        x, theta")
    project("env.py", source)
    frames = run_episode(worker, project.root, max_steps=3)
    assert of_type(frames, "done")[0]["reason"] == "max_steps"
    info = logs(frames, "info")
    assert 150 <= len(info) <= 401
    assert info[:2] == ["flood 0", "flood 1"]
    assert any(m.endswith("lines of output dropped") for m in logs(frames, "warning"))
    assert all(len(m) <= 64 * 1024 + 100 for m in info)


def test_edit_between_runs_takes_effect(project):
    from worker_client import Worker

    totals = []
    source = project.root.joinpath("env.py").read_text()
    for reward in ("1.0", "2.0"):  # same size, same second: a stale cache would not notice
        project("env.py", source.replace("reward = float(np.cos(theta) - 0.01 * x * x)", f"reward = {reward}            "[:43]))
        w = Worker()
        try:
            totals.append(of_type(run_episode(w, project.root, max_steps=4), "done")[0]["total_reward"])
        finally:
            w.close()
    assert totals == [4.0, 8.0]


def test_xml_path_may_not_leave_the_project(project, tmp_path):
    from worker_client import Worker

    outside = tmp_path / "outside.xml"
    outside.write_text(project.root.joinpath("scene.xml").read_text())
    os.symlink(outside, project.root / "link.xml")
    source = project.root.joinpath("env.py").read_text()
    cases = {
        "../outside.xml": "xml_path '../outside.xml' leaves the project folder",
        str(outside): f"xml_path '{outside}' is absolute; it must be relative to the project folder",
        "link.xml": "xml_path 'link.xml' leaves the project folder",
    }
    for xml_path, expected in cases.items():
        project("env.py", source.replace('xml_path = "scene.xml"', f"xml_path = {xml_path!r}"))
        w = Worker()
        try:
            assert error_of(run_episode(w, project.root)) == expected
        finally:
            w.close()


def test_memory_bomb_ends_with_an_error(project, worker):
    source = project.root.joinpath("env.py").read_text()
    bomb = "        self.hoard = []\n        while True:\n            self.hoard.append(bytearray(1 << 20))\n"
    project("env.py", source.replace("    def reset(self, model, data):\n", "    def reset(self, model, data):\n" + bomb))
    started_at = time.monotonic()
    frames = run_episode(worker, project.root, limits={"mem_mb": 300})
    message = error_of(frames)
    assert message.startswith("env.py:10: the episode ran out of memory (limit 300 MB) (in reset)"), message
    assert of_type(frames, "started")[0]["sandbox"]["mem_mb"] == 300
    assert time.monotonic() - started_at < 15


def test_cpu_bound_loop_ends_at_the_cpu_limit(project, worker):
    # It prints too, so the limit often strikes in the middle of a frame.
    source = project.root.joinpath("env.py").read_text()
    project("env.py", source.replace("    def policy(self, obs):\n", "    def policy(self, obs):\n        n = 0\n        while True:\n            n += 1\n            if n % 1000 == 0:\n                print(n)\n"))
    started_at = time.monotonic()
    frames = run_episode(worker, project.root, limits={"cpu_s": 2})
    assert error_of(frames) == "CPU limit of 2 s reached"
    assert time.monotonic() - started_at < 10


def test_sandbox_cuts_the_network(project, worker):
    source = project.root.joinpath("env.py").read_text()
    probe = (
        "        import socket\n"
        "        try:\n"
        "            socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
        "        except OSError as e:\n"
        "            print('network:', e.errno)\n"
        "        open('written.txt', 'w').write('ok')\n"
    )
    project("env.py", source.replace("    def reset(self, model, data):\n", "    def reset(self, model, data):\n" + probe))
    frames = run_episode(worker, project.root, max_steps=2, sandbox=True)
    network = of_type(frames, "started")[0]["sandbox"]["network"]
    assert of_type(frames, "done")[0]["reason"] == "max_steps"
    assert project.root.joinpath("written.txt").read_text() == "ok"
    if network != "cut":
        import pytest

        pytest.skip(f"this machine cannot cut the network: {network}")
    assert "network: 101" in logs(frames, "info")  # ENETUNREACH: even loopback is down


def test_bad_job_is_refused(project, worker):
    message = error_of(run_episode(worker, project.root, fps=0))
    assert message == "bad job: job.fps must be a number from 1 to 240, not 0"
