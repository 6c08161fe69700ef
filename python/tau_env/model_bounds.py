"""The largest textures and height fields a model may declare, checked on the
parsed spec before it is compiled: compiling allocates them whole, so a few
attributes (`width="16384"`, `nrow="20000"`) or a small PNG that decodes to a
huge image would otherwise take gigabytes. The tau worker checks the same
numbers (`Sources/MuJoCo/ModelBounds.swift`; `ModelBoundsTests` holds them
equal)."""

import os
import struct

MAX_TEXTURE_PIXELS = 8192 * 8192
MAX_HEIGHT_FIELD_SAMPLES = 4096 * 4096

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CUBE_TYPES = ("mjTEXTURE_CUBE", "mjTEXTURE_SKYBOX")


def violation(spec):
    """What the spec declares over a bound, in words, or None."""
    folders = _folders(spec)
    for texture in spec.textures:
        faces = 6 if str(texture.type).split(".")[-1] in _CUBE_TYPES else 1
        if texture.width * texture.height * faces > MAX_TEXTURE_PIXELS:
            shape = f"{texture.width}x{texture.height} pixels" + (" per face" if faces > 1 else "")
            return _over(f"texture {_name(texture)} is {shape}", "texture")
        size = _png_size(folders, texture.file)
        if size and size[0] * size[1] > MAX_TEXTURE_PIXELS:
            return _over(f"texture {_name(texture)}'s file {texture.file} is {size[0]}x{size[1]} pixels", "texture")
    for field in spec.hfields:
        if field.nrow * field.ncol > MAX_HEIGHT_FIELD_SAMPLES:
            return _over(f"height field {_name(field)} is {field.nrow}x{field.ncol} samples", "height field")
        size = _png_size(folders, field.file)
        if size and size[0] * size[1] > MAX_HEIGHT_FIELD_SAMPLES:
            return _over(f"height field {_name(field)}'s file {field.file} is {size[0]}x{size[1]} pixels", "height field")
    return None


def _over(what, kind):
    limit = "8192x8192 pixels" if kind == "texture" else "4096x4096 samples"
    return f"{what}, over the limit of {limit} a model may declare"


def _name(element):
    return repr(element.name) if element.name else "(unnamed)"


def _folders(spec):
    """Every folder MuJoCo may read an asset file from."""
    base = spec.modelfiledir or "."
    dirs = {"", spec.meshdir or "", spec.texturedir or ""}
    return [os.path.join(base, d) for d in dirs]


def _png_size(folders, file):
    """(width, height) of the PNG `file` in any of `folders`, from its header."""
    if not file:
        return None
    for folder in folders:
        path = os.path.join(folder, file)
        try:
            with open(path, "rb") as f:
                head = f.read(24)
        except OSError:
            continue
        if len(head) == 24 and head[:8] == _PNG_SIGNATURE:
            return struct.unpack(">II", head[16:24])
    return None


_MAX_FILES = 1000


def violation_in_text(path):
    """What the MJCF at `path` (and the files it includes) declares over a bound,
    read from the text before MuJoCo parses it: parsing a height field already
    allocates its samples. None when nothing is over, or when the text cannot be
    read this way (MuJoCo's parser then reports it)."""
    import xml.etree.ElementTree as ElementTree

    base = os.path.dirname(path)
    pending, seen = [path], set()
    while pending and len(seen) < _MAX_FILES:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            root = ElementTree.parse(current).getroot()
        except (OSError, ElementTree.ParseError):
            continue
        for element in root.iter():
            over = _declared_violation(element.tag, element.attrib)
            if over:
                return over
            if element.tag == "include" and element.get("file"):
                pending.append(os.path.join(base, element.get("file")))
    return None


def _declared_violation(tag, attributes):
    def number(key):
        try:
            return max(0, int(float(attributes.get(key, "0"))))
        except (ValueError, OverflowError):
            return 0

    name = repr(attributes["name"]) if attributes.get("name") else "(unnamed)"
    if tag == "texture":
        faces = 6 if attributes.get("type", "cube") in ("cube", "skybox") else 1
        width, height = number("width"), number("height")
        if width * height * faces > MAX_TEXTURE_PIXELS:
            per_face = " per face" if faces > 1 else ""
            return _over(f"texture {name} is {width}x{height} pixels{per_face}", "texture")
    if tag == "hfield":
        rows, columns = number("nrow"), number("ncol")
        if rows * columns > MAX_HEIGHT_FIELD_SAMPLES:
            return _over(f"height field {name} is {rows}x{columns} samples", "height field")
    return None
