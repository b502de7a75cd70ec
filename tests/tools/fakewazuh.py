#!/usr/bin/env python3
"""fakewazuh: a small Wazuh server API (4.x) for tests, written from the
Wazuh API reference: POST /security/user/authenticate with HTTP Basic
answers {"data": {"token": JWT}, "error": 0}; every other call needs
"Authorization: Bearer JWT" (else 401 {"title": "Unauthorized", ...});
GET /agents and GET /syscollector/:agent_id/{os,hardware,netiface,
netaddr,packages,processes} answer {"data": {"affected_items": [...],
"total_affected_items": N, "total_failed_items": 0, "failed_items": []},
"message": "...", "error": 0}, paged with offset and limit (default 500).
It listens on 127.0.0.1 only and misbehaves according to the first path
segment, so one server plays every role (server_url
http://127.0.0.1:PORT/MODE):

  /ok/        the estate below
  /s401/      authenticate answers 401 (user or password refused)
  /s429/      the agent listing answers 429
  /slow/      the agent listing trickles one byte every 200 ms
  /huge/      the agent listing streams 1 GiB
  /endless/   the agent listing ignores offset: every page full, new
              (disconnected) agents, forever
  /bigpage/   the agent listing sends 1000 agents whatever the limit
  /badjson/   the agent listing is HTML
  /notwazuh/  the agent listing is JSON without data.affected_items
  /pkg500/    agent 001's packages answer 500
  /expire/    a token is good for 4 requests, then 401 (as when it
              outlives its 900 s): the client must authenticate again

Every request is appended to the --log file as "SECONDS METHOD PATH"
(SECONDS from time.monotonic()), so tests can count requests and see
that no secret ever appears in a URL.

The estate: 000 the manager itself (Debian); 001 RAD-WS-14 (Windows, the
MAC and address of tests/data/agent/windows-kes.xml; Kaspersky Endpoint
Security as a package and avp.exe as a process, whose arguments hold a
fake secret that must never be stored); 002 kesl-srv (Debian, kesl
package and process, last scan 2020-01-01: stale; registered IP "any",
its docker0 bridge listed first); 003 disconnected; 004 never connected;
005 active but never inventoried; 006 a clean host with 250 packages
(three pages of 100).

usage: fakewazuh.py --port-file F --user-file F --password-file F
                    [--log F] [--cert PEM --key PEM]
Runs until killed.  Secrets are read from files, never from arguments.
The server, its log and its misbehaviours are fakehttp.py's.
"""
import base64
import re
import secrets
import sys
from urllib.parse import parse_qs

import fakehttp

AGENTS = [
    {"id": "000", "name": "wazuh-manager", "ip": "127.0.0.1",
     "status": "active", "version": "Wazuh v4.7.3",
     "os": {"name": "Debian GNU/Linux", "version": "12",
            "platform": "debian"},
     "lastKeepAlive": "9999-12-31T23:59:59+00:00",
     "dateAdd": "2026-01-10T08:00:00+00:00", "manager": "wazuh-manager",
     "node_name": "node01", "group": []},
    {"id": "001", "name": "RAD-WS-14", "ip": "10.20.4.14",
     "status": "active", "version": "Wazuh v4.7.3",
     "os": {"name": "Microsoft Windows 10 Pro", "version": "10.0.19045",
            "platform": "windows"},
     "lastKeepAlive": "2026-12-04T09:00:00+00:00",
     "dateAdd": "2026-01-12T08:00:00+00:00", "group": ["default"]},
    {"id": "002", "name": "kesl-srv", "ip": "any", "status": "active",
     "version": "Wazuh v4.7.3",
     "os": {"name": "Debian GNU/Linux", "version": "12",
            "platform": "debian"},
     "lastKeepAlive": "2026-12-04T09:00:00+00:00",
     "dateAdd": "2019-11-02T08:00:00+00:00", "group": ["default"]},
    {"id": "003", "name": "OLD-WS-03", "ip": "10.20.4.33",
     "status": "disconnected", "version": "Wazuh v4.3.10",
     "lastKeepAlive": "2026-10-01T17:12:00+00:00",
     "dateAdd": "2022-03-01T08:00:00+00:00", "group": ["default"]},
    {"id": "004", "name": "NEW-WS-04", "ip": "any",
     "status": "never_connected",
     "dateAdd": "2026-12-03T08:00:00+00:00", "group": ["default"]},
    {"id": "005", "name": "EMPTY-05", "ip": "10.20.4.55",
     "status": "active", "version": "Wazuh v4.7.3",
     "lastKeepAlive": "2026-12-04T09:00:00+00:00",
     "dateAdd": "2026-12-04T08:55:00+00:00", "group": ["default"]},
    {"id": "006", "name": "CLEAN-06", "ip": "10.20.4.66",
     "status": "active", "version": "Wazuh v4.7.3",
     "os": {"name": "Ubuntu", "version": "22.04.4 LTS (Jammy Jellyfish)",
            "platform": "ubuntu"},
     "lastKeepAlive": "2026-12-04T09:00:00+00:00",
     "dateAdd": "2026-01-12T08:00:00+00:00", "group": ["default"]},
]


