"""One job, from the `job` message to the end of its episode."""

import sys

import mujoco

from . import messages

from .controls import ControlChannel
from .episode import Episode
from .job import JobError, parse_job
from .limits import apply_limits
from .physics_warnings import PhysicsWarnings
from .poses import PoseWriter
from .prepare import prepare
from .reporting import EpisodeEnd
from .user_code import UserCode


def wait_for_job(reader):
    """The first `job` header, or None when input ends first."""
    while (frame := reader.read()) is not None:
        if messages.kind(frame[0]) == messages.JOB:
            return frame[0]
        print(f"tau env worker: ignored {messages.kind(frame[0])!r} before the job", file=sys.__stderr__, flush=True)
    return None


def run_job(header, reader, writer, reporter, streams, progress):
    """Runs the job's episode; always ends by raising EpisodeEnd."""
    try:
        job = parse_job(header)
    except JobError as e:
        raise EpisodeEnd("error", f"bad job: {e}") from None

    def cpu_limit_reached():
        # Runs in a signal handler: finish as soon as no frame is half written.
        writer.run_between_frames(
            lambda: reporter.finish("error", progress, f"CPU limit of {job.cpu_s} s reached", flush_user_output=False)
        )

    sandbox = apply_limits(job, cpu_limit_reached)
    # Only now a second thread: apply_limits needs a single-threaded process.
    controls = ControlChannel(reader)
    physics_warnings = PhysicsWarnings()
    user_code = UserCode(job.project_dir, job.mem_mb)
    prepared = prepare(job.project_dir, user_code, reporter)
    model = prepared.model
    if not model.opt.timestep > 0:
        raise EpisodeEnd("error", f"{prepared.xml_path}: the timestep must be positive, not {model.opt.timestep}")
    substeps = max(1, round(1 / (model.opt.timestep * job.fps)))
    poses = PoseWriter(model) if job.poses else None
    pose_fields = {} if poses is None else {
        "pose_bodies": poses.bodies.tolist(), "pose_lights": poses.lights.tolist()}
    reporter.send(messages.started(prepared.entry, prepared.xml_path, {
        **pose_fields,
        "nq": model.nq,
        "nv": model.nv,
        "nu": model.nu,
        "timestep": model.opt.timestep,
        "substeps": substeps,
        "fps": int(job.fps) if job.fps.is_integer() else job.fps,
        "max_steps": job.max_steps,
        "default_env": prepared.entry is None,
        "state_size": mujoco.mj_stateSize(model, mujoco.mjtState.mjSTATE_INTEGRATION),
    }, sandbox))
    Episode(job, prepared, substeps, user_code, controls, reporter, streams, progress, physics_warnings, poses).run()
