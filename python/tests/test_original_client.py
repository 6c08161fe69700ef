"""The live stream as the original's browser saw it (REFERENCE.md, "The live stream",
points 1-5), against a live `tau serve`.

The client here is the original's: its first message holds only `max_steps`, `fps`, `width`
and `height` (or is `{}`, or never comes), and it acts only on the text messages `log`,
`frame` and `done`. Whatever else a server adds must leave that client seeing exactly the
original's sequence:

    setup fails:        error log, done                      (no frame)
    runs to max_steps:  info "episode started ...", frame 0 .. frame N-1, done
    step() says done:   info "episode started ...", frame 0 .. frame k, info "done at step k", done
    policy()/step() raise at step k:
                        info "episode started ...", frame 0 .. frame k-1, error log, done

with each frame's `reward` the value that step's `step()` returned, `total_reward` the running
sum, and `done.total_reward` the sum of all frames' rewards.

Set TAU_ORIGINAL_CLIENT_SERVER=original to run the same tests against the original tau-sim
0.1.0 (`.venv-bench/bin/tau`, from scripts/bench-setup).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import (  # noqa: E402
    NO_FIRST_MESSAGE,
    Conversation,
    LiveServer,
    Message,
    ServerMissing,
    jpeg_size,
    server_kind,
)

HERE = Path(__file__).resolve().parent

#: The messages an original client acts on; any other type it ignores.
ORIGINAL_TYPES = ("log", "frame", "done")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    kind = server_kind()
    try:
        live = LiveServer(kind, tmp_path_factory.mktemp(f"tau-{kind}"))
    except ServerMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    live.start()
    yield live
    live.stop()


# -- what the original client sees ------------------------------------------------------


def signature(message: Message) -> str:
    return f"log:{message.level}" if message.type == "log" else message.type


def original_view(conv: Conversation) -> list[Message]:
    """The messages the original client acts on, after checking the stream is one it can
    read at all: text JSON only, ending in one `done`, nothing it acts on after it."""
    summary = conv.summary()
    assert conv.ended is None, f"the stream ended without a done message: {summary}"
    binary = [m for m in conv.messages + conv.after_done if m.binary is not None]
    assert not binary, f"binary messages to a client that did not ask for them: {summary}"
    late = [m for m in conv.after_done if m.type in ORIGINAL_TYPES]
    assert not late, f"messages after done: {summary}"
    view = [m for m in conv.messages if m.type in ORIGINAL_TYPES]
    for m in view:
        if m.type == "log":
            assert m.level in ("info", "error"), f"log level {m.level!r}: {m.brief()}"
            assert isinstance(m.json.get("message"), str), m.json
    return view


#: The info logs of the original's sequence; any other info log is one it never sent.
CONTRACT_INFO = re.compile(r"^(episode started|done at step \d+(\D|$))")


def extra_info_logs(view: list[Message]) -> list[Message]:
    return [m for m in view if m.type == "log" and m.level == "info"
            and not CONTRACT_INFO.match(m.text)]


def contract_view(conv: Conversation) -> list[Message]:
    """original_view without info logs the original never sent (such as a server's notes on
    its limits): whether there are any is test_no_log_the_original_never_sent's question, so
    that the other tests check points 1-5 with or without them. Error logs all stay."""
    view = original_view(conv)
    extra = extra_info_logs(view)
    return [m for m in view if not any(m is e for e in extra)]


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def close(a: float, b: float, tolerance: float = 1e-9) -> bool:
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def check_frames(frames: list[Message], size: tuple[int, int], summary: str) -> list[float]:
    """Frames numbered 0, 1, 2, ... with running totals and JPEGs of `size`; their rewards."""
    steps = [m.json.get("step") for m in frames]
    assert steps == list(range(len(frames))), f"frame steps {steps}: {summary}"
    rewards, running = [], 0.0
    for m in frames:
        step = m.json["step"]
        assert isinstance(step, int) and not isinstance(step, bool), f"step {step!r} not an int"
        reward, total = m.json.get("reward"), m.json.get("total_reward")
        assert is_number(reward), f"frame {step}: reward {reward!r}"
        assert is_number(total), f"frame {step}: total_reward {total!r}"
        running += reward
        assert close(total, running), (
            f"frame {step}: total_reward {total!r} is not the running sum {running!r} of the "
            "frames' rewards"
        )
        rewards.append(float(reward))
        assert isinstance(m.json.get("jpeg_b64"), str), f"frame {step} has no jpeg_b64"
        assert jpeg_size(m.jpeg()) == size, f"frame {step}: JPEG is {jpeg_size(m.jpeg())}, not {size}"
    return rewards


def check_episode(conv: Conversation, *, frames: int, tail: list[tuple[str, str]],
                  size: tuple[int, int]) -> list[float]:
    """An episode that started: the info log, `frames` frames, the `tail` logs (as (level,
    pattern) pairs), then done with the total of the frames. Returns the frames' rewards."""
    view = contract_view(conv)
    summary = conv.summary()
    expected = ["log:info"] + ["frame"] * frames + [f"log:{lv}" for lv, _ in tail] + ["done"]
    assert [signature(m) for m in view] == expected, (
        f"expected info log, {frames} frames, {[lv for lv, _ in tail]} logs, done; "
        f"got {summary}"
    )
    started = view[0]
    assert started.text.startswith("episode started"), f"first log: {started.brief()}"
    rewards = check_frames(view[1:1 + frames], size, summary)
    for (level, pattern), m in zip(tail, view[1 + frames:-1]):
        assert re.search(pattern, m.text), f"{level} log {m.text!r} does not match {pattern!r}"
    done = view[-1]
    total = done.json.get("total_reward")
    assert is_number(total), f"done without a numeric total_reward: {done.brief()}"
    assert close(total, math.fsum(rewards)), (
        f"done.total_reward {total!r} is not the sum {math.fsum(rewards)!r} of the frames' rewards"
    )
    return rewards


