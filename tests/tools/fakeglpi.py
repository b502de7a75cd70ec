#!/usr/bin/env python3
"""fakeglpi: a small GLPI REST API server for tests, written from GLPI's
own API documentation (apirest.md: initSession with "Authorization:
user_token ..." and App-Token, Session-Token afterwards, killSession,
GET :itemtype/ with range=a-b answered 200 or 206 with Content-Range
"a-b/count", GET :itemtype/:id with with_softwares (_softwares) and with_networkports
(_networkports: {"NetworkPortEthernet": [{netport_id, name, mac,
logical_number, NetworkName: {IPAddress: [{name}]}}], ...}), GET
:itemtype/:id/:sub_itemtype, errors as ["ERROR_...", "message"]).
It listens on 127.0.0.1 only and misbehaves according to the first path
segment, so one server plays every role (server_url
http://127.0.0.1:PORT/MODE/apirest.php):

  /ok/         the estate below
  /s401/       initSession answers 401 (tokens refused)
  /s429/       the Computer listing answers 429
  /slow/       the Computer listing trickles one byte every 200 ms
  /huge/       the Computer listing streams 1 GiB
  /endless/    listings ignore range: every page full, new ids, forever
  /badjson/    the Computer listing is HTML
  /detail500/  Computer/:id answers 500
  /glpi101/    as /ok/, but as GLPI 10.1: ComputerAntivirus is an unknown
               itemtype (400), ItemAntivirus answers (10.0 does the reverse)

The estate: Computer 1 RAD-WS-14 (the UUID of tests/data/agent/
windows-kes.xml; Kaspersky Endpoint Security as software and antivirus),
Computer 2 PACS-02 (last inventory 2020-01-01: stale), Computer 3
clean; NetworkEquipment 1 (Huawei S5735, two ports and a management
address), Printer 1, Phone 1 (a port, no address).  With --log F every
request is appended to F as "SECONDS METHOD PATH" (time.monotonic()).

usage: fakeglpi.py --port-file F --user-token-file F [--app-token-file F]
                   [--log F] [--cert PEM --key PEM]
Runs until killed.  Tokens are read from files, never from arguments.
The server, its log and its misbehaviours are fakehttp.py's.
"""
import re
import secrets
import sys

import fakehttp

COMPUTERS = [
    {"id": 1, "name": "RAD-WS-14", "serial": "MJ0FXY12",
     "uuid": "4C4C4544-0042-3610-8052-B2C04F4E3332",
     "operatingsystems_id": "Microsoft Windows 10 Pro",
     "operatingsystemversions_id": "22H2",
     "manufacturers_id": "LENOVO", "computermodels_id": "ThinkCentre M70q",
     "last_inventory_update": "2026-12-01 09:00:00",
     "date_mod": "2026-12-01 09:00:00", "entities_id": "Root entity"},
    {"id": 2, "name": "PACS-02", "serial": "PX2-0002",
     "uuid": "00000000-0000-0000-0000-000000000000",
     "operatingsystems_id": "Debian GNU/Linux",
     "operatingsystemversions_id": "12", "manufacturers_id": "&nbsp;",
     "computermodels_id": "&nbsp;",
     "last_inventory_update": "2020-01-01 10:00:00",
     "date_mod": "2020-01-01 10:00:00", "entities_id": "Root entity"},
    {"id": 3, "name": "CLERK-03", "serial": "CL-0003", "uuid": "",
     "operatingsystems_id": "Microsoft Windows 11 Pro",
     "operatingsystemversions_id": "23H2", "manufacturers_id": "Dell Inc.",
     "computermodels_id": "OptiPlex 7010",
     "last_inventory_update": "2026-12-02 09:00:00",
     "date_mod": "2026-12-02 09:00:00", "entities_id": "Root entity"},
]
SOFTWARE = {
    1: [("Kaspersky Endpoint Security for Windows", "11.11.0.452"),
        ("7-Zip 23.01 (x64)", "23.01")],
    2: [("firefox-esr", "115.12.0esr-1~deb12u1")],
    3: [("Mozilla Firefox (x64 en-US)", "127.0")],
}
ANTIVIRUS = {
    1: [{"id": 7, "computers_id": 1,
         "name": "Kaspersky Endpoint Security for Windows",
         "manufacturers_id": "AO Kaspersky Lab",
         "antivirus_version": "11.11.0.452",
         "signature_version": "20240915", "is_active": 1,
         "is_uptodate": 0, "date_expiration": "2025-06-30"}],
}


