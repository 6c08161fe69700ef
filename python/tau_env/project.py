"""Finding and loading a project's env and model, without leaving the project."""

import importlib.machinery
import importlib.util
import os
import sys
import uuid


class ProjectError(Exception):
    """A problem with the project's files, in words the user understands."""


def find_entry(root):
    """env.py, else the first *_env.py in sorted order, else None."""
    if os.path.isfile(os.path.join(root, "env.py")):
        return "env.py"
    names = sorted(n for n in os.listdir(root) if n.endswith("_env.py") and os.path.isfile(os.path.join(root, n)))
    return names[0] if names else None


def find_scene(root):
    """scene.xml, else the first top-level .xml in sorted order, else None."""
    if os.path.isfile(os.path.join(root, "scene.xml")):
        return "scene.xml"
    names = sorted(n for n in os.listdir(root) if n.lower().endswith(".xml") and os.path.isfile(os.path.join(root, n)))
    return names[0] if names else None


def is_inside(root, path):
    """Whether path, symlinks resolved, lies inside the project folder root."""
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root


class FreshSourceLoader(importlib.machinery.SourceFileLoader):
    """Compiles from the source file every time: a __pycache__ in the project
    could hold bytecode of an edit made within the same second."""

    def get_code(self, fullname):
        return self.source_to_code(self.get_data(self.path), self.path)


def load_entry_module(root, entry):
    """Runs the entry file as a new module, so each run sees the files as they
    are now: modules from the project are forgotten first, the entry gets a
    unique name, and helper modules import from the project folder."""
    # Project modules were imported through the project folder, so their paths start
    # with it: a cheap prefix test first, as resolving all ~250 modules costs 30 ms.
    prefixes = tuple({os.path.join(root, ""), os.path.join(os.path.realpath(root), "")})
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and file.startswith(prefixes) and is_inside(root, file):
            del sys.modules[name]
    sys.path_hooks.insert(0, _fresh_finder_hook(root))
    sys.path_importer_cache.pop(root, None)
    if sys.path[:1] != [root]:
        sys.path.insert(0, root)
    name = f"tau_project_env_{uuid.uuid4().hex}"
    path = os.path.join(root, entry)
    spec = importlib.util.spec_from_file_location(name, path, loader=FreshSourceLoader(name, path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickle look modules up here
    spec.loader.exec_module(module)
    return module


def _fresh_finder_hook(root):
    loaders = [
        (importlib.machinery.ExtensionFileLoader, importlib.machinery.EXTENSION_SUFFIXES),
        (FreshSourceLoader, importlib.machinery.SOURCE_SUFFIXES),
    ]

    def hook(path):
        if not os.path.isdir(path) or not is_inside(root, path):
            raise ImportError("not a project folder")  # the next hook takes it
        return importlib.machinery.FileFinder(path, *loaders)

    return hook


def resolve_model_path(root, xml_path):
    """The env's xml_path as (project-relative path, absolute path); refused
    when it is absolute, climbs out with .., or is a symlink to outside."""
    if not isinstance(xml_path, (str, os.PathLike)):
        raise ProjectError(f"xml_path must be a project-relative path, not {type(xml_path).__name__}")
    relative = os.fspath(xml_path)
    if not relative.strip():
        raise ProjectError("xml_path is empty")
    if os.path.isabs(relative):
        raise ProjectError(f"xml_path {relative!r} is absolute; it must be relative to the project folder")
    absolute = os.path.join(root, relative)
    if not is_inside(root, absolute):
        raise ProjectError(f"xml_path {relative!r} leaves the project folder")
    if not os.path.isfile(absolute):
        raise ProjectError(f"xml_path {relative!r}: no such file in the project")
    return os.path.normpath(relative).replace(os.sep, "/"), absolute