def check_setup_failure(conv: Conversation, expected: str | None = None) -> None:
    """Setup failed: one error log, then done; no frame, no 'episode started'."""
    view = contract_view(conv)
    summary = conv.summary()
    assert [signature(m) for m in view] == ["log:error", "done"], (
        f"a setup failure must be one error log then done: {summary}"
    )
    if expected:
        assert expected in view[0].text, f"error log {view[0].text!r} lacks {expected!r}"
    # The original's done here is {"type": "done", "reason": "setup_error"}: no total.
    total = view[1].json.get("total_reward", 0)
    assert is_number(total) and total == 0, f"done after a setup failure: {view[1].brief()}"


# -- replaying the env without the server -----------------------------------------------


def replay(server: LiveServer, project: str, tmp_path: Path, max_steps: int, fps: int) -> dict:
    """The project's env.py run as the original's loop runs it, in the server's Python."""
    folder = tmp_path / "replay"
    folder.mkdir()
    for name in ("env.py", "scene.xml"):
        (folder / name).write_text(server.read_file(project, name))
    result = subprocess.run(
        [str(server.python), str(HERE / "replay_env.py"), str(folder), str(max_steps), str(fps)],
        capture_output=True, text=True, timeout=120, cwd=folder,
    )
    assert result.returncode == 0, f"replay_env.py failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout)


# -- the cartpole template, run to max_steps --------------------------------------------

CARTPOLE_RUNS = {
    "30fps-320x240": {"max_steps": 90, "fps": 30, "width": 320, "height": 240},
    "60fps-320x240": {"max_steps": 60, "fps": 60, "width": 320, "height": 240},
    "30fps-640x480": {"max_steps": 30, "fps": 30, "width": 640, "height": 480},
}


@pytest.fixture(scope="module", params=list(CARTPOLE_RUNS), ids=list(CARTPOLE_RUNS))
def cartpole_run(request, server, tmp_path_factory):
    """A cartpole template project streamed with the original's first message, and the
    same env.py run directly (which also says whether the pole falls before max_steps)."""
    first = CARTPOLE_RUNS[request.param]
    project = server.create_project("cartpole")["id"]
    conv = server.stream(project, first)
    direct = replay(server, project, tmp_path_factory.mktemp("replay"), first["max_steps"],
                    first["fps"])
    return first, conv, direct