def eth(pid, name, mac, ips=(), kind="NetworkPortEthernet"):
    return kind, {"netport_id": pid, "name": name, "mac": mac,
                  "logical_number": pid, "is_dynamic": 1,
                  "NetworkName": {"id": pid, "name": "", "FQDN": "",
                                  "IPAddress": [{"id": pid, "name": ip}
                                                for ip in ips]}}


PORTS = {
    ("Computer", 1): [eth(11, "Ethernet", "3c:52:82:1a:2b:3c",
                          ["fe80::1c2d:3e4f:5a6b:7c8d", "10.20.4.14"])],
    ("Computer", 3): [eth(31, "Wi-Fi", "a4:bb:6d:00:00:03",
                          ["10.20.4.3"], "NetworkPortWifi")],
    ("NetworkEquipment", 1): [
        eth(1, "GigabitEthernet0/0/1", "70:7b:e8:00:00:01"),
        eth(2, "GigabitEthernet0/0/2", "70:7b:e8:00:00:02"),
        eth(0, "Management", "70:7b:e8:00:00:00", ["10.20.0.2"],
            "NetworkPortAggregate")],
    ("Printer", 1): [eth(1, "eth0", "00:0e:c6:42:10:01", ["10.20.6.10"])],
    ("Phone", 1): [eth(1, "LAN", "80:5e:c0:11:22:33")],
}


def networkports(itemtype, iid):
    out = {}
    for kind, port in PORTS.get((itemtype, iid), []):
        out.setdefault(kind, []).append(port)
    return out


OTHERS = {
    "NetworkEquipment": [
        {"id": 1, "name": "core-sw-1", "serial": "21980107133GK9000123",
         "manufacturers_id": "Huawei Technologies Co., Ltd.",
         "networkequipmentmodels_id": "S5735-L24T4S-A",
         "last_inventory_update": "2026-12-03 08:00:00"}],
    "Printer": [
        {"id": 1, "name": "PRN-2F-01", "serial": "CN9A2B3C4D",
         "manufacturers_id": "Pantum", "printermodels_id": "M7300FDW",
         "last_inventory_update": "2026-12-03 08:00:00"}],
    "Phone": [
        {"id": 1, "name": "PHONE-101", "serial": "YL-101",
         "manufacturers_id": "Yealink", "phonemodels_id": "T46U",
         "last_inventory_update": "2026-12-03 08:00:00"}],
}


