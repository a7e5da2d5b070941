#!/usr/bin/env python3
"""Logs the search bodies an application sends to Elasticsearch, to keep bench/src/main/resources/queries/*.json
equal to what the API's StayQuery builds (docs/benchmarks.md).

    python3 bench/tools/es-capture-proxy.py LISTEN_PORT http://127.0.0.1:19200 LOG_FILE

then start the API with NOMAD_ES_URL=http://127.0.0.1:LISTEN_PORT, send it a search, and read LOG_FILE
(method, path and body of every _search). Forwards everything; listens on 127.0.0.1 only. Not for load.
"""
import http.server
import sys
import urllib.error
import urllib.request

PORT, TARGET, LOG = int(sys.argv[1]), sys.argv[2].rstrip('/'), sys.argv[3]
HOP = {'host', 'content-length', 'connection', 'transfer-encoding'}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _body(self):
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            data = b''
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(n) if n else None

    def _forward(self):
        body = self._body()
        if '_search' in self.path:
            with open(LOG, 'a', encoding='utf-8') as f:
                f.write(f"{self.command} {self.path}\n{body.decode('utf-8') if body else ''}\n")
        request = urllib.request.Request(TARGET + self.path, data=body, method=self.command)
        for k, v in self.headers.items():
            if k.lower() not in HOP:
                request.add_header(k, v)
        try:
            with urllib.request.urlopen(request) as r:
                status, data, headers = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, data, headers = e.code, e.read(), e.headers
        self.send_response(status)
        for k, v in headers.items():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _forward

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', PORT), Handler).serve_forever()
