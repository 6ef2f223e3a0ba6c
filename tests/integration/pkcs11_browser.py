#!/usr/bin/env python3
"""Drives a running Firefox through Marionette, as a user would use its UI.

Used by pkcs11_browser.sh; Python standard library only (the Marionette
protocol is length-prefixed JSON over TCP, built into Firefox). Firefox must
run with --marionette -remote-allow-system-access (the Certificate Manager and
Security Devices are chrome windows).

Steps, each recorded in the JSON report printed on stdout:
  1. modules   the PKCS#11 modules and tokens Firefox loaded (nsIPKCS11ModuleDB)
  2. before    Certificate Manager → "Your Certificates"; the password prompts
               it raises (one per token that needs a login) are cancelled
  3. login     Security Devices → the signature token → "Log In"; the password
               prompt is answered with --sign-pin
  4. after     Certificate Manager again (the authentication prompt cancelled);
               --screenshot saves this window as a PNG
A certificate row is [certificate name, security device (token), SHA-256
fingerprint "AB:CD:…"].
"""
import argparse
import base64
import json
import socket
import sys
import time

CERT_MANAGER = "chrome://pippki/content/certManager.xhtml"
DEVICE_MANAGER = "chrome://pippki/content/device_manager.xhtml"


class Error(Exception):
    pass