class Handler(fakehttp.Handler):
    content_type = "application/json; charset=UTF-8"

    def error(self, code, name, msg):
        self.send(code, [name, msg])

    def do_GET(self):
        self.record()
        m = re.match(r"^/([a-z0-9]+)/apirest\.php/([^?]*)\??(.*)$",
                     self.path)
        if m is None:
            return self.error(400, "ERROR_BAD_ARRAY", "no such path")
        mode, ep, query = m.group(1), m.group(2).strip("/"), m.group(3)
        srv = self.server
        if srv.app_token is not None and \
                self.headers.get("App-Token") != srv.app_token:
            return self.error(400, "ERROR_WRONG_APP_TOKEN_PARAMETER",
                              "missing or wrong App-Token")
        if ep == "initSession":
            if mode == "s401" or self.headers.get("Authorization") != \
                    "user_token " + srv.user_token:
                return self.error(401, "ERROR_GLPI_LOGIN_USER_TOKEN",
                                  "parameter user_token seems invalid")
            tok = secrets.token_hex(20)
            srv.sessions.add(tok)
            return self.send(200, {"session_token": tok})
        if self.headers.get("Session-Token") not in srv.sessions:
            return self.error(401, "ERROR_SESSION_TOKEN_INVALID",
                              "session_token seems invalid")
        if ep == "killSession":
            srv.sessions.discard(self.headers.get("Session-Token"))
            return self.send(200, [])
        parts = ep.split("/")
        if len(parts) == 1:
            return self.listing(mode, parts[0], query)
        if len(parts) == 2 and parts[0] in OTHERS and parts[1].isdigit():
            item = next((r for r in OTHERS[parts[0]]
                         if r["id"] == int(parts[1])), None)
            if item is None:
                return self.error(404, "ERROR_ITEM_NOT_FOUND", "not found")
            item = dict(item)
            if "with_networkports=true" in query:
                item["_networkports"] = networkports(parts[0], item["id"])
            return self.send(200, item)
        if parts[0] != "Computer" or not parts[1].isdigit():
            return self.error(400, "ERROR_ITEM_NOT_FOUND", "not found")
        cid = int(parts[1])
        if mode == "detail500":
            return self.error(500, "ERROR_SQL", "internal error")
        comp = next((c for c in COMPUTERS if c["id"] == cid), None)
        if comp is None and mode == "endless":
            comp = {"id": cid, "name": "node-%d" % cid}
        if comp is None:
            return self.error(404, "ERROR_ITEM_NOT_FOUND", "not found")
        av = "ItemAntivirus" if mode == "glpi101" else "ComputerAntivirus"
        if len(parts) == 3 and parts[2] == av:
            rows = [dict(r, itemtype="Computer", items_id=cid)
                    if mode == "glpi101" else r
                    for r in ANTIVIRUS.get(cid, [])]
            return self.send(200, rows)
        if len(parts) == 3 and parts[2] in ("ComputerAntivirus",
                                            "ItemAntivirus"):
            return self.error(400,
                              "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM",
                              "resource not found or not an instance of "
                              "CommonDBTM")
        if len(parts) == 2:
            item = dict(comp)
            if "with_softwares=true" in query:
                item["_softwares"] = [
                    {"id": 100 * cid + i, "items_id": cid,
                     "itemtype": "Computer", "softwares_id": n,
                     "softwareversions_id": v, "is_dynamic": 1}
                    for i, (n, v) in enumerate(SOFTWARE.get(cid, []))]
            if "with_networkports=true" in query:
                item["_networkports"] = networkports("Computer", cid)
            return self.send(200, item)
        return self.error(400, "ERROR_ITEM_NOT_FOUND", "not found")

    def listing(self, mode, itemtype, query):
        if itemtype == "Computer":
            if mode == "s429":
                return self.error(429, "ERROR_RATE_LIMIT", "too many")
            if mode == "badjson":
                return self.send_html(
                    b"<html><body>Maintenance</body></html>")
            if mode == "slow":
                return self.trickle()
            if mode == "huge":
                return self.stream_huge(b"[")
        rows = COMPUTERS if itemtype == "Computer" else OTHERS.get(itemtype)
        if rows is None:
            return self.error(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM",
                              "unknown itemtype")
        m = re.search(r"range=(\d+)-(\d+)", query)
        lo, hi = (int(m.group(1)), int(m.group(2))) if m else (0, 49)
        if mode == "endless":
            page = [{"id": lo + i + 1, "name": "node-%d" % (lo + i + 1),
                     "serial": "EN-%d" % (lo + i + 1)}
                    for i in range(hi - lo + 1)]
            return self.send(206, page,
                             {"Content-Range": "%d-%d/%d" % (lo, hi,
                                                              10 ** 9)})
        page = rows[lo:hi + 1]
        code = 206 if hi + 1 < len(rows) else 200
        return self.send(code, page, {
            "Content-Range": "%d-%d/%d" % (lo, lo + max(len(page), 1) - 1,
                                           len(rows)),
            "Accept-Range": "%s 1000" % itemtype})


def main():
    ap = fakehttp.parser()
    ap.add_argument("--user-token-file", required=True)
    ap.add_argument("--app-token-file")
    a = ap.parse_args()
    return fakehttp.serve(
        Handler, a, user_token=fakehttp.read_secret(a.user_token_file),
        app_token=fakehttp.read_secret(a.app_token_file)
        if a.app_token_file else None, sessions=set())


if __name__ == "__main__":
    sys.exit(main())
