"""The catalog: Google DeepMind's registry, with where each model can come from."""

import os
import pathlib

import mujoco_menagerie as mm
from mujoco_menagerie import Cache, Registry


def registry():
    """The registry: TAU_MENAGERIE_REGISTRY's file when set, else the package's own."""
    path = os.environ.get("TAU_MENAGERIE_REGISTRY")
    if path:
        return Registry.load(pathlib.Path(path))
    return mm._registry.bundled()


def local_root():
    """A local checkout of Menagerie: MENAGERIE_ROOT, or our name for it, TAU_MENAGERIE_DIR."""
    root = os.environ.get("MENAGERIE_ROOT") or os.environ.get("TAU_MENAGERIE_DIR")
    return pathlib.Path(root) if root else None


def download_cache():
    """The package's cache, for models the local checkout does not have."""
    return Cache(root=None) if local_root() is None else _cache_without_root()


def _cache_without_root():
    saved = {k: os.environ.pop(k) for k in ("MENAGERIE_ROOT",) if k in os.environ}
    try:
        return Cache()
    finally:
        os.environ.update(saved)


def local_folder(name):
    root = local_root()
    if root is not None and (root / name).is_dir():
        return root / name
    return None


def available_offline(robot, cache):
    return local_folder(robot.name) is not None or cache.is_cached(robot)


def describe(robot, cache):
    return {
        "name": robot.name,
        "display_name": robot.display_name,
        "category": robot.category,
        "license": robot.license,
        "entry_points": [{"name": e.name, "kind": e.kind, "file": e.file} for e in robot.entry_points],
        "default_scene": robot.default_scene,
        "default_model": robot.default_model,
        "download_size": robot.download_size,
        "installed_size": robot.installed_size,
        "available_offline": available_offline(robot, cache),
    }


def catalog():
    reg, cache = registry(), download_cache()
    return [describe(reg.get(name), cache) for name in reg.names()]
