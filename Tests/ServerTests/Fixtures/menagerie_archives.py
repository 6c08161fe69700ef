"""Release archives of Menagerie models, as Google DeepMind publishes them, made from a
local checkout, with a registry file that describes them; then served over loopback HTTP.

    menagerie_archives.py CHECKOUT OUT_DIR

Writes OUT_DIR/registry.json and OUT_DIR/assets/*.tar, starts a server on a free port
of 127.0.0.1, prints the base URL and serves until killed. Models:
- wonik_allegro: a true archive and digest;
- robotiq_2f85: a true archive, a wrong digest in the registry;
- kuka_iiwa_14: the true files plus a member `../../evil.txt`, its digest true.

With TAU_FIXTURE_CHUNK_DELAY_MS set, each 32 KiB of a download waits that long, so that a
client can watch an import's progress.
"""

import functools
import http.server
import io
import json
import os
import pathlib
import sys
import tarfile
import time

import mujoco_menagerie as mm
from mujoco_menagerie._archive import sha256_file


def main():
    checkout, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    bundled = json.loads((pathlib.Path(mm.__file__).parent / "registry.json").read_text())
    robots = {}
    for name in ("wonik_allegro", "robotiq_2f85", "kuka_iiwa_14"):
        folder = checkout / name
        # Uncompressed (the package opens any tar): xz would take seconds per model.
        archive = assets / f"{name}.tar"
        with tarfile.open(archive, "w") as tf:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                tf.add(path, f"{name}/{path.relative_to(folder).as_posix()}")
            if name == "kuka_iiwa_14":
                payload = b"written outside the model's folder\n"
                evil = tarfile.TarInfo("kuka_iiwa_14/../../evil.txt")
                evil.size = len(payload)
                tf.addfile(evil, io.BytesIO(payload))
        entry = dict(bundled["robots"][name])
        entry.update(asset=archive.name, sha256=sha256_file(archive), download_size=archive.stat().st_size)
        if name == "robotiq_2f85":
            entry["sha256"] = "0" * 64
        robots[name] = entry
    registry = {"schema": bundled["schema"], "menagerie_commit": bundled["menagerie_commit"], "robots": robots}
    (out / "registry.json").write_text(json.dumps(registry))

    handler = functools.partial(_Quiet, directory=str(assets))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        delay = float(os.environ.get("TAU_FIXTURE_CHUNK_DELAY_MS") or 0) / 1000
        while chunk := source.read(32 * 1024):
            outputfile.write(chunk)
            if delay:
                outputfile.flush()
                time.sleep(delay)


if __name__ == "__main__":
    main()
