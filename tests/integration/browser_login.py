#!/usr/bin/env python3
"""Opens one HTTPS page in a running browser and reports what it showed.

Used by browser_login.sh; Python standard library only.
  firefox   through Marionette (built into Firefox; the protocol client is
            pkcs11_browser.py's), Firefox started with --marionette
  chromium  through the DevTools protocol (a WebSocket on the port Chromium
            writes to DevToolsActivePort in its profile, after
            --remote-debugging-port=0)
The report (JSON on stdout): the URL asked for, the document's URL when the
load ended, its text, the browser's navigation error if any, and how long it
took. Firefox with --choose-certificate: the site is opened as a user opens
it and Firefox's certificate chooser is answered (its list in "chooser"). --screenshot saves the page as a PNG. Every wait is bounded by
--timeout; a handshake that hangs is reported as a time-out.
  xwd-to-png IN.xwd OUT.png   converts a window dump (xwd) for the
            screenshots of the PIN dialog
"""
import argparse
import base64
import json
import os
import socket
import struct
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pkcs11_browser import Error, Marionette, WebDriverError  # noqa: E402


# Before a screenshot: the part of s_server's status page that names the
# client certificate at the top of the window (it starts with the server's
# cipher list).
SHOW_CLIENT_CERTIFICATE = """
  if (window.find("Client certificate")) {
    const sel = window.getSelection();
    const top = sel.getRangeAt(0).getBoundingClientRect().top;
    sel.removeAllRanges();
    window.scrollBy(0, top - 8);
  }"""


def wait_for_file(path, deadline, what):
    while True:
        try:
            with open(path) as f:
                text = f.read()
            if text.strip():
                return text
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise Error(f"{what}: nothing in {path}")
        time.sleep(0.2)


def firefox(args, deadline):
    mn = Marionette(f"{args.profile}/MarionetteActivePort", deadline)
    # A navigation waits for the handshake, dialogs included: as long as
    # the page load may take, not Marionette's usual 30 s.
    mn.sock.settimeout(args.timeout + 5)
    mn.cmd("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {
        "acceptInsecureCerts": False, "unhandledPromptBehavior": "ignore",
        "timeouts": {"pageLoad": int(args.timeout * 1000)}}}})
    report = {"error": None}
    if args.choose_certificate:
        report["chooser"] = choose_certificate(mn, args, deadline)
    else:
        try:
            mn.cmd("WebDriver:Navigate", {"url": args.url})
        except WebDriverError as e:
            # An error page (about:neterror) ends the navigation with an
            # error; its text is what the user sees, read below.
            report["error"] = str(e)
    report["document"] = mn.js("return document.documentURI")
    if report["document"].startswith("about:neterror") and not report["error"]:
        report["error"] = report["document"]
    report["text"] = mn.js("return document.body ? document.body.innerText : ''")
    if report["error"]:
        # What Firefox shows as "Error code" on its error page (SSL_ERROR_…).
        report["error_code"] = mn.js("""
          try { return document.getNetErrorInfo().errorCodeString; } catch (e) { return null; }""")
    if args.screenshot:
        if not report["error"]:
            mn.js(SHOW_CLIENT_CERTIFICATE)
        png = mn.cmd("WebDriver:TakeScreenshot", {"full": False})["value"]
        with open(args.screenshot, "wb") as f:
            f.write(base64.b64decode(png))
    mn.cmd("WebDriver:DeleteSession")
    return report


# Firefox's "User Identification Request" (security.default_personal_cert
# "Ask Every Time"): a tab-modal dialog in the browser window.
CHOOSER = "chrome://pippki/content/clientauthask.xhtml"
FIND_CHOOSER = """
  const frame = [...document.querySelectorAll("browser.dialogFrame")]
    .find(b => b.currentURI && b.currentURI.spec == arguments[0]);
  const doc = frame && frame.contentDocument;
  if (!doc || doc.readyState != "complete") return null;
  const list = doc.getElementById("nicknames");
  if (!list || !list.selectedItem) return null;
  const name = i => i.label || i.getAttribute("label") || i.textContent.trim();
  return {certificates: [...list.querySelectorAll("menuitem, option, richlistitem")].map(name),
          selected: name(list.selectedItem)};"""
CHOOSER_DETAILS = """
  const frame = [...document.querySelectorAll("browser.dialogFrame")]
    .find(b => b.currentURI && b.currentURI.spec == arguments[0]);
  return frame.contentDocument.documentElement.textContent.includes("JPKI");"""
ACCEPT_CHOOSER = """
  const frame = [...document.querySelectorAll("browser.dialogFrame")]
    .find(b => b.currentURI && b.currentURI.spec == arguments[0]);
  frame.contentDocument.querySelector("dialog").getButton("accept").click();
  return true;"""


def choose_certificate(mn, args, deadline):
    """Opens the site as a user does and answers Firefox's certificate
    chooser with the certificate it selected (the only one the site
    accepts); --chooser-screenshot saves the browser window with the
    chooser. Returns what the chooser listed. Waits until the page (or an
    error page) has loaded."""
    mn.js("window.location.href = arguments[0]; return true", args.url)
    mn.cmd("Marionette:SetContext", {"value": "chrome"})
    while True:
        listed = mn.js(FIND_CHOOSER, CHOOSER)
        if listed:
            break
        if time.monotonic() > deadline:
            raise Error("Firefox showed no certificate chooser")
        time.sleep(0.2)
    if args.chooser_screenshot:
        # The details of the selected certificate fill in after the list.
        shown = time.monotonic() + 5
        while time.monotonic() < shown and not mn.js(CHOOSER_DETAILS, CHOOSER):
            time.sleep(0.2)
        png = mn.cmd("WebDriver:TakeScreenshot", {"full": False})["value"]
        with open(args.chooser_screenshot, "wb") as f:
            f.write(base64.b64decode(png))
    mn.js(ACCEPT_CHOOSER, CHOOSER)
    mn.cmd("Marionette:SetContext", {"value": "content"})
    while mn.js("""return document.readyState == "complete" &&
                     (document.documentURI.startsWith(arguments[0]) ||
                      document.documentURI.startsWith("about:neterror"))""", args.url) is not True:
        if time.monotonic() > deadline:
            raise Error("the page did not load after the certificate was chosen")
        time.sleep(0.2)
    return listed


