#!/usr/bin/env python3
"""The fault matrix: every user-level operation of the CLI and of the PKCS#11
module against every fault of the virtual reader, placed after each APDU.

Runs against a pcscd that serves the virtual readers (scripts/virtual-pcscd)
on reader 0. For each operation a clean run on a fresh card gives its APDU
count n, its time and its result; then each fault run must end with

  - a clear error (non-zero exit and a message) or the clean result, never
    a signal, a sanitizer report or a hang (at most 2 s past the clean time);
  - no PIN try consumed and no VERIFY beyond the clean run's;
  - nothing left verified on the card;
  - the same operation succeeding after the card is taken out and put back.

Prints a Markdown table (operation x fault: runs survived / runs tried) and
the failures with the input that reproduces them.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HANG_MARGIN_S = 2.0  # the product requirement: no hang beyond 2 s past the fault
HARD_TIMEOUT_S = 30.0
PERSON_S = 0.5  # the least time between taking a card out and putting it back  # a run still going by then is killed and counted as a hang
SANITIZER_MARKS = ("AddressSanitizer", "runtime error:", "LeakSanitizer", "terminate called")
INSTITUTION = "1312345678"
AUTH_TOKEN = "JPKI (User Authentication PIN)"
SIGN_TOKEN = "JPKI (Digital Signature PIN)"


@dataclass
class Op:
    name: str
    argv: list  # "{out}" is replaced by a fresh path per run
    stdin: str = ""
    pins: bool = False  # a PIN is typed for this operation
    result: str = "stdout"  # what is compared with the clean run: stdout|file|dir|cms|field
    # The report's name for each secret word of argv and stdin: the report is
    # printed into the test logs, which the secrets scan reads.
    shown: dict = field(default_factory=dict)


@dataclass
class Run:
    op: str
    fault: str
    k: int | None
    ok: bool = True
    problems: list = field(default_factory=list)
    rc: int = 0
    seconds: float = 0.0


class Bench:
    def __init__(self, build: Path, work: Path, reader: int = 0):
        self.build = build
        self.work = work
        self.reader = reader
        self.sim_bin = build / "bin" / "mynacard-sim"
        self.probe_bin = build / "bin" / "pcsc_probe"
        self.profile = build / "share" / "mynacard" / "sim" / "profiles" / "default"
        self.env = dict(os.environ)
        self.env.update(
            MYNACARD_AUDIT_LOG=str(work / "audit.jsonl"),
            # pkcs11-tool logs in to the signature token unattended: consent
            # to release the signature certificate comes from configuration.
            MYNACARD_CONSENT="allow",
            LANG="C.UTF-8",
            LC_ALL="",
        )
        self.counter = 0
        self.control = None
        self.answers = None

    # ------------------------------------------------------------ sim --
    def sim(self, request: dict) -> dict:
        """One request on the handler's control socket (reader-drivers/virtual
        README, "Control socket"): a JSON line each way."""
        if self.control is None:
            path = os.environ.get("MYNACARD_SIM_SOCKET") or "/run/pcscd/mynacard-sim.sock"
            self.control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.control.connect(path)
            self.answers = self.control.makefile("r", encoding="utf-8")
        self.control.sendall((json.dumps(request) + "\n").encode())
        answer = json.loads(self.answers.readline())
        if not answer.get("ok"):
            raise RuntimeError(f"control socket: {request}: {answer.get('error')}")
        return answer

    def recover(self, why: str) -> None:
        """After a run the bench itself could not finish: say what pcscd
        logged, then start again from a fresh card (a new control
        connection, in case the handler was restarted)."""
        log = Path("/run/pcscd/mynacard-virtual/pcscd.log")
        tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
        print(f"bench failure: {why}\n  pcscd log:\n  " + "\n  ".join(tail), file=sys.stderr)
        self.control = None
        self.fault(kind="clear")
        self.insert(fresh=True)

    def fault(self, kind: str, **fields) -> None:
        self.sim({"cmd": "fault", "reader": self.reader, "kind": kind, **fields})

    def wait(self, state: str) -> None:
        subprocess.run([str(self.probe_bin), "wait-state", str(self.reader), state, "5"],
                       capture_output=True, check=True)

    def status(self) -> dict:
        return self.sim({"cmd": "status", "reader": self.reader})["reader"]

    def insert(self, fresh: bool) -> None:
        if self.status().get("card_present"):
            self.sim({"cmd": "remove", "reader": self.reader})
        # Also after a fault took the card out: until pcscd has seen it go.
        self.wait("empty")
        self.sim({"cmd": "insert", "reader": self.reader, "profile": str(self.profile),
                  "fresh": fresh})
        self.wait("present")

    def clear_trace(self) -> None:
        self.sim({"cmd": "trace", "reader": self.reader, "clear": True})

    def trace_apdus(self) -> int:
        stats = self.sim({"cmd": "trace", "reader": self.reader, "stats": True})["stats"]
        return int(stats[0]["apdus"]) if stats else 0

    def pin_verifies(self) -> int:
        entries = self.sim({"cmd": "trace", "reader": self.reader})["entries"]
        return sum(1 for e in entries
                   if e.get("redacted") and e["command"].upper().startswith("002000"))

    # ------------------------------------------------------------- op --
    def fresh_path(self, suffix: str) -> Path:
        self.counter += 1
        return self.work / f"out{self.counter}{suffix}"

    def run_op(self, op: Op, timeout: float):
        out = self.fresh_path(".d" if op.result == "dir" else ".bin")
        argv = [a.replace("{out}", str(out)) for a in op.argv]
        env = self.env
        if argv[0] == "pkcs11-tool" and os.environ.get("MYNACARD_MODULE_PRELOAD"):
            # A program we do not build hosting a sanitizer build's module
            # (module_host in tests/integration/lib.sh).
            env = dict(env or os.environ, LD_PRELOAD=os.environ["MYNACARD_MODULE_PRELOAD"])
        started = time.monotonic()
        try:
            p = subprocess.run(argv, input=op.stdin, capture_output=True, text=True,
                               env=env, timeout=timeout)
            rc, stdout, stderr = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, stdout, stderr = 124, str(e.stdout or ""), str(e.stderr or "")
        seconds = time.monotonic() - started
        return rc, stdout, stderr, seconds, self.result_of(op, out, stdout)

    def result_of(self, op: Op, out: Path, stdout: str) -> str:
        """What the clean run and a successful fault run must agree on."""
        if op.result == "file":
            return hashlib.sha256(out.read_bytes()).hexdigest() if out.exists() else "-"
        if op.result == "dir":
            if not out.is_dir():
                return "-"
            h = hashlib.sha256()
            for f in sorted(out.iterdir()):
                h.update(f.name.encode() + f.read_bytes())
            return h.hexdigest()
        if op.result == "cms":  # a fresh signing time each run: verify instead
            if not out.exists():
                return "-"
            v = subprocess.run(["openssl", "cms", "-verify", "-noverify", "-binary", "-inform",
                                "DER", "-in", str(out), "-content", str(self.work / "doc"),
                                "-out", "/dev/null"], capture_output=True)
            return "valid" if v.returncode == 0 else "invalid"
        if op.result == "field":  # qualify: the answer, without its times
            try:
                j = json.loads(stdout)
                return json.dumps(j["message"]["MessageBody"].get("ResultList"), sort_keys=True)
            except (ValueError, KeyError, TypeError):
                return "-"
        return stdout


def operations(b: Bench, server) -> list:
    cli = str(b.build / "bin" / "mynacard")
    module = str(b.build / "lib" / "mynacard-pkcs11.so")
    doc = str(b.work / "doc")
    my_number = json.loads((b.profile / "profile.json").read_text())["holder"]["my_number"]
    ops = [
        Op("status", [cli, "status", "--json"]),
        Op("cert export auth", [cli, "cert", "export", "auth", "--out", "{out}"], result="file"),
        Op("sign --key auth", [cli, "--pin-stdin", "sign", "--key", "auth", "--in", doc,
                               "--out", "{out}"], "1234\n", True, "cms", {"1234": "AUTH_PIN"}),
        Op("sign --key sign", [cli, "--pin-stdin", "sign", "--key", "sign", "--in", doc,
                               "--out", "{out}"], "ABC123\n", True, "cms", {"ABC123": "SIGN_PIN"}),
        # The same PIN again: the card's state is the same whether or not the
        # change went through before a fault.
        Op("pin change auth", [cli, "--pin-stdin", "pin", "change", "auth"], "1234\n1234\n1234\n",
           True, "none", {"1234": "AUTH_PIN"}),
        Op("info", [cli, "--pin-stdin", "info", "--json"], "1234\n", True, "stdout",
           {"1234": "TEXT_PIN"}),
        Op("face --code a", [cli, "--pin-stdin", "face", "--out", "{out}", "--code", "a"],
           my_number + "\n", True, "dir", {my_number: "MY_NUMBER"}),
    ]
    if server:
        url, ca = server
        ops.append(Op("qualify --server", [cli, "--pin-stdin", "qualify", "--server", url,
                                           "--server-ca", ca, "--institution-code", INSTITUTION,
                                           "--json"], "1234\n", True, "field", {"1234": "AUTH_PIN"}))
    if Path(module).exists() and shutil.which("pkcs11-tool"):
        for label, token, pin, key, name in (("auth", AUTH_TOKEN, "1234", "01", "AUTH_PIN"),
                                             ("sign", SIGN_TOKEN, "ABC123", "02", "SIGN_PIN")):
            ops.append(Op(f"PKCS#11 login + sign ({label})",
                          ["pkcs11-tool", "--module", module, "--token-label", token, "--login",
                           "--pin", pin, "--sign", "--id", key, "-m", "SHA256-RSA-PKCS",
                           "-i", doc, "-o", "{out}"], "", True, "file", {pin: name}))
    return ops


KINDS = ["remove", "corrupt", "sw 6F00", "sw 6982", "reset", "mute", "unplug"]
SAMPLE_KINDS = 3  # per operation in --sample: the CI run stays well under 90 s


def fault_request(kind: str, k: int) -> dict:
    """The control-socket fault request: `kind` placed after APDU k."""
    return {
        "remove": {"kind": "remove-after", "count": k},
        "corrupt": {"kind": "corrupt", "after": k},
        "sw 6F00": {"kind": "sw", "sw": "6F00", "after": k},
        "sw 6982": {"kind": "sw", "sw": "6982", "after": k},
        "reset": {"kind": "reset", "after": k},
        "mute": {"kind": "mute"},
        "unplug": {"kind": "unplug", "after": k},
    }[kind]


def reproduce(kind: str, k: int | None) -> str:
    """The same fault as a mynacard-sim command."""
    return "mynacard-sim fault --reader 0 " + {
        "remove": f"remove-after {k}",
        "corrupt": f"corrupt --after {k}",
        "sw 6F00": f"sw 6F00 --after {k}",
        "sw 6982": f"sw 6982 --after {k}",
        "reset": f"reset --after {k}",
        "mute": "mute",
        "unplug": f"unplug --after {k}",
    }[kind]


def fault_plan(n: int, sample_index: int | None) -> list:
    """(kind, mynacard-sim fault args, k) for an operation of n APDUs.

    Whole matrix: removal after every k in 0..n, corrupt, both status words
    and reset at every step, mute once, unplug at the first, middle and last
    step. Sample (operation number i): 3 kinds per operation, rotating with
    i so that every kind runs on several operations, each at a step of its
    own (spread over the operation, fixed for a given n)."""
    if sample_index is not None:
        plan = []
        for j in range(SAMPLE_KINDS):
            kind = KINDS[(SAMPLE_KINDS * sample_index + j) % len(KINDS)]
            k = (n * (j + 1)) // (SAMPLE_KINDS + 1)
            plan.append((kind, fault_request(kind, k), None if kind == "mute" else k))
        return plan
    steps = list(range(n))
    plan = [("remove", fault_request("remove", k), k) for k in range(n + 1)]
    for kind in ("corrupt", "sw 6F00", "sw 6982", "reset"):
        plan += [(kind, fault_request(kind, k), k) for k in steps]
    plan.append(("mute", fault_request("mute", 0), None))
    for k in sorted({0, n // 2, max(n - 1, 0)}):
        plan.append(("unplug", fault_request("unplug", k), k))
    return plan


def check_run(b: Bench, op: Op, fault, clean, sample: bool) -> Run:
    label, request, k = fault
    run = Run(op.name, label, k)
    full_tries = clean["tries"]
    b.clear_trace()
    b.fault(**request)
    rc, stdout, stderr, seconds, result = b.run_op(op, HARD_TIMEOUT_S)
    run.rc, run.seconds = rc, seconds
    verifies = b.pin_verifies()
    b.fault(kind="clear")  # also the re-plug of an unplugged reader

    if rc == 124:
        run.problems.append(f"hang: killed after {HARD_TIMEOUT_S:.0f} s")
    elif rc < 0 or rc > 128:
        run.problems.append(f"killed by a signal (exit {rc})")
    elif seconds > clean["seconds"] + HANG_MARGIN_S:
        run.problems.append(f"slow: {seconds:.1f} s (clean run {clean['seconds']:.1f} s)")
    if any(m in stderr for m in SANITIZER_MARKS):
        run.problems.append("sanitizer or abort report on stderr")
    if rc == 0 and op.result != "none" and result != clean["result"]:
        run.problems.append("exit 0 with a result that differs from the clean run")
    if rc not in (0, 124) and 0 < rc <= 128 and not stderr.strip():
        run.problems.append(f"exit {rc} without a message")
    if verifies > clean["verifies"]:
        run.problems.append(f"{verifies} VERIFY with a PIN (clean run: {clean['verifies']})")

    # The card may be out (removed by the fault): put the same card back.
    st = b.status()
    reinserted = label in ("remove", "unplug") or not st.get("card_present")
    if reinserted:  # the card back in, or the reader back on the bus with it
        # Not faster than a person: pcscd 1.9.9 missed a card put back
        # within its 400 ms poll after a removal it had learnt of from a
        # failed SCARD_RESET_CARD (docs/reliability.md, "Fault matrix").
        time.sleep(PERSON_S)
        b.insert(fresh=False)
        st = b.status()
    if st.get("tries_left") != full_tries:
        run.problems.append(f"tries changed: {st.get('tries_left')} (before: {full_tries})")
    left = sorted(s for s, v in st.get("verified", {}).items() if v)
    if left:
        run.problems.append("left verified on the card: " + ", ".join(left))

    # The same operation after the card is taken out and put back (the
    # sample only where the fault took it out, or the reader went).
    if not sample and not reinserted:
        b.insert(fresh=False)
    rc2, _, stderr2, _, result2 = b.run_op(op, HARD_TIMEOUT_S)
    if rc2 != 0 or (op.result != "none" and result2 != clean["result"]):
        run.problems.append(f"afterwards the operation fails (exit {rc2}: {stderr2.strip()[:160]})")
    if run.problems:
        run.ok = False
        # Start the next run from a card in its issued state.
        b.insert(fresh=True)
    return run


def shown(b: Bench, op: Op) -> str:
    """The operation's command line as the report shows it."""
    # The scratch directory first: it may lie inside the build tree.
    words = [op.shown.get(a, a).replace(str(b.work) + "/", "").replace(str(b.build) + "/", "build/")
             for a in op.argv]
    text = " ".join(f'"{w}"' if " " in w else w for w in words).replace("{out}", "OUT")
    text = re.sub(r"https://127\.0\.0\.1:\d+", "URL", text)
    pins = "\\n".join(op.shown.get(w, w) for w in op.stdin.split())
    return f"printf '{pins}\\n' | {text}" if pins else text


