"""Writes the zip archives the import tests upload, into the folder given as argv[1]."""
import io
import os
import stat
import struct
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

# ZIP64, which a project never needs: a real one (64-bit sizes in its local header) ...
with zipfile.ZipFile(os.path.join(out, "zip64.zip"), "w") as archive:
    with archive.open("env.py", "w", force_zip64=True) as entry:
        entry.write(b"x = 1\n")


def crafted(name, patch):
    """A small valid zip, then `patch(bytes, eocd_offset)` rewrites its records."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("env.py", "x = 1\n")
    data = bytearray(buffer.getvalue())
    with open(os.path.join(out, name), "wb") as f:
        f.write(patch(data, data.rfind(b"PK\x05\x06")))


def zip64_offset(data, end):
    # ... and a forged one whose ZIP64 end record puts the central directory at 2^64 - 1.
    record = struct.pack(
        "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, 1, 1, 46, 0xFFFFFFFFFFFFFFFF)
    locator = struct.pack("<IIQI", 0x07064B50, 0, end, 1)
    eocd = bytearray(data[end:])
    eocd[8:12] = b"\xff\xff\xff\xff"
    eocd[12:20] = b"\xff\xff\xff\xff\xff\xff\xff\xff"
    return bytes(data[:end]) + record + locator + bytes(eocd)


def far_pointer(data, end):
    # A central directory entry whose local header lies past the end of the upload.
    central = data.find(b"PK\x01\x02")
    data[central + 42 : central + 46] = struct.pack("<I", 0x7FFFFFFF)
    return bytes(data)


crafted("zip64_offset.zip", zip64_offset)
crafted("far_pointer.zip", far_pointer)
