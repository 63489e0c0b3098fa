"""A local stand-in for registro.br's RDAP server and the IANA RDAP bootstrap.

Serves on 127.0.0.1 (a random port for tests; ``make run`` starts it on a fixed one for the
demo, see ``main``):
- ``/dns.json``: a bootstrap file sending every TLD in ``tlds`` to this server;
- ``/<anything>/domain/<name>``: 200 (RDAP domain object) if the name is in
  ``registered``, otherwise 404.
``mode`` switches behaviour at any time: "up", "slow" (answers after ``delay`` seconds),
"down" (503) or "garbage" (200 with a body that is not RDAP). ``requests`` lists the
paths asked, so tests can tell "no request sent".
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RdapDouble:
    def __init__(self, registered=(), tlds=("com", "net", "org")):
        self.registered = {name.lower() for name in registered}
        self.tlds = list(tlds)
        self.mode = "up"
        self.delay = 5.0
        self.requests = []
        self._server = None
        self._thread = None

    @property
    def base_url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def bootstrap_url(self):
        return f"{self.base_url}/dns.json"

    @property
    def br_url(self):
        return f"{self.base_url}/br/"

    def start(self, port=0):
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/rdap+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802 - http.server's naming
                double.requests.append(self.path)
                if double.mode == "slow":
                    time.sleep(double.delay)
                elif double.mode == "down":
                    return self._send(503, {"errorCode": 503, "title": "Service Unavailable"})
                elif double.mode == "garbage":
                    return self._send(200, ["not", "rdap"])
                if self.path == "/dns.json":
                    return self._send(200, {
                        "version": "1.0",
                        "services": [[double.tlds, [f"{double.base_url}/rdap/"]]],
                    })
                if "/domain/" in self.path:
                    name = self.path.rsplit("/domain/", 1)[1].lower()
                    if name in double.registered:
                        return self._send(200, {"objectClassName": "domain", "ldhName": name})
                    return self._send(404, {"errorCode": 404, "title": "Not Found"})
                return self._send(400, {"errorCode": 400})

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# The names the demo's domain check finds taken (README.md lists them); any other name of a
# TLD it knows is free.
DEMO_REGISTERED = (
    "meusiteexpresso.com.br", "marianateixeira.com.br", "rafaelmoreira.com.br",
    "ocupado.com.br", "exemplo.com", "ocupado.com",
)
DEMO_TLDS = ("com", "net", "org")


def main(argv=None):
    """``make run``: serve the demo's RDAP double on a fixed loopback port until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8096)
    parser.add_argument("--registered", nargs="*", default=list(DEMO_REGISTERED),
                        help="names answered as taken (the others are free)")
    args = parser.parse_args(argv)
    double = RdapDouble(registered=args.registered, tlds=DEMO_TLDS).start(port=args.port)
    sys.stdout.write(f"RDAP double on {double.base_url} (registro.br: {double.br_url}, "
                     f"bootstrap: {double.bootstrap_url})\n")
    sys.stdout.flush()
    try:
        double._thread.join()
    except KeyboardInterrupt:
        double.stop()


if __name__ == "__main__":
    main()
