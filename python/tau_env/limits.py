"""Limits applied when the job arrives, before any user code runs."""

import ctypes
import math
import os
import resource
import signal

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MIB = 1024 * 1024


def apply_limits(job, on_cpu_limit):
    """Applies the job's limits; returns what was applied, for `started`.

    Must run while the process has one thread: the kernel refuses a new
    user namespace to a multi-threaded process.
    """
    os.chdir(job.project_dir)
    # Past RLIMIT_FSIZE a write should fail with an error the user sees,
    # not kill the worker with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _set_limit(resource.RLIMIT_FSIZE, job.fsize_mb * MIB, job.fsize_mb * MIB)
    if job.mem_mb is not None:
        _set_limit(resource.RLIMIT_AS, job.mem_mb * MIB, job.mem_mb * MIB)
    if job.cpu_s is not None:
        # The budget is the episode's: CPU spent importing in the warm pool
        # does not count against it. SIGXCPU comes at the soft limit; the
        # hard limit kills a worker whose handler cannot run.
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime) + job.cpu_s
        signal.signal(signal.SIGXCPU, lambda signum, frame: on_cpu_limit())
        _set_limit(resource.RLIMIT_CPU, soft, soft + 2)
    return {
        "cpu_s": job.cpu_s,
        "mem_mb": job.mem_mb,
        "fsize_mb": job.fsize_mb,
        "network": cut_network() if job.sandbox else "not cut (sandbox off)",
    }


def _set_limit(kind, soft, hard):
    _, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def cut_network():
    """Moves the process into a network namespace of its own (only a
    loopback that is down). Says "cut", or "not cut (why)"."""
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        _map_own_ids(uid, gid)
        return "cut"
    user_ns_error = os.strerror(ctypes.get_errno())
    if os.geteuid() == 0:
        if libc.unshare(CLONE_NEWNET) == 0:
            return "cut"
        return f"not cut (unshare failed: {os.strerror(ctypes.get_errno())})"
    return f"not cut (user namespaces unavailable: {user_ns_error})"


def _map_own_ids(uid, gid):
    # Without a mapping the process would see itself as nobody (65534);
    # mapping its own ids keeps getuid() and file ownership as before.
    # Best effort: the network is cut either way.
    for path, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        try:
            with open(f"/proc/self/{path}", "w") as f:
                f.write(text)
        except OSError:
            pass