def scan(t):
    return {"id": 1234567, "time": t}


SYS = {
    "000": {
        "os": [{"os": {"name": "Debian GNU/Linux", "version": "12",
                       "codename": "bookworm", "major": "12",
                       "platform": "debian"},
                "hostname": "wazuh-manager", "architecture": "x86_64",
                "sysname": "Linux", "release": "6.1.0-18-amd64",
                "scan": scan("2026-12-04T08:00:00Z"), "agent_id": "000"}],
        "hardware": [{"board_serial": "None",
                      "cpu": {"name": "AMD EPYC", "cores": 2},
                      "ram": {"total": 4025000},
                      "scan": scan("2026-12-04T08:00:00Z")}],
        "netiface": [{"name": "lo", "mac": "00:00:00:00:00:00",
                      "type": "ethernet", "state": "up"},
                     {"name": "eth0", "mac": "52:54:00:aa:00:01",
                      "type": "ethernet", "state": "up"}],
        "netaddr": [{"iface": "eth0", "proto": "ipv4",
                     "address": "10.20.0.5", "netmask": "255.255.255.0"}],
        "packages": [{"name": "wazuh-manager", "version": "4.7.3-1",
                      "vendor": "Wazuh, Inc <info@wazuh.com>",
                      "architecture": "amd64", "format": "deb",
                      "install_time": "2026/01/10 08:00:00"}],
        "processes": [{"name": "wazuh-analysisd", "pid": "812",
                       "cmd": "/var/ossec/bin/wazuh-analysisd",
                       "argvs": "", "euser": "wazuh"}],
    },
    "001": {
        "os": [{"os": {"name": "Microsoft Windows 10 Pro",
                       "version": "10.0.19045.4291", "major": "10",
                       "platform": "windows"},
                "hostname": "RAD-WS-14", "architecture": "x86_64",
                "scan": scan("2026-12-04T08:30:00Z"), "agent_id": "001"}],
        "hardware": [{"board_serial": "L1HF16G00FR",
                      "cpu": {"name": "Intel(R) Core(TM) i5-10500T"},
                      "scan": scan("2026-12-04T08:30:00Z")}],
        "netiface": [{"name": "Ethernet", "mac": "3C:52:82:1A:2B:3C",
                      "type": "ethernet", "state": "up"}],
        "netaddr": [{"iface": "Ethernet", "proto": "ipv6",
                     "address": "fe80::1c2d:3e4f:5a6b:7c8d"},
                    {"iface": "Ethernet", "proto": "ipv4",
                     "address": "10.20.4.14", "netmask": "255.255.255.0"}],
        "packages": [
            {"name": "Kaspersky Endpoint Security for Windows",
             "version": "11.11.0.452", "vendor": "AO Kaspersky Lab",
             "architecture": "i686", "format": "win",
             "install_time": "2024/02/11 10:00:00"},
            {"name": "7-Zip 23.01 (x64)", "version": "23.01",
             "vendor": "Igor Pavlov", "architecture": "x86_64",
             "format": "win"}],
        "processes": [
            {"name": "avp.exe", "pid": "3120",
             "cmd": "C:\\Program Files (x86)\\Kaspersky Lab\\"
                    "KES.11.11.0\\avp.exe",
             "argvs": "-s --password=ARGV-SECRET-1", "euser": "SYSTEM"},
            {"name": "explorer.exe", "pid": "4012",
             "cmd": "C:\\Windows\\explorer.exe", "euser": "clerk"}],
    },
    "002": {
        "os": [{"os": {"name": "Debian GNU/Linux", "version": "12",
                       "platform": "debian"},
                "hostname": "kesl-srv",
                "scan": scan("2020-01-01T10:00:00Z"), "agent_id": "002"}],
        "hardware": [{"board_serial": "KS-BOARD-2",
                      "scan": scan("2020-01-01T10:00:00Z")}],
        "netiface": [{"name": "docker0", "mac": "02:42:ac:11:00:01",
                      "type": "ethernet", "state": "up"},
                     {"name": "eth0", "mac": "52:54:00:12:34:56",
                      "type": "ethernet", "state": "up"}],
        "netaddr": [{"iface": "docker0", "proto": "ipv4",
                     "address": "172.17.0.1"},
                    {"iface": "eth0", "proto": "ipv4",
                     "address": "10.20.5.2"}],
        "packages": [{"name": "kesl", "version": "12.0.0-6672",
                      "vendor": "AO Kaspersky Lab", "architecture": "amd64",
                      "format": "deb"}],
        "processes": [{"name": "kesl", "pid": "700",
                       "cmd": "/opt/kaspersky/kesl/libexec/kesl",
                       "argvs": "--token=ARGV-SECRET-2", "euser": "root"}],
    },
    "005": {},
    "006": {
        "os": [{"os": {"name": "Ubuntu", "version": "22.04.4 LTS",
                       "platform": "ubuntu"}, "hostname": "clean-06",
                "scan": scan("2026-12-04T08:00:00Z"), "agent_id": "006"}],
        "hardware": [],
        "netiface": [{"name": "ens3", "mac": "52:54:00:00:06:06"}],
        "netaddr": [{"iface": "ens3", "address": "10.20.4.66"}],
        "packages": [{"name": "pkg-%03d" % i, "version": "1.%d" % i,
                      "vendor": "Canonical", "format": "deb"}
                     for i in range(250)],
        "processes": [],
    },
}


