"""tau-sim's Python env worker: runs one episode of a project's env.py.

Started ahead of time by the server (a warm pool: mujoco and numpy are
imported before any job), it says `hello`, waits for a `job`, applies the
job's limits, then runs the episode and exits. Frames go both ways on
stdin/stdout (see tau_env/frames.py); the user's output becomes `log`
frames. The protocol: python/README.md.
"""

import faulthandler
import os
import sys
import traceback


def take_protocol_fds():
    """Private copies of stdin and stdout for the protocol. Afterwards fd 1
    is stderr, so C code that prints cannot corrupt frames, and fd 0 is
    /dev/null, so user code reading stdin cannot swallow control messages."""
    protocol_in, protocol_out = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    return protocol_in, protocol_out


def main():
    protocol_in, protocol_out = take_protocol_fds()
    faulthandler.enable(sys.__stderr__)  # a crash in C leaves a trace in the server's log of fd 2
    # One BLAS thread: the kernel refuses a new user namespace (the sandbox's
    # network cut) to a multi-threaded process, and episodes share the cores.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")

    from tau_env.frames import FrameReader, FrameWriter
    from tau_env.logs import LineStream, LogSink
    from tau_env.reporting import EpisodeEnd, Progress, Reporter

    writer = FrameWriter(protocol_out)
    sink = LogSink(writer)
    streams = [LineStream(sink, "info", "<stdout>"), LineStream(sink, "warning", "<stderr>")]
    sys.stdout, sys.stderr = streams

    import platform

    import mujoco
    import numpy

    from tau_env import messages, run

    writer.send(messages.hello(platform.python_version(), mujoco.__version__, numpy.__version__, os.getpid()))
    reader = FrameReader(protocol_in)
    job = run.wait_for_job(reader)
    if job is None:
        os._exit(0)  # the pool let this warm worker go before giving it a job
    reporter = Reporter(writer, sink, streams)
    progress = Progress()
    try:
        run.run_job(job, reader, writer, reporter, streams, progress)
    except EpisodeEnd as end:
        reporter.finish(end.reason, progress, end.error)
    except BaseException:
        reporter.finish("error", progress, "internal error in the tau env worker:\n" + traceback.format_exc())


if __name__ == "__main__":
    main()
