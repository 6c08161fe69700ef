"""Worker protocol frames, both directions:
u32 length | u32 header length | header JSON (UTF-8) | payload, little-endian,
where length counts everything after itself."""

import json
import os
import struct
import threading

# Server messages are small JSON objects; a larger length means a broken pipe.
MAX_INCOMING_FRAME = 16 << 20


class ProtocolError(Exception):
    pass


def encode_frame(header, payload=b""):
    # allow_nan=False: NaN is not JSON; callers turn non-finite numbers into null.
    head = json.dumps(header, allow_nan=False, separators=(",", ":")).encode()
    return struct.pack("<II", 4 + len(head) + len(payload), len(head)) + head + payload


class FrameReader:
    def __init__(self, fd):
        self._file = os.fdopen(fd, "rb")

    def read(self):
        """The next (header, payload), or None at a clean end of input."""
        prefix = self._file.read(8)
        if not prefix:
            return None
        if len(prefix) < 8:
            raise ProtocolError("input ended inside a frame")
        length, head_length = struct.unpack("<II", prefix)
        if length < 4 or length > MAX_INCOMING_FRAME or head_length > length - 4:
            raise ProtocolError(f"bad frame lengths {length}/{head_length}")
        body = self._file.read(length - 4)
        if len(body) < length - 4:
            raise ProtocolError("input ended inside a frame")
        try:
            header = json.loads(body[:head_length])
        except ValueError as e:
            raise ProtocolError(f"bad frame header: {e}") from None
        if not isinstance(header, dict) or not isinstance(header.get("type"), str):
            raise ProtocolError("frame header is not an object with a type")
        return header, body[head_length:]


class FrameWriter:
    """Writes whole frames to the protocol fd from any thread.

    A signal handler (the CPU limit) runs in the main thread between any two
    bytecodes, possibly while that thread is half way through a frame; it
    goes through run_between_frames so its own frames never cut one in half.
    The lock is reentrant so such a handler may write once the frame is done.
    """

    def __init__(self, fd):
        self._fd = fd
        self._lock = threading.RLock()
        self._writing_thread = None
        self._after_frame = None

    def send(self, header, payload=b""):
        data = memoryview(encode_frame(header, payload))
        with self._lock:
            self._writing_thread = threading.get_ident()
            try:
                while data:
                    data = data[os.write(self._fd, data):]
            except BrokenPipeError:
                os._exit(1)  # the server is gone: nobody is left to report to
            finally:
                self._writing_thread = None
            deferred, self._after_frame = self._after_frame, None
        if deferred is not None:
            deferred()

    def run_between_frames(self, action):
        if self._writing_thread == threading.get_ident():
            self._after_frame = action
        else:
            action()