class DevTools:
    """A minimal client of Chromium's DevTools protocol: one WebSocket
    (RFC 6455, text frames, client frames masked)."""

    def __init__(self, port, path, deadline):
        self.deadline = deadline
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self._recv(1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise Error(f"DevTools refused the WebSocket: {head!r}")
        self.next_id = 0
        self.events = []

    def _recv(self, n):
        data = b""
        while len(data) < n:
            if time.monotonic() > self.deadline:
                raise Error("timed out waiting for Chromium")
            try:
                chunk = self.sock.recv(n - len(data))
            except TimeoutError:
                continue
            if not chunk:
                raise Error("Chromium closed the DevTools connection")
            data += chunk
        return data

    def _send(self, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 1 << 16:
            head = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _message(self):
        data = b""
        while True:
            b0, b1 = self._recv(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._recv(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._recv(8))[0]
            chunk = self._recv(n)
            if b0 & 0x0F == 0x8:
                raise Error("Chromium closed the DevTools connection")
            if b0 & 0x0F in (0x9, 0xA):  # ping/pong: not part of a message
                continue
            data += chunk
            if b0 & 0x80:
                return json.loads(data)

    def cmd(self, method, params=None):
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}).encode())
        while True:
            msg = self._message()
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise Error(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, names):
        while True:
            for i, msg in enumerate(self.events):
                if msg.get("method") in names:
                    return self.events.pop(i)
            self.events.append(self._message())


def chromium(args, deadline):
    # Chromium writes its port and the browser target's path to
    # DevToolsActivePort in the profile once it listens.
    port, path = wait_for_file(f"{args.profile}/DevToolsActivePort", deadline,
                               "Chromium's DevTools port").split()[:2]
    browser = DevTools(int(port), path, deadline)
    target = browser.cmd("Target.createTarget", {"url": "about:blank"})["targetId"]
    page = DevTools(int(port), f"/devtools/page/{target}", deadline)
    page.cmd("Page.enable")
    report = {"error": None}
    nav = page.cmd("Page.navigate", {"url": args.url})
    if nav.get("errorText"):
        # The handshake failed: Chromium shows its error page (net::ERR_…).
        report["error"] = nav["errorText"]
    page.wait_event({"Page.loadEventFired"})  # the page, or the error page
    result = page.cmd("Runtime.evaluate", {
        "expression": "[document.URL, document.body ? document.body.innerText : '']",
        "returnByValue": True})["result"]["value"]
    report["document"], report["text"] = result
    if args.screenshot:
        if not report["error"]:
            page.cmd("Runtime.evaluate", {"expression": SHOW_CLIENT_CERTIFICATE})
        png = page.cmd("Page.captureScreenshot", {"format": "png"})["data"]
        with open(args.screenshot, "wb") as f:
            f.write(base64.b64decode(png))
    browser.cmd("Target.closeTarget", {"targetId": target})
    return report


def xwd_to_png(xwd_path, png_path):
    """An X window dump (xwd, ZPixmap, 24 or 32 bits per pixel, TrueColor)
    as a PNG, so that no image tool is needed for the screenshots."""
    with open(xwd_path, "rb") as f:
        data = f.read()
    header_size = struct.unpack(">I", data[:4])[0]
    (_, version, fmt, _, width, height, _, byte_order, _, _, _, bpp, stride, _,
     red, green, blue, _, _, ncolors) = struct.unpack(">20I", data[:80])
    if version != 7 or fmt != 2 or bpp not in (24, 32):
        raise Error(f"{xwd_path}: an X window dump this cannot read (format {fmt}, {bpp} bits)")
    pixels = data[header_size + 12 * ncolors:]
    step = bpp // 8
    order = "little" if byte_order == 0 else "big"

    def channel(value, mask):
        shift = (mask & -mask).bit_length() - 1
        return ((value & mask) >> shift) * 255 // (mask >> shift)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # PNG filter type: none
        line = pixels[y * stride:y * stride + width * step]
        for x in range(0, len(line), step):
            v = int.from_bytes(line[x:x + step], order)
            rows += bytes((channel(v, red), channel(v, green), channel(v, blue)))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    with open(png_path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n"
                + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def main():
    if sys.argv[1:2] == ["xwd-to-png"]:
        if len(sys.argv) != 4:
            raise Error("usage: browser_login.py xwd-to-png IN.xwd OUT.png")
        xwd_to_png(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("browser", choices=["firefox", "chromium"])
    ap.add_argument("--profile", required=True, help="the profile the browser runs with")
    ap.add_argument("--url", required=True)
    ap.add_argument("--screenshot")
    ap.add_argument("--choose-certificate", action="store_true",
                    help="firefox: answer the certificate chooser (Ask Every Time)")
    ap.add_argument("--chooser-screenshot")
    ap.add_argument("--timeout", type=float, default=45)
    args = ap.parse_args()
    start = time.monotonic()
    deadline = start + args.timeout
    report = (firefox if args.browser == "firefox" else chromium)(args, deadline)
    report["url"] = args.url
    report["seconds"] = round(time.monotonic() - start, 1)
    json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    try:
        main()
    except Error as e:
        print(f"browser_login.py: {e}", file=sys.stderr)
        sys.exit(1)
