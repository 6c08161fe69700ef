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


def offline_folder(robot, cache):
    """Where the model is without the network: the local checkout, else the cache; or None."""
    folder = local_folder(robot.name)
    if folder is None and cache.is_cached(robot):
        folder = cache.model_path(robot)
    return folder


def picture(folder):
    """The model folder's own picture (Menagerie folders hold one PNG at the top)."""
    pictures = sorted(p for p in folder.glob("*.png") if p.is_file() and not p.is_symlink())
    return str(pictures[0].resolve()) if pictures else None


def describe(robot, cache):
    from .importer import default_entry

    folder = offline_folder(robot, cache)
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
        "available_offline": folder is not None,
        # For the server only (its thumbnails): never sent to a client.
        "folder": str(folder.resolve()) if folder else None,
        "picture": picture(folder) if folder else None,
        "default_xml": default_entry(robot).file,
    }


def catalog():
    reg, cache = registry(), download_cache()
    return [describe(reg.get(name), cache) for name in reg.names()]
