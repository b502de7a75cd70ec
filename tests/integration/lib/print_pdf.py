#!/usr/bin/env python3
"""Print a page to PDF on a given paper with headless Chromium.

    print_pdf.py CHROMIUM PROFILE_DIR URL OUT.pdf WIDTH_IN HEIGHT_IN

Chromium's --print-to-pdf always prints on Letter; a paper chosen in the
print dialog (A4) is Page.printToPDF's paperWidth and paperHeight in the
DevTools protocol, spoken here over --remote-debugging-pipe (NUL-ended
JSON on file descriptors 3 and 4: no port, no network).  Margins are the
page's own (@page), no header or footer, as --no-pdf-header-footer.
Exits 0 when OUT.pdf is written, 1 with a message otherwise.
"""
import base64
import json
import os
import subprocess
import sys
import time


def main():
    chromium, profile, url, out, width, height = sys.argv[1:7]
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()

    def child_fds():
        # Copies first: a pipe may itself be descriptor 3 or 4.
        r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
        os.dup2(r, 3)
        os.dup2(w, 4)

    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-default-apps", "--disable-extensions",
         "--no-first-run", "--no-default-browser-check",
         "--hide-scrollbars", "--user-data-dir=" + profile,
         "--host-resolver-rules=MAP * ~NOTFOUND",
         "--remote-debugging-pipe", "about:blank"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, preexec_fn=child_fds,
        pass_fds=(3, 4))
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    wr = os.fdopen(to_chrome_w, "wb", buffering=0)
    rd = os.fdopen(from_chrome_r, "rb", buffering=0)
    buf = b""
    deadline = time.monotonic() + 120
    next_id = [0]

    def send(method, params=None, session=None):
        next_id[0] += 1
        msg = {"id": next_id[0], "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        wr.write(json.dumps(msg).encode() + b"\0")
        return next_id[0]

    def read_msg():
        nonlocal buf
        while b"\0" not in buf:
            if time.monotonic() > deadline:
                raise RuntimeError("chromium: no answer in 120 s")
            chunk = rd.read(65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            buf += chunk
        line, buf = buf.split(b"\0", 1)
        return json.loads(line)

    def call(method, params=None, session=None):
        mid = send(method, params, session)
        while True:
            m = read_msg()
            if m.get("id") == mid:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m["result"]

    try:
        target = call("Target.createTarget", {"url": "about:blank"})
        session = call("Target.attachToTarget",
                       {"targetId": target["targetId"],
                        "flatten": True})["sessionId"]
        call("Page.enable", session=session)
        call("Page.navigate", {"url": url}, session=session)
        while True:
            m = read_msg()
            if m.get("method") == "Page.loadEventFired":
                break
        pdf = call("Page.printToPDF",
                   {"paperWidth": float(width), "paperHeight": float(height),
                    "printBackground": True, "preferCSSPageSize": False,
                    "displayHeaderFooter": False}, session=session)
        with open(out, "wb") as f:
            f.write(base64.b64decode(pdf["data"]))
        try:
            send("Browser.close")
        except OSError:
            pass
    except Exception as e:  # one message, whatever went wrong
        print("print_pdf: %s" % e, file=sys.stderr)
        proc.kill()
        proc.wait()
        return 1
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
