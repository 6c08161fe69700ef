"""One Menagerie request from the server: a JSON line in, JSON lines out (progress, then
the answer or an error). The messages are typed on the server's side in
Sources/Simulation/Menagerie/MenagerieMessages.swift."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tau_menagerie import catalog, importer  # noqa: E402

_out = sys.stdout


def send(message):
    _out.write(json.dumps(message) + "\n")
    _out.flush()


def progress(name, done, total):
    send({"type": "progress", "model": name, "done": done, "total": total})


def main():
    request = json.loads(sys.stdin.readline())
    try:
        if request["type"] == "catalog":
            send({"type": "catalog", "models": catalog.catalog()})
        elif request["type"] == "prepare":
            send({"type": "prepared", **importer.prepare(request["model"], request.get("entry"), progress)})
        elif request["type"] == "prepare_folder":
            prepared = importer.prepare_folder(request["model"], request["folder"], request.get("entry"))
            send({"type": "prepared", **prepared})
        else:
            send({"type": "error", "kind": "request", "message": f"unknown request {request['type']!r}"})
    except importer.ImportError_ as e:
        send({"type": "error", "kind": e.kind, "message": str(e)})


if __name__ == "__main__":
    main()
