"""What an import needs: the model's folder (local checkout, else cache, else download),
the entry's files, and the env.py that holds its pose."""

import pathlib
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


def resolve(robot, progress):
    """The model's folder: the local checkout's, else the cache's (downloading it first)."""
    folder = catalog.local_folder(robot.name)
    if folder is not None:
        return folder
    try:
        return catalog.download_cache().resolve(robot, progress)
    except MenagerieError as e:
        raise ImportError_("unavailable", str(e)) from None
    except OSError as e:
        raise ImportError_("unavailable", f"could not reach the model's archive: {e}") from None
    except tarfile.TarError as e:
        # The package unpacks with tarfile's `data` filter: links, devices and members
        # outside the model's folder stop the unpacking, and nothing is published.
        raise ImportError_("unavailable", f"the archive of {robot.name} was refused: {e}") from None


def prepare(name, entry, progress):
    """A model of the registry."""
    try:
        robot = catalog.registry().get(name)
    except MenagerieError as e:
        raise ImportError_("unknown_model", str(e)) from None
    try:
        chosen = robot.entry(entry) if entry else default_entry(robot)
    except MenagerieError as e:
        raise ImportError_("unknown_entry", str(e)) from None
    folder = resolve(robot, progress).resolve()
    return _prepared(robot.name, chosen.name, chosen.file, folder, robot.display_name, robot.license)


def prepare_folder(name, folder, entry):
    """A model outside the registry, already fetched into `folder` (the original's GitHub
    path): the entry is `ENTRY.xml` when asked, else `scene.xml`, else the first top-level XML."""
    folder = pathlib.Path(folder).resolve()
    top = sorted(p.name for p in folder.glob("*.xml") if p.is_file())
    if entry:
        if f"{entry}.xml" not in top:
            raise ImportError_("unknown_entry", f"{name} has no {entry}.xml (it has {', '.join(top)})")
        file = f"{entry}.xml"
    elif "scene.xml" in top:
        file = "scene.xml"
    elif top:
        file = top[0]
    else:
        raise ImportError_("invalid", f"{name} has no top-level XML file")
    return _prepared(name, file[: -len(".xml")], file, folder, name, "see LICENSE")


def _prepared(name, entry, file, folder, display_name, license):
    files = [p.relative_to(folder).as_posix() for p in closure(folder / file, folder)]
    files += [f for f in EXTRA_FILES if (folder / f).is_file() and f not in files]
    try:
        model = mujoco.MjModel.from_xml_path(str(folder / file))
    except ValueError as e:
        raise ImportError_("invalid", f"{file} does not compile: {e}") from None
    return {
        "model": name,
        "entry": entry,
        "entry_xml": file,
        "folder": str(folder),
        "files": sorted(set(files)),
        "env_py": hold_pose_env.write(model, display_name, license, file),
    }