class Marionette:
    def __init__(self, port_file, deadline):
        # Firefox writes the port it listens on (pref marionette.port 0: any
        # free port) to MarionetteActivePort in the profile.
        while True:
            try:
                with open(port_file) as f:
                    port = int(f.read())
                break
            except (OSError, ValueError):
                if time.monotonic() > deadline:
                    raise Error(f"Firefox wrote no Marionette port to {port_file}")
                time.sleep(0.2)
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise Error(f"no Marionette server on port {port}")
                time.sleep(0.2)
        self.buf = b""
        self.next_id = 0
        hello = self._read()
        if hello.get("marionetteProtocol") != 3:
            raise Error(f"unexpected Marionette greeting {hello}")

    def _read(self):
        while b":" not in self.buf:
            self._recv()
        size, rest = self.buf.split(b":", 1)
        size = int(size)
        self.buf = rest
        while len(self.buf) < size:
            self._recv()
        data, self.buf = self.buf[:size], self.buf[size:]
        return json.loads(data)

    def _recv(self):
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError:
            raise Error("Firefox did not answer a Marionette command in time") from None
        if not chunk:
            raise Error("Firefox closed the Marionette connection")
        self.buf += chunk

    def cmd(self, name, params=None):
        self.next_id += 1
        data = json.dumps([0, self.next_id, name, params or {}]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        while True:
            msg = self._read()
            if msg[0] == 1 and msg[1] == self.next_id:
                if msg[2]:
                    raise WebDriverError(name, msg[2])
                return msg[3]

    def js(self, script, *args):
        return self.cmd("WebDriver:ExecuteScript", {"script": script, "args": list(args)})["value"]


class WebDriverError(Error):
    def __init__(self, command, err):
        super().__init__(f"{command}: {err.get('error')}: {err.get('message')}")
        self.code = err.get("error")


class Browser:
    def __init__(self, mn, timeout):
        self.mn = mn
        self.timeout = timeout
        self.main = mn.cmd("WebDriver:GetWindowHandle")["value"]

    def wait(self, what, check):
        """Polls check() until it returns a value other than None."""
        deadline = time.monotonic() + self.timeout
        while True:
            value = check()
            if value is not None:
                return value
            if time.monotonic() > deadline:
                raise Error(f"timed out waiting for {what}")
            time.sleep(0.1)

    def js(self, script, *args):
        """Runs script in the current chrome window; None while a prompt is
        open (Marionette refuses scripts then)."""
        try:
            return self.mn.js(script, *args)
        except WebDriverError as e:
            # A prompt is open, or the window closed meanwhile.
            if e.code in ("unexpected alert open", "no such window"):
                return None
            raise

    def answer_prompts(self, answers):
        """From now on, Firefox's prompts are answered as a user would: the
        password prompt of a token named in answers gets its password typed
        and OK pressed, every other prompt is cancelled. Marionette's own
        prompt commands cannot type into password prompts, so this observes
        the prompt window (commonDialog.xhtml) as it loads."""
        self.mn.cmd("WebDriver:SwitchToWindow", {"handle": self.main})
        self.mn.js("""
          const [answers] = arguments;
          const main = window;
          if (main.mynacardObserver) {
            Services.obs.removeObserver(main.mynacardObserver, "common-dialog-loaded");
          }
          main.mynacardPrompts = [];
          main.mynacardObserver = {
            observe(prompt) {
              const doc = prompt.document;
              const text = doc.getElementById("infoBody").textContent;
              const hasPassword = !doc.getElementById("password1Container").hidden;
              const answer = Object.entries(answers).find(([token]) => text.includes(`(${token})`));
              const typed = hasPassword && answer !== undefined;
              main.mynacardPrompts.push({text, password: hasPassword, answered: typed});
              prompt.setTimeout(() => {
                const dialog = doc.getElementById("commonDialog");
                if (typed) {
                  doc.getElementById("password1Textbox").value = answer[1];
                  dialog.getButton("accept").click();
                } else {
                  dialog.cancelDialog();
                }
              }, 0);
            },
          };
          Services.obs.addObserver(main.mynacardObserver, "common-dialog-loaded");
          return true;""", answers)

    def prompts(self):
        """The prompts Firefox showed since answer_prompts()."""
        self.mn.cmd("WebDriver:SwitchToWindow", {"handle": self.main})
        return self.wait("the prompts to close", lambda: self.js("return window.mynacardPrompts"))

    def window(self, url):
        """Handle of the chrome window showing url (switched to), or None."""
        for handle in self.mn.cmd("WebDriver:GetWindowHandles"):
            try:
                self.mn.cmd("WebDriver:SwitchToWindow", {"handle": handle, "focus": False})
            except WebDriverError as e:
                if e.code == "no such window":  # a prompt that closed meanwhile
                    continue
                raise
            if self.js("return window.location.href") == url:
                return handle
        return None

    def open_dialog(self, url, ready_script, *args):
        """Opens url as Firefox's settings do; waits until ready_script (run
        in the dialog) returns non-null."""
        self.mn.cmd("WebDriver:SwitchToWindow", {"handle": self.main})
        self.mn.js("window.openDialog(arguments[0], '', 'chrome,resizable,centerscreen'); return true", url)

        def ready():
            handle = self.window(url)
            if handle is None:
                return None
            value = self.js(ready_script, *args)
            return None if value is None else (handle, value)

        return self.wait(f"{url} to load", ready)

    def close(self, handle):
        self.mn.cmd("WebDriver:SwitchToWindow", {"handle": handle})
        self.mn.cmd("WebDriver:CloseChromeWindow")
        self.mn.cmd("WebDriver:SwitchToWindow", {"handle": self.main})

    def modules(self):
        self.mn.cmd("WebDriver:SwitchToWindow", {"handle": self.main})
        return self.mn.js("""
          const db = Cc["@mozilla.org/security/pkcs11moduledb;1"].getService(Ci.nsIPKCS11ModuleDB);
          return (async () => {
            const out = [];
            for (const m of await db.listModules()) {
              out.push({name: m.name, library: m.libName,
                        tokens: m.slots.map(s => s.tokenName).filter(t => t)});
            }
            return out;
          })();""")

    # "Your Certificates": the rows of the user-tree (certificate rows are
    # below their issuer's organisation row, which is left out).
    USER_CERTS = """
      const tree = document.getElementById("user-tree");
      // LoadCerts() (the dialog's onload) sets window.userTreeView once the
      // tokens' passwords were asked for.
      if (!window.userTreeView || !tree || tree.view != window.userTreeView) return null;
      document.getElementById("certmanagertabs").selectedIndex = 0;
      const v = tree.view, cols = tree.columns, rows = [];
      for (let i = 0; i < v.rowCount; i++) {
        if (v.isContainer(i)) continue;
        rows.push([v.getCellText(i, cols.getNamedColumn("certcol")),
                   v.getCellText(i, cols.getNamedColumn("tokencol")),
                   v.getCert(i).sha256Fingerprint]);
      }
      return rows;"""

    def user_certificates(self, screenshot=None):
        handle, rows = self.open_dialog(CERT_MANAGER, self.USER_CERTS)
        if screenshot:
            self.mn.js("window.resizeTo(1100, 340); return true")
            # Let the resized window and the selected tab paint.
            self.mn.js("""return new Promise(r => window.requestAnimationFrame(
                            () => window.requestAnimationFrame(() => r(true))))""")
            png = self.mn.cmd("WebDriver:TakeScreenshot", {"full": False})["value"]
            with open(screenshot, "wb") as f:
                f.write(base64.b64decode(png))
        self.close(handle)
        return rows

    def log_in(self, token):
        """Security Devices: select the token's slot and click "Log In" (the
        password prompt is answered by answer_prompts). Returns once the token
        is logged in."""
        select = """
          const tree = document.getElementById("device_tree");
          if (document.readyState != "complete" || !tree.view) return null;
          for (let i = 0; i < tree.view.rowCount; i++) {
            const item = tree.view.getItemAtIndex(i);
            if (item.slotObject && item.slotObject.tokenName == arguments[0]) {
              tree.view.selection.select(i);
              return !document.getElementById("login_button").disabled;
            }
          }
          return null;"""
        handle, enabled = self.open_dialog(DEVICE_MANAGER, select, token)
        if not enabled:
            raise Error(f"'Log In' is disabled for {token}")
        # The click runs the login, which waits in the password prompt: let the
        # script return first.
        self.mn.js("setTimeout(() => document.getElementById('login_button').click(), 0); return true")
        # Asked from the main window: the device manager waits in the login
        # (a window-modal prompt suspends the window it belongs to).
        self.mn.cmd("WebDriver:SwitchToWindow", {"handle": self.main})
        logged_in = self.wait(f"the login to {token}", lambda: self.js("""
          const [token] = arguments;
          if (!window.mynacardPrompts.some(p => p.answered)) return null;
          const db = Cc["@mozilla.org/security/pkcs11moduledb;1"].getService(Ci.nsIPKCS11ModuleDB);
          return (async () => {
            for (const m of await db.listModules()) {
              for (const slot of m.slots) {
                if (slot.tokenName == token) return slot.getToken().isLoggedIn || null;
              }
            }
            return null;
          })();""", token))
        self.close(handle)
        return logged_in


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", required=True, help="the profile Firefox runs with")
    ap.add_argument("--sign-token", default="JPKI (Digital Signature PIN)")
    ap.add_argument("--sign-pin", required=True)
    ap.add_argument("--screenshot")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args()

    mn = Marionette(f"{args.profile}/MarionetteActivePort", time.monotonic() + args.timeout)
    # Prompts are answered by answer_prompts(); Marionette leaves them alone.
    mn.cmd("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"unhandledPromptBehavior": "ignore"}}})
    mn.cmd("Marionette:SetContext", {"value": "chrome"})
    b = Browser(mn, args.timeout)
    report = {"modules": b.modules()}
    b.answer_prompts({})
    report["before"] = b.user_certificates()
    report["prompts_before"] = b.prompts()
    b.answer_prompts({args.sign_token: args.sign_pin})
    report["login"] = b.log_in(args.sign_token)
    report["prompts_login"] = b.prompts()
    b.answer_prompts({})
    report["after"] = b.user_certificates(args.screenshot)
    report["prompts_after"] = b.prompts()
    mn.cmd("WebDriver:DeleteSession")
    json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    try:
        main()
    except Error as e:
        print(f"pkcs11_browser.py: {e}", file=sys.stderr)
        sys.exit(1)
