"""fakehttp: what the fake inventory servers of the tests (fakeglpi.py,
fakewazuh.py) share: a JSON request handler with the misbehaviours both
play (an HTML page, an answer that trickles, an answer of 1 GiB), the
request log ("SECONDS METHOD PATH", time.monotonic()), and the server
itself: 127.0.0.1 only, a free port written to --port-file once it
listens (renamed into place, so a reader never sees half of it), TLS with
--cert and --key, running until killed.  Secrets are read from files,
never from arguments (read_secret()).
"""
import argparse
import json
import os
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    content_type = "application/json"

    def log_message(self, fmt, *args):
        pass

    def record(self):
        """Appends the request to the server's --log file, if any."""
        srv = self.server
        if srv.log is None:
            return
        with srv.lock:
            with open(srv.log, "a") as f:
                f.write("%.6f %s %s\n" % (time.monotonic(), self.command,
                                          self.path))

    def send(self, code, obj, headers=None):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_html(self, body):
        """200 with an HTML page where JSON belongs (a proxy's error)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def trickle(self):
        """200 whose body comes one byte every 200 ms, until the client
        goes away."""
        self.send_response(200)
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            return

    def stream_huge(self, first):
        """200 with 1 GiB of body: first (one byte), then blanks, until
        the client goes away."""
        self.send_response(200)
        self.send_header("Content-Length", str(1 << 30))
        self.end_headers()
        chunk = first + b" " * 65535
        try:
            for _ in range(1 << 14):
                self.wfile.write(chunk)
                chunk = b" " * 65536
        except OSError:
            return


def parser():
    """An argument parser with the options every fake server takes."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    return ap


def read_secret(path):
    with open(path) as f:
        return f.read().strip()


def serve(handler, args, **state):
    """Serves handler on 127.0.0.1 until killed; state becomes attributes
    of the server (the handler's self.server)."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    for k, v in state.items():
        setattr(srv, k, v)
    srv.log = args.log
    srv.lock = threading.Lock()
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