def answer(items, total=None):
    return {"data": {"affected_items": items,
                     "total_affected_items":
                         len(items) if total is None else total,
                     "total_failed_items": 0, "failed_items": []},
            "message": "All selected items were returned", "error": 0}


class Handler(fakehttp.Handler):
    def problem(self, code, title, detail):
        self.send(code, {"title": title, "detail": detail, "error": code})

    def split(self):
        m = re.match(r"^/([a-z0-9]+)/([^?]*)\??(.*)$", self.path)
        if m is None:
            return None, None, {}
        return m.group(1), m.group(2).strip("/"), parse_qs(m.group(3))

    def do_POST(self):
        self.record()
        mode, ep, _ = self.split()
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        if ep != "security/user/authenticate":
            return self.problem(405, "Method Not Allowed", "no such path")
        srv = self.server
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (srv.user, srv.password)).encode()).decode()
        if mode == "s401" or self.headers.get("Authorization") != want:
            return self.problem(401, "Unauthorized", "Invalid credentials")
        tok = "eyJ" + secrets.token_urlsafe(48)
        with srv.lock:
            srv.tokens[tok] = 4 if mode == "expire" else -1
        return self.send(200, {"data": {"token": tok}, "error": 0})

    def authorized(self):
        srv = self.server
        h = self.headers.get("Authorization") or ""
        if not h.startswith("Bearer "):
            return False
        tok = h[7:]
        with srv.lock:
            left = srv.tokens.get(tok)
            if left is None or left == 0:
                return False
            if left > 0:
                srv.tokens[tok] = left - 1
        return True

    def do_GET(self):
        self.record()
        mode, ep, q = self.split()
        if mode is None:
            return self.problem(404, "Not Found", "no such path")
        if not self.authorized():
            return self.problem(401, "Unauthorized",
                                "Invalid token or token expired")
        off = int(q.get("offset", ["0"])[0])
        lim = int(q.get("limit", ["500"])[0])
        if ep == "agents":
            return self.agents(mode, off, lim)
        m = re.match(r"^syscollector/(\d+)/([a-z]+)$", ep)
        if m is None:
            return self.problem(404, "Not Found", "no such path")
        aid, what = m.group(1), m.group(2)
        if aid not in SYS and mode not in ("endless", "bigpage"):
            return self.problem(404, "Not Found", "no such agent")
        if mode == "pkg500" and aid == "001" and what == "packages":
            return self.problem(500, "Internal Server Error", "wdb error")
        rows = SYS.get(aid, {}).get(what, [])
        return self.send(200, answer(rows[off:off + lim], len(rows)))

    def agents(self, mode, off, lim):
        if mode == "s429":
            return self.problem(429, "Too Many Requests",
                                "Maximum number of requests per minute "
                                "reached")
        if mode == "badjson":
            return self.send_html(
                b"<html><body>502 Bad Gateway</body></html>")
        if mode == "notwazuh":
            return self.send(200, {"items": AGENTS})
        if mode == "slow":
            return self.trickle()
        if mode == "huge":
            return self.stream_huge(b"{")
        if mode in ("endless", "bigpage"):
            n = lim if mode == "endless" else 1000
            page = [{"id": "%03d" % (100 + off + i),
                     "name": "node-%d" % (off + i), "ip": "any",
                     "status": "disconnected"} for i in range(n)]
            return self.send(200, answer(page, 10 ** 9))
        return self.send(200, answer(AGENTS[off:off + lim], len(AGENTS)))


def main():
    ap = fakehttp.parser()
    ap.add_argument("--user-file", required=True)
    ap.add_argument("--password-file", required=True)
    a = ap.parse_args()
    return fakehttp.serve(Handler, a,
                          user=fakehttp.read_secret(a.user_file),
                          password=fakehttp.read_secret(a.password_file),
                          tokens={})


if __name__ == "__main__":
    sys.exit(main())