def test_cartpole_runs_every_step_in_order(cartpole_run):
    """Points 2, 3 and 5: info log, a frame for each control step, done; if the pole falls
    first (step() says done at k), frames 0..k, then 'done at step k', then done."""
    first, conv, direct = cartpole_run
    done_at = direct["done_at"]
    if done_at is None:
        frames, tail = first["max_steps"], []
    else:
        frames, tail = done_at + 1, [("info", rf"^done at step {done_at}(\D|$)")]
    check_episode(conv, frames=frames, tail=tail, size=(first["width"], first["height"]))


def test_cartpole_first_frame_has_the_first_step_reward(cartpole_run):
    """The first frame carries the first step()'s reward: the template's step() scores the
    state it is given, the reset state (pole at 0.1 rad, cart at 0), so cos(0.1) exactly."""
    _, conv, _ = cartpole_run
    frames = [m for m in contract_view(conv) if m.type == "frame"]
    assert frames, conv.summary()
    assert frames[0].json["step"] == 0, (
        f"the first frame sent is step {frames[0].json['step']!r}: {conv.summary()}"
    )
    reward = frames[0].json["reward"]
    assert close(reward, math.cos(0.1), 1e-9), (
        f"first frame reward {reward!r}, not cos(0.1) = {math.cos(0.1)!r}: not the first step()'s"
    )


def test_cartpole_rewards_are_those_of_the_env_run_directly(cartpole_run):
    """Frame k's reward is the (k+1)-th step()'s, with the fps asked for (physics steps per
    frame = round(1 / (timestep * fps))): the same as env.py run without the server."""
    first, conv, direct = cartpole_run
    frames = [m for m in contract_view(conv) if m.type == "frame"]
    streamed = [m.json["reward"] for m in frames]
    assert len(streamed) == len(direct["rewards"]), (
        f"{len(streamed)} frames, but env.py run directly makes {len(direct['rewards'])} "
        f"control steps (done at {direct['done_at']})"
    )
    for index, (frame, got, want) in enumerate(zip(frames, streamed, direct["rewards"])):
        assert abs(got - want) <= 1e-6, (
            f"frame #{index} sent (step {frame.json['step']!r}): reward {got!r}, but step() "
            f"#{index} returns {want!r} when env.py runs directly at {first['fps']} fps "
            f"({direct['substeps']} physics steps a frame)"
        )


def test_no_log_the_original_never_sent(cartpole_run):
    """"Exactly the sequence above": the logs an original client shows are the original's
    ("episode started ...", "done at step N", errors); a server's own notes belong in fields
    of those messages or in message types the original client ignores."""
    _, conv, _ = cartpole_run
    extra = extra_info_logs(original_view(conv))
    assert not extra, f"info logs the original never sends: {[m.text for m in extra]}"


# -- envs that end early or fail ----------------------------------------------------------

COUNTING_ENV = '''\
import numpy as np

DONE_AT = {done_at!r}
POLICY_RAISES_AT = {policy_raises_at!r}
STEP_RAISES_AT = {step_raises_at!r}


class CountingEnv:
    """A cart-pole whose reward tells which step() call made it: 0.5 * (call + 1)."""

    xml_path = "scene.xml"

    def __init__(self):
        self.steps = 0
        self.policies = 0

    def reset(self, model, data):
        self.steps = 0
        self.policies = 0
        data.qpos[:] = 0.0
        data.qpos[1] = 0.1
        data.qvel[:] = 0.0
        return np.concatenate([data.qpos, data.qvel])

    def policy(self, obs):
        call = self.policies
        self.policies += 1
        if call == POLICY_RAISES_AT:
            raise ValueError(f"policy refused at call {{call}}")
        return np.zeros(1)

    def step(self, model, data, action):
        call = self.steps
        self.steps += 1
        if call == STEP_RAISES_AT:
            raise RuntimeError(f"step broke at call {{call}}")
        data.ctrl[:] = np.clip(action, -1.0, 1.0)
        obs = np.concatenate([data.qpos, data.qvel])
        return obs, 0.5 * (call + 1), call == DONE_AT


def make_env():
    return CountingEnv()
'''


