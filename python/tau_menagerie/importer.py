"""What an import needs: the model's folder (local checkout, else cache, else download),
the entry's files, and the env.py that holds its pose."""

import tarfile

import mujoco
from mujoco_menagerie import MenagerieError
from mujoco_menagerie._closure import closure

from . import catalog, hold_pose_env

EXTRA_FILES = ("LICENSE", "README.md")


class ImportError_(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def default_entry(robot):
    """The default scene, else `scene`, else the first entry point."""
    for name in (robot.default_scene, "scene"):
        if name and name in robot.entry_names:
            return robot.entry(name)
    return robot.entry_points[0]


def prepare(name, entry, progress):
    reg = catalog.registry()
    try:
        robot = reg.get(name)
    except MenagerieError as e:
        raise ImportError_("unknown_model", str(e)) from None
    try:
        chosen = robot.entry(entry) if entry else default_entry(robot)
    except MenagerieError as e:
        raise ImportError_("unknown_entry", str(e)) from None
    folder = catalog.local_folder(robot.name)
    if folder is None:
        try:
            folder = catalog.download_cache().resolve(robot, progress)
        except MenagerieError as e:
            raise ImportError_("unavailable", str(e)) from None
        except OSError as e:
            raise ImportError_("unavailable", f"could not reach the model's archive: {e}") from None
        except tarfile.TarError as e:
            # The package unpacks with tarfile's `data` filter: links, devices and members
            # outside the model's folder stop the unpacking, and nothing is published.
            raise ImportError_("unavailable", f"the archive of {robot.name} was refused: {e}") from None
    folder = folder.resolve()
    files = [p.relative_to(folder).as_posix() for p in closure(folder / chosen.file, folder)]
    files += [f for f in EXTRA_FILES if (folder / f).is_file() and f not in files]
    try:
        model = mujoco.MjModel.from_xml_path(str(folder / chosen.file))
    except ValueError as e:
        raise ImportError_("invalid", f"{chosen.file} does not compile: {e}") from None
    return {
        "model": robot.name,
        "entry": chosen.name,
        "entry_xml": chosen.file,
        "folder": str(folder),
        "files": sorted(set(files)),
        "env_py": hold_pose_env.write(model, robot, chosen.file),
    }
