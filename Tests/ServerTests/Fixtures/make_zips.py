"""Writes the zip archives the import tests upload, into the folder given as argv[1]."""
import io
import os
import stat
import sys
import zipfile

out = sys.argv[1]


def write(name, entries, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(os.path.join(out, name), "w", compression) as archive:
        for entry, data, *mode in entries:
            info = zipfile.ZipInfo(entry)
            info.compress_type = compression
            if mode:
                info.external_attr = mode[0] << 16
            archive.writestr(info, data)


write("dotdot.zip", [("env.py", "x"), ("../evil.txt", "evil")])
write("absolute.zip", [("env.py", "x"), ("/tmp/evil.txt", "evil")])
write("backslash.zip", [("env.py", "x"), ("..\\evil.txt", "evil")])
write("symlink.zip", [("env.py", "x"), ("link", "/etc/passwd", stat.S_IFLNK | 0o777)])
write("bomb.zip", [("env.py", "x"), ("zeros.bin", b"\0" * (20 * 1024 * 1024))])
write("many.zip", [(f"f{i}.txt", "x") for i in range(60)])
write(
    "wrapped.zip",
    [
        ("proj-main/env.py", "print('hi')\n"),
        ("proj-main/scene.xml", "<mujoco/>\n"),
        ("proj-main/meshes/a.stl", b"solid a\n"),
        ("proj-main/.git/config", "x"),
        ("proj-main/__pycache__/env.cpython-311.pyc", b"\0"),
    ],
)
with open(os.path.join(out, "notzip.zip"), "wb") as f:
    f.write(b"this is not a zip file at all")