def clean_run(b: Bench, op: Op, runs: int) -> dict:
    b.insert(fresh=True)
    tries = b.status()["tries_left"]
    times = []
    for _ in range(runs):
        b.clear_trace()
        rc, stdout, stderr, seconds, result = b.run_op(op, HARD_TIMEOUT_S)
        if rc != 0:
            raise RuntimeError(f"{op.name}: clean run failed (exit {rc}): {stderr}")
        times.append(seconds)
    return {"n": b.trace_apdus(), "seconds": max(times), "result": result, "tries": tries,
            "verifies": b.pin_verifies(), "command": shown(b, op)}


def start_server(b: Bench, source: Path):
    server_bin = b.build / "bin" / "mynacard-qualification-server"
    if not server_bin.exists():
        return None, None
    state = b.work / "qs"
    cert = b.work / "auth.der"
    subprocess.run([str(server_bin), "init", "--state", str(state), "--institution-code",
                    INSTITUTION], check=True, capture_output=True)
    pki = b.build / "share" / "mynacard" / "sim" / "pki"
    subprocess.run([str(server_bin), "trust", "--state", str(state), "--ca",
                    str(pki / "auth_root.pem")], check=True, capture_output=True)
    b.insert(fresh=True)
    subprocess.run([str(b.build / "bin" / "mynacard"), "cert", "export", "auth", "--out",
                    str(cert)], check=True, capture_output=True, env=b.env)
    subprocess.run([str(server_bin), "enroll", "--state", str(state), "--cert", str(cert),
                    "--record", str(source / "middleware/qualification/server/sample-record.json")],
                   check=True, capture_output=True)
    log = open(b.work / "server.log", "w")
    proc = subprocess.Popen([str(server_bin), "serve", "--state", str(state), "--listen",
                             "127.0.0.1:0"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        text = (b.work / "server.log").read_text()
        if "listening on port" in text:
            port = text.split("listening on port")[1].split()[0]
            return proc, (f"https://127.0.0.1:{port}", str(state / "server.pem"))
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the qualification service did not start")


def report(results: dict, runs: list, kinds: list, command: str) -> str:
    lines = [f"Command: `{command}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", "",
             "| operation | APDUs | " + " | ".join(kinds) + " |",
             "|---|---|" + "---|" * len(kinds)]
    for op, info in results.items():
        cells = []
        for kind in kinds:
            mine = [r for r in runs if r.op == op and r.fault == kind]
            cells.append(f"{sum(r.ok for r in mine)}/{len(mine)}" if mine else "-")
        lines.append(f"| {op} | {info['n']} | " + " | ".join(cells) + " |")
    failed = [r for r in runs if not r.ok]
    lines += ["", f"Runs: {len(runs)}, failures: {len(failed)}."]
    if failed:
        lines += ["", "Failures (to reproduce: the fault on a fresh card, then the operation "
                  "as listed below):", ""]
        for r in failed:
            where = "" if r.k is None else f" after {r.k}"
            lines.append(f"- {r.op}, {r.fault}{where}: exit {r.rc}, {r.seconds:.1f} s; "
                         + "; ".join(r.problems) + f" (`{reproduce(r.fault, r.k)}`)")
    lines += ["", "Operations (AUTH_PIN, SIGN_PIN and TEXT_PIN are the software card's PINs, "
              "MY_NUMBER the profile's holder.my_number, URL the reference service on loopback):",
              ""]
    for op, info in results.items():
        lines.append(f"- {op}: `{info['command']}`")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True, type=Path)
    ap.add_argument("--sample", action="store_true", help="3 fault kinds per operation, rotating (CI)")
    ap.add_argument("--ops", help="comma-separated operation names (default: all)")
    ap.add_argument("--json", type=Path, help="also write the runs here")
    args = ap.parse_args()
    source = Path(__file__).resolve().parents[2]
    work = Path(tempfile.mkdtemp())
    b = Bench(args.build.resolve(), work)
    (work / "doc").write_bytes(os.urandom(4096))
    wanted = set(args.ops.split(",")) if args.ops else None
    server, where = (None, None) if wanted and "qualify --server" not in wanted else \
        start_server(b, source)
    try:
        ops = operations(b, where)
        if wanted:
            ops = [o for o in ops if o.name in wanted]
        results, runs = {}, []
        for index, op in enumerate(ops):
            clean = clean_run(b, op, 1 if args.sample else 2)
            results[op.name] = clean
            for fault in fault_plan(clean["n"], index if args.sample else None):
                try:
                    run = check_run(b, op, fault, clean, args.sample)
                except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
                    run = Run(op.name, fault[0], fault[2], False, [f"the bench failed: {e}"])
                    b.recover(str(e))
                runs.append(run)
                mark = "ok" if run.ok else "FAIL " + "; ".join(run.problems)
                print(f"{op.name} / {run.fault} {run.k}: exit {run.rc} {run.seconds:.2f}s {mark}",
                      file=sys.stderr, flush=True)
        kinds = KINDS
        cmd = "scripts/faults" + (" --sample" if args.sample else "")
        print(report(results, runs, kinds, cmd))
        if args.json:
            args.json.write_text(json.dumps([r.__dict__ for r in runs], indent=1))
        return 1 if any(not r.ok for r in runs) else 0
    finally:
        if server:
            server.kill()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
