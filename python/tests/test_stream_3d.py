"""A 3D view's stream (`"view": "3d"`) against a real `tau serve`: however the client's pose
acknowledgements race the episode's end, `done` comes, last, as on every stream.

An acknowledgement sent after the server closed (just after `done`) fails in the client
(websockets raises on the send); what the server sent is still there to read, so the
client reads on. (Treating that failed send as the end once looked like a lost `done`.)"""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from live_server import LiveServer, ServerMissing


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    try:
        live = LiveServer("ours", tmp_path_factory.mktemp("tau-3d"))
    except ServerMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    live.start()
    yield live
    live.stop()


def episode(server, project, first):
    """The types of the messages of one episode, acknowledging each pose at once."""
    types = []
    url = f"ws://127.0.0.1:{server.port}/ws/sim/{project}"
    with connect(url, origin=server.origin, max_size=None, open_timeout=15) as ws:
        ws.send(json.dumps(first))
        try:
            while True:
                raw = ws.recv(timeout=60)
                if isinstance(raw, bytes):
                    types.append("pose")
                    try:
                        ws.send(json.dumps({"type": "pose_ack"}))
                    except ConnectionClosed:
                        pass  # the server closed after `done`, which is still to be read
                    continue
                message = json.loads(raw)
                types.append(message["type"])
                if message["type"] == "done":
                    return types, message
        except ConnectionClosed as closed:
            return types, f"closed without done: {closed}"


def test_every_3d_episode_ends_with_done(server):
    project = server.create_project(name="3d done")["id"]
    for number in range(16):
        first = {"max_steps": 120, "fps": 60, "speed": number % 2, "view": "3d", "latest": True}
        types, done = episode(server, project, first)
        assert isinstance(done, dict), f"episode {number}: {done} after {types[-3:]}"
        assert done["steps"] == 120 and done["reason"] == "max_steps"
        assert "pose" in types and types[-1] == "done"
