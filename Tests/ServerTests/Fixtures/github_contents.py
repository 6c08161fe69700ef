"""A loopback server that speaks GitHub's contents API for a few Menagerie-like models
that the registry does not know, made from a local checkout.

    github_contents.py CHECKOUT LOG_FILE

Prints its base URL, then serves until killed. Each request is logged to LOG_FILE as a JSON
line (path, and whether it carried `Authorization`). Models (under
/repos/google-deepmind/mujoco_menagerie/contents/NAME):
- tau_test_arm: the Panda's folder (CHECKOUT/franka_emika_panda), each file download slowed
  by 20 ms so that an import's progress can be watched;
- rate_limited: 403 with GitHub's rate-limit body and `x-ratelimit-remaining: 0`;
- escaping: a listing whose file paths leave the model's folder (`../`);
- foreign: a listing whose download points at an address outside GitHub;
- anything else: 404.
"""

import http.server
import json
import pathlib
import sys
import time
import urllib.parse

PREFIX = "/repos/google-deepmind/mujoco_menagerie/contents/"
MODELS = {"tau_test_arm": "franka_emika_panda"}


def main():
    checkout, log = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            with log.open("a") as f:
                f.write(json.dumps({"path": self.path, "auth": self.headers.get("Authorization")}) + "\n")
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if path.startswith(PREFIX):
                self.listing(path[len(PREFIX):].strip("/"), base)
            elif path.startswith("/raw/"):
                self.raw(path[len("/raw/"):])
            else:
                self.answer(404, {"message": "Not Found"})

        def listing(self, repo_path, base):
            name, _, rest = repo_path.partition("/")
            if name == "rate_limited":
                self.answer(
                    403,
                    {"message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                     "Authenticated requests get a higher rate limit.)"},
                    {"x-ratelimit-remaining": "0", "x-ratelimit-limit": "60"})
            elif name == "escaping":
                self.answer(200, [
                    {"type": "file", "name": "scene.xml", "path": "escaping/scene.xml", "size": 9,
                     "download_url": f"{base}/raw/escaping/scene.xml"},
                    {"type": "file", "name": "evil.txt", "path": "escaping/../../evil.txt", "size": 5,
                     "download_url": f"{base}/raw/evil.txt"},
                ])
            elif name == "foreign":
                self.answer(200, [
                    {"type": "file", "name": "scene.xml", "path": "foreign/scene.xml", "size": 9,
                     "download_url": "http://169.254.169.254/latest/meta-data"},
                ])
            elif name in MODELS:
                folder = checkout / MODELS[name] / rest
                if not folder.is_dir():
                    self.answer(404, {"message": "Not Found"})
                    return
                items = []
                for child in sorted(folder.iterdir()):
                    child_path = f"{repo_path}/{child.name}"
                    is_dir = child.is_dir()
                    items.append({
                        "type": "dir" if is_dir else "file", "name": child.name, "path": child_path,
                        "size": 0 if is_dir else child.stat().st_size,
                        "download_url": None if is_dir else f"{base}/raw/{child_path}",
                    })
                self.answer(200, items)
            else:
                self.answer(404, {"message": "Not Found"})

        def raw(self, repo_path):
            name, _, rest = repo_path.partition("/")
            file = checkout / MODELS.get(name, "-") / rest
            if name not in MODELS or not file.is_file():
                self.answer(404, {"message": "Not Found"})
                return
            time.sleep(0.02)
            body = file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def answer(self, status, value, headers=None):
            body = json.dumps(value).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for key, text in (headers or {}).items():
                self.send_header(key, text)
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
