"""A folder served on 127.0.0.1 on a free port, in a background thread (tests and benchmark)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep output readable
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Yield the base URL (``http://127.0.0.1:PORT``, no trailing slash) while ``directory`` is served."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