def counting_project(server: LiveServer, done_at=None, policy_raises_at=None,
                     step_raises_at=None) -> str:
    project = server.create_project("cartpole")["id"]
    server.write_file(project, "env.py", COUNTING_ENV.format(
        done_at=done_at, policy_raises_at=policy_raises_at, step_raises_at=step_raises_at))
    return project


def counted_rewards(frames: int) -> list[float]:
    return [0.5 * (k + 1) for k in range(frames)]


@pytest.mark.parametrize("done_at,max_steps", [(0, 30), (7, 30), (11, 12)],
                         ids=["at-0", "at-7", "at-last-step"])
def test_done_ends_with_that_frame_then_a_done_log(server, done_at, max_steps):
    """Point 3: frame k of the step that said done, an info log 'done at step k', done."""
    project = counting_project(server, done_at=done_at)
    conv = server.stream(project, {"max_steps": max_steps, "fps": 30, "width": 160, "height": 120})
    rewards = check_episode(conv, frames=done_at + 1,
                            tail=[("info", rf"^done at step {done_at}(\D|$)")], size=(160, 120))
    assert rewards == counted_rewards(done_at + 1), "frame k must carry step() call k's reward"


@pytest.mark.parametrize("raises_at", [0, 5], ids=["at-0", "at-5"])
@pytest.mark.parametrize("where, message", [
    ("policy", "policy refused at call {}"), ("step", "step broke at call {}"),
])
def test_exception_ends_with_an_error_log(server, raises_at, where, message):
    """Point 4: frames of the steps before, an error log, done; no frame of that step."""
    project = counting_project(server, **{f"{where}_raises_at": raises_at})
    conv = server.stream(project, {"max_steps": 30, "fps": 30, "width": 160, "height": 120})
    rewards = check_episode(conv, frames=raises_at, tail=[("error", message.format(raises_at))],
                            size=(160, 120))
    assert rewards == counted_rewards(raises_at)


SETUP_FAILURES = {
    "empty-template": None,
    "scene-not-well-formed": ("scene.xml", "<mujoco>\n  <worldbody>\n    <body>\n"),
    "scene-unknown-element": (
        "scene.xml",
        "<mujoco>\n  <worldbody>\n    <body>\n      <nonsense/>\n    </body>\n"
        "  </worldbody>\n</mujoco>\n",
    ),
    "env-syntax-error": ("env.py", "import numpy as np\n\ndef make_env(:\n    pass\n"),
    "env-without-make_env": ("env.py", "import numpy as np\n"),
}


@pytest.mark.parametrize("case", list(SETUP_FAILURES), ids=list(SETUP_FAILURES))
def test_setup_failure_is_one_error_log_then_done(server, case):
    """Point 1: loading env.py, make_env() or compiling the model fails: an error log, done."""
    if SETUP_FAILURES[case] is None:
        project = server.create_project("empty")["id"]
    else:
        project = server.create_project("cartpole")["id"]
        server.write_file(project, *SETUP_FAILURES[case])
    conv = server.stream(project, {"max_steps": 30, "fps": 30, "width": 160, "height": 120})
    check_setup_failure(conv)


# -- the defaults ---------------------------------------------------------------------------


def test_empty_first_message_means_the_defaults(server):
    """`{}`: max_steps 1000, fps 30, 480x360. The env ends itself at step 20, so the run stays
    short; its frames are 480x360 and the sequence is the original's."""
    project = counting_project(server, done_at=20)
    conv = server.stream(project, {})
    rewards = check_episode(conv, frames=21, tail=[("info", r"^done at step 20(\D|$)")],
                            size=(480, 360))
    assert rewards == counted_rewards(21)


def test_no_first_message_means_the_defaults(server):
    """A client that sends nothing gets the defaults once the server stops waiting for the
    first message (10 s here; the original waits forever, a hole REFERENCE.md lists)."""
    if server.kind == "original":
        pytest.skip("the original waits for the first message forever (a known hole)")
    project = counting_project(server, done_at=5)
    conv = server.stream(project, NO_FIRST_MESSAGE, timeout=45)
    rewards = check_episode(conv, frames=6, tail=[("info", r"^done at step 5(\D|$)")],
                            size=(480, 360))
    assert rewards == counted_rewards(6)
