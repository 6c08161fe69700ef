"""A loopback server that speaks OpenAI's Chat Completions and answers from a script.

    openai_vendor.py SCRIPT_FILE LOG_FILE

Prints its base URL (ending in /v1), then serves until killed. Each POST to
/v1/chat/completions is logged to LOG_FILE as one JSON line (headers and body), and
answered with the next entry of SCRIPT_FILE (a JSON list, read at each request, so a test
may rewrite it): {"content": TEXT} answers with that message content (streamed as chunks
when the request asks for a stream), {"status": N, "error": MESSAGE} answers with OpenAI's
error body, {"stream_error": MESSAGE} starts a stream and fails in its middle with
OpenAI's error line. When the script runs out, the last entry answers again. GET /v1/models lists
one model.
"""

import http.server
import json
import pathlib
import sys
import threading

lock = threading.Lock()
served = [0]


def main():
    script, log = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.rstrip("/").endswith("/models"):
                self.reply(200, {"object": "list", "data": [{"id": "tau-test-model", "object": "model"}]})
            else:
                self.reply(404, {"error": {"message": "not found"}})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with lock:
                entries = json.loads(script.read_text())
                entry = entries[min(served[0], len(entries) - 1)]
                served[0] += 1
                with log.open("a") as f:
                    f.write(json.dumps({"path": self.path, "headers": dict(self.headers), "body": body}) + "\n")
            if "status" in entry:
                self.reply(entry["status"], {"error": {"message": entry["error"], "type": "invalid_request_error",
                                                       "code": entry.get("code")}})
                return
            if "stream_error" in entry:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = {"object": "chat.completion.chunk",
                         "choices": [{"index": 0, "delta": {"content": '{"reply": "Hal'}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                error = {"error": {"message": entry["stream_error"], "type": "server_error"}}
                self.wfile.write(f"data: {json.dumps(error)}\n\n".encode())
                self.wfile.flush()
                self.close_connection = True
                return
            content = entry["content"]
            usage = {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
            if body.get("stream"):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = [content[i:i + 7] for i in range(0, len(content), 7)] or [""]
                for piece in pieces:
                    chunk = {"object": "chat.completion.chunk",
                             "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                last = {"object": "chat.completion.chunk", "choices": [], "usage": usage}
                self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()
                self.close_connection = True
                return
            self.reply(200, {
                "id": "chatcmpl-test", "object": "chat.completion", "model": body.get("model"),
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": usage,
            })

        def reply(self, status, value):
            data = json.dumps(value).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
