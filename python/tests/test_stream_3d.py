"""A 3D view's stream (`"view": "3d"`) against a real `tau serve`: however the client's pose
acknowledgements race the episode's end, `done` comes, last, as on every stream.

An acknowledgement sent after the server closed (just after `done`) fails in the client
(websockets raises on the send); what the server sent is still there to read, so the
client reads on. (Treating that failed send as the end once looked like a lost `done`.)"""

from __future__ import annotations

import json
import socket
import time

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


def test_a_client_that_reads_slowly_still_gets_every_frame_and_done(server):
    """A client slower than the episode (a loaded machine, a slow network) still has the last
    frames in the server's buffers when the episode ends; the server must end the connection
    with the closing handshake, after they went, not drop them with the socket."""
    project = server.create_project(name="slow reader")["id"]
    sock = socket.create_connection(("127.0.0.1", server.port))
    # A fixed window (no autotuning), and a client that keeps at most one message unread
    # (max_queue=1): the server's writes wait on this client from the first frames on.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    url = f"ws://127.0.0.1:{server.port}/ws/sim/{project}"
    types = []
    with connect(url, sock=sock, origin=server.origin, max_size=None, max_queue=1) as ws:
        ws.send(json.dumps({"max_steps": 60, "fps": 30, "speed": 0, "width": 640, "height": 480}))
        try:
            while True:
                message = json.loads(ws.recv(timeout=60))
                types.append(message["type"])
                if message["type"] == "done":
                    break
                time.sleep(0.1)  # slower than the server renders
                if message["type"] == "frame" and message["step"] <= 30:
                    # While the server is long done, the client still talks (as a 3D view's
                    # acks do): what it sends must not make the server reset the connection.
                    ws.send(json.dumps({"type": "camera", "camera": "free"}))
        except ConnectionClosed as closed:
            pytest.fail(f"closed after {len(types)} messages, without done: {closed}")
    assert types.count("frame") == 60 and message["steps"] == 60, types
