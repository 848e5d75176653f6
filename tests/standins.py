"""Stand-in HTTP servers for the outside services the app calls (LINE's Messaging API, Facebook's
Graph API): a real server on a free port of 127.0.0.1, answering JSON from a Python function, so
the real HTTP clients are exercised. Each test module scripts what its service answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# handler -> (status, payload) or (status, headers, payload)
Answer = Callable[[BaseHTTPRequestHandler], tuple]


@contextmanager
def serving(post: Answer | None = None, get: Answer | None = None) -> Iterator[str]:
    """Serve POST and GET with the given functions (404 for a method without one); yields the base
    URL "http://127.0.0.1:<port>" and stops the server afterwards."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            self._answer(post)

        def do_GET(self):  # noqa: N802
            self._answer(get)

        def _answer(self, answer: Answer | None) -> None:
            result = answer(self) if answer else (404, {"message": "Not found"})
            status, headers, payload = result if len(result) == 3 else (result[0], {}, result[1])
            data = json.dumps(payload).encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
