"""From a project folder to an env, a compiled model and its data."""

import os
import re
from dataclasses import dataclass

import mujoco

from . import model_bounds
from .default_env import DefaultEnv
from .project import ProjectError, find_entry, find_scene, load_entry_module, resolve_model_path
from .reporting import EpisodeEnd
from .user_code import clip

CONTRACT_METHODS = ("reset", "step", "policy")


@dataclass
class Prepared:
    env: object
    model: mujoco.MjModel
    data: mujoco.MjData
    entry: str | None  # None: the default env
    xml_path: str  # project-relative


def prepare(root, user_code, reporter):
    entry = find_entry(root)
    if entry is None:
        scene = find_scene(root)
        if scene is None:
            raise EpisodeEnd("error", "nothing to run: the project has no env.py (nor a *_env.py) and no .xml model")
        reporter.log("info", f"no env.py: running {scene} with the default env (zero action)")
        env = DefaultEnv(scene)
    else:
        env = _make_env(root, entry, user_code)
    xml_path = user_code.call("reading env.xml_path", getattr, env, "xml_path", None)
    try:
        relative, absolute = resolve_model_path(root, "scene.xml" if xml_path is None else xml_path)
    except ProjectError as e:
        raise EpisodeEnd("error", str(e)) from None
    model = _compile(root, relative, absolute)
    try:
        data = mujoco.MjData(model)
    except Exception as e:  # MuJoCo reports a failed allocation as an error
        raise EpisodeEnd("error", f"{relative}: could not allocate the model's data: {e}") from None
    return Prepared(env, model, data, entry, relative)


def _make_env(root, entry, user_code):
    module = user_code.call(f"while importing {entry}", load_entry_module, root, entry)
    make_env = getattr(module, "make_env", None)
    if not callable(make_env):
        raise EpisodeEnd("error", f"{entry} defines no make_env() function")
    env = user_code.call("in make_env", make_env)
    missing = [name for name in CONTRACT_METHODS if not callable(getattr(env, name, None))]
    if missing:
        names = ", ".join(f"{name}()" for name in missing)
        raise EpisodeEnd("error", f"make_env() returned {type(env).__name__!r}, an object without {names}")
    return env


def _compile(root, relative, absolute):
    try:
        over = model_bounds.violation_in_text(absolute)
        if over:
            raise EpisodeEnd("error", f"{relative}: {over}")
        spec = mujoco.MjSpec.from_file(absolute)
        over = model_bounds.violation(spec)
        if over:
            raise EpisodeEnd("error", f"{relative}: {over}")
        return spec.compile()
    except EpisodeEnd:
        raise
    except MemoryError:
        raise EpisodeEnd("error", f"{relative}: the episode ran out of memory while compiling the model") from None
    except ValueError as e:
        raise EpisodeEnd("error", describe_compile_error(root, relative, str(e))) from None
    except Exception as e:
        raise EpisodeEnd("error", clip(f"{relative}: could not load the model: {e}")) from None


def describe_compile_error(root, relative, message):
    """MuJoCo's message, prefixed `scene.xml:5:` when it names a line (it
    says "line 5", or "Line number=5" for XML syntax); absolute paths to the
    project are shortened to project-relative ones."""
    for prefix in {os.path.realpath(root), root}:
        message = message.replace(prefix + os.sep, "")
    message = message.strip()
    found = re.search(r"\bline (\d+)|Line number=(\d+)", message)
    line = int(found.group(1) or found.group(2)) if found else 0
    where = f"{relative}:{line}" if line > 0 else relative
    return clip(f"{where}: {message}")
