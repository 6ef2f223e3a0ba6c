#!/usr/bin/env python3
"""Searches what the test suite wrote for the test cards' personal data.

The secrets come from the software card profiles (every profile.json under
--profiles and under the scanned trees): the PINs and the other card
secrets (照合番号A/B, the birth-date key), the My Number, the holder's name
and birth date. The scan reads every file under each --scan tree, the files
under each --changed-under tree modified after --since, and core files, and
exits 1 naming each file and offset where one of them appears outside the
allowed places (ALLOWED below: the profiles themselves and the files a user
explicitly exported). It never prints a secret, only its kind and profile:
its own output lands in ctest's log, which a later scan reads.

Rules (docs/reliability.md, "Secrets"):
- My Number, 照合番号B, birth date (YYYYMMDD): anywhere inside a run of
  digits, also with the separators the card face and forms use.
- Birth date in other forms (和暦 昭和55年2月17日, S55.02.17, 1980-02-17,
  1980年2月17日 ...): anywhere. Era YYMMDD (the face AP's birth-date key,
  6 digits): only as a whole token, not inside a longer run of letters or
  digits.
- Name: anywhere; with U+3000, an ASCII space or no space between the
  names; UTF-8, UTF-16LE/BE, Shift_JIS (CP932), EUC-JP, and through the
  escapes a program may write (hex, \\uXXXX, &#x...;, &#...;, %XX).
- PINs (and the 4-digit security code): short values such as "1234" occur
  everywhere, so a PIN counts only where it can be a PIN: (a) a PIN of 6
  or more characters with a letter is distinctive and counts as a whole
  token anywhere; (b) a whole token on the same line within 40 characters
  after a word that names a PIN (pin, passwd, password, passphrase,
  secret, 暗証, security code ...), e.g. "--pin 1234", "PIN=1234", an
  environment dump; (c) hex: an APDU VERIFY (INS 20) or CHANGE REFERENCE
  DATA (INS 24) whose data field holds it, or a hex token that decodes to
  exactly the PIN.
- Every other card secret (照合番号A/B, the birth-date key) also by rule (c).
Views of each file: the raw bytes, UTF-16LE/BE decodings (files with NUL
bytes), full-width digits folded to ASCII, hex runs decoded, escapes
decoded; gzip/xz/bzip2 content, zip members, SQLite tables (as text),
systemd journal files (journalctl --file, when installed) are scanned too.

Exit status: 0 clean, 1 secrets found, 2 usage error or nothing to search
for (a scan without secrets cannot fail, so it refuses to pass), 77 when
--from-env finds no MYNACARD_TEST_OUTPUT (ctest: skipped).
"""

import argparse
import base64
import bz2
import datetime
import fnmatch
import gzip
import io
import json
import lzma
import multiprocessing
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

# Places where the test cards' data may be, each with why (path patterns,
# fnmatch on the path relative to the scanned tree; "*" crosses "/").
ALLOWED = [
    # `mynacard info --out F` / `read --out F` (tests/integration: cli_*.sh):
    # the user asked for the card's data in that file.
    ("*/exported-*", "a file the test had the CLI export on request (--out)"),
    # The front desk writes the qualification result for the clinic's
    # system into the export folder its configuration names (export_dir).
    ("*/export/*", "front desk / kiosk export folder the user configured"),
    ("*/exports/*", "front desk / kiosk export folder the user configured"),
    # The qualification terminal's answer folder (res/): the received
    # qualification XML is the result the user asked for; face/ holds the
    # terminal's face-authentication results (terminal.sh plays it).
    ("*/res/*", "received qualification answer (terminal's res/ folder)"),
    ("*/face/*res_face_*.xml", "the qualification terminal's face-authentication result"),
    # The reference qualification service (middleware/qualification/server)
    # stands in for the national service, which holds the insured person's
    # record by nature: its database and the record a test enrolls in it
    # are test infrastructure, not what the product keeps.
    ("*/qualification.db", "the reference qualification service's database"),
    ("*/record.json", "the record a test enrolls in the reference service"),
    # The software card profiles every build generates (build-clang and
    # build-tsan have their own): the test cards themselves.
    ("*/share/mynacard/sim/profiles/*", "a software card profile a build generated"),
    # libFuzzer's working corpus (scripts/fuzz, build-clang/fuzz-corpus/):
    # grown from the seeds in tests/fuzz/, which hold the test cards' PINs
    # by design (the virtual reader's PIN-pad command, VERIFY APDUs).
    ("*/fuzz-corpus/*", "libFuzzer's corpus, grown from the seeds in tests/fuzz/"),
    # CPack's staging trees: the project's files as packaged (the virtual
    # reader's package ships the test card profiles; headers carry example
    # dates in their comments).
    ("*/_CPack_Packages/*", "project files CPack staged for the packages"),
    # The install test's staging tree: the project's own files (programs,
    # headers with examples in their comments) copied by cmake --install.
    ("*/stage/usr/*", "project files the install test staged"),
]

PIN_WORDS = (
    r"pin|passwd|password|passphrase|passcode|secret|security[ _-]?code|"
    r"暗証|パスワード|セキュリティコード|照合番号"
)
PIN_CONTEXT = 40  # characters between the word and the PIN on one line
DIGIT_RUN = re.compile(rb"[0-9]{6,}")
SPACED_NUMBER = re.compile(rb"[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}")
HEX_RUN = re.compile(rb"(?:[0-9A-Fa-f]{2}[ :]?){4,}")
FULLWIDTH_DIGITS = [(chr(0xFF10 + i).encode(), str(i).encode()) for i in range(10)]
ERAS = [  # (first day, name, letter, digit)
    (datetime.date(2019, 5, 1), "令和", "R", 5),
    (datetime.date(1989, 1, 8), "平成", "H", 4),
    (datetime.date(1926, 12, 25), "昭和", "S", 3),
    (datetime.date(1912, 7, 30), "大正", "T", 2),
    (datetime.date(1868, 1, 25), "明治", "M", 1),
]
ELF_CORE = 4  # e_type ET_CORE (elf.h)
JOURNAL_SOCKET = "/run/systemd/journal/socket"  # where sd_journal_send writes (sd-journal)


class Secrets:
    """Needles and digit values from the profiles, each with its kind and profile names."""

    def __init__(self):
        self.digits = {}  # digit string -> label; found inside digit runs
        self.tokens = {}  # bytes -> label; found as whole tokens (era YYMMDD)
        self.needles = {}  # bytes -> label; found anywhere
        self.pins = {}  # PIN bytes -> label; by the PIN rules
        self.card_secrets = {}  # every profile secret -> label; hex APDU rule
        self.profiles = []  # directories
        self.profile_files = {}  # directory -> the file names its profile.json names
        self.certificates = set()  # DER of the cards' certificates (masked before searching)

    @staticmethod
    def _add(table, key, label):
        if key:
            table.setdefault(key, set()).add(label)

    def add_profile(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                p = json.load(f)
        except (OSError, ValueError):
            return False
        if not isinstance(p, dict) or p.get("format") != 1 or "holder" not in p:
            return False
        self.profiles.append(os.path.dirname(path))
        for slot in ("auth_cert", "sign_cert", "auth_ca", "sign_ca"):
            cert = (p.get("files") or {}).get(slot)
            if cert:
                self.certificates.update(certificates_in(os.path.join(os.path.dirname(path), cert)))
        name = str(p.get("name", "?"))
        h = p.get("holder", {})
        for key, value in (p.get("secrets") or {}).items():
            v = str(value.get("value", "")).encode()
            self._add(self.card_secrets, v, f"card secret {key} ({name})")
            if key in ("auth", "sign", "text"):
                self._add(self.pins, v, f"PIN {key} ({name})")
            elif key == "face_b" or key == "text_b":
                self._add(self.digits, v, f"照合番号B ({name})")
        if h.get("security_code"):
            self._add(self.pins, h["security_code"].encode(), f"security code ({name})")
        if h.get("my_number"):
            self._add(self.digits, h["my_number"].encode(), f"My Number ({name})")
        if h.get("name"):
            self._add_name(h["name"], f"name ({name})")
        if h.get("birth_date"):
            self._add_birth(h["birth_date"], f"birth date ({name})")
        return True

    def _add_name(self, full, label):
        forms = {full, full.replace("\u3000", " "), full.replace("\u3000", "")}
        for form in forms:
            for enc in ("utf-8", "utf-16-le", "utf-16-be", "cp932", "euc_jp"):
                try:
                    self._add(self.needles, form.encode(enc), label)
                except UnicodeEncodeError:
                    pass

    def _add_birth(self, yyyymmdd, label):
        try:
            d = datetime.datetime.strptime(yyyymmdd, "%Y%m%d").date()
        except ValueError:
            return
        self._add(self.digits, yyyymmdd.encode(), label)
        y, m, dd = d.year, d.month, d.day
        forms = {
            f"{y}-{m:02}-{dd:02}",
            f"{y}/{m:02}/{dd:02}",
            f"{y}/{m}/{dd}",
            f"{y}年{m}月{dd}日",
            f"{y}年{m:02}月{dd:02}日",
        }
        for start, era, letter, _digit in ERAS:
            if d >= start:
                ey = d.year - start.year + 1
                for eys in {str(ey), f"{ey:02}"} | ({"元"} if ey == 1 else set()):
                    forms.add(f"{era}{eys}年{m}月{dd}日")
                    forms.add(f"{era}{eys}年{m:02}月{dd:02}日")
                forms.add(f"{letter}{ey:02}.{m:02}.{dd:02}")
                forms.add(f"{letter}{ey}.{m}.{dd}")
                self._add(self.tokens, f"{ey % 100:02}{m:02}{dd:02}".encode(), label)
                break
        for form in forms:
            self._add(self.needles, form.encode(), label)
            if not form.isascii():
                for enc in ("utf-16-le", "utf-16-be"):
                    self._add(self.needles, form.encode(enc), label)

    def empty(self):
        return not (self.digits and self.needles and self.pins)


UTF16_ASCII = {  # runs of 4+ characters of U+0020..U+007E (digits, PIN words)
    "utf-16-le": re.compile(rb"(?:[\x09\x0a\x0d\x20-\x7e]\x00){4,}"),
    "utf-16-be": re.compile(rb"(?:\x00[\x09\x0a\x0d\x20-\x7e]){4,}"),
}


PEM_BLOCK = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----([A-Za-z0-9+/=\s]+?)-----END [A-Z0-9 ]+-----")
BASE64_RUN = re.compile(rb"[A-Za-z0-9+/]{24,}={0,2}")


def certificates_in(path):
    """The DER certificates of a file: DER as it is, or each PEM block."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return []
    blocks = [base64.b64decode(b"".join(m.group(1).split())) for m in PEM_BLOCK.finditer(data)]
    return blocks or [data]


def mask_certificates(data, certificates):
    """The cards' certificates blanked out: public by design (the JPKI
    signature certificate carries name, birth date and address), a copy of
    one is not a leak; the same data outside a certificate is."""
    for der in certificates:
        if der in data:
            data = data.replace(der, bytes(len(der)))
    return data


def b64(text):
    text = text.rstrip(b"=")
    text = text[: len(text) - 1] if len(text) % 4 == 1 else text
    try:
        return base64.b64decode(text + b"=" * (-len(text) % 4))
    except ValueError:
        return b""


def base64_view(data):
    """PEM blocks (whole) and other base64 runs of 24+ characters decoded, joined by a NUL."""
    parts = [b64(b"".join(m.group(1).split())) for m in PEM_BLOCK.finditer(data)]
    rest = PEM_BLOCK.sub(b"\n", data) if parts else data
    parts += [b64(m.group()) for m in BASE64_RUN.finditer(rest)]
    return b"\x00".join(p for p in parts if p)


def utf16_views(data):
    """The ASCII-range UTF-16LE/BE text of a file with NUL bytes, as UTF-8 (runs
    joined by a newline). Names and dates outside ASCII are searched as UTF-16
    needles (Secrets._add_name/_add_birth) instead: cheaper on large binaries."""
    out = []
    if b"\x00" not in data:
        return out
    for enc, rx in UTF16_ASCII.items():
        runs = [m.group().decode(enc).encode() for m in rx.finditer(data)]
        if runs:
            out.append((enc, b"\n".join(runs)))
    return out


def unescaped_view(data):
    """\\uXXXX, &#xHHHH;, &#DDDD; and %XX decoded."""
    if not re.search(rb"\\u[0-9A-Fa-f]{4}|&#|%[0-9A-Fa-f]{2}", data):
        return None

    def cp(value):
        try:
            return chr(value).encode("utf-8", errors="ignore")
        except (ValueError, OverflowError):
            return b""

    text = re.sub(rb"\\u([0-9A-Fa-f]{4})", lambda m: cp(int(m.group(1), 16)), data)
    text = re.sub(rb"&#[xX]([0-9A-Fa-f]{1,6});", lambda m: cp(int(m.group(1), 16)), text)
    text = re.sub(rb"&#([0-9]{1,7});", lambda m: cp(int(m.group(1))), text)
    text = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), text)
    return text


def fold_fullwidth(data):
    if b"\xef\xbc" not in data:
        return None
    for wide, narrow in FULLWIDTH_DIGITS:
        data = data.replace(wide, narrow)
    return data


class Scanner:
    def __init__(self, secrets):
        self.s = secrets
        self.findings = []  # (path, offset, label, view)
        self.scanned = 0
        self.allowed = []  # (path, reason)
        self.notes = []
        self.digit_lengths = sorted({len(v) for v in self.s.digits})
        # A PIN as a whole token (literal first: fast on large files); the
        # PIN word is looked for only in the line before each occurrence.
        self.pin_token = {
            pin: re.compile(rb"(?<![0-9A-Za-z])" + re.escape(pin) + rb"(?![0-9A-Za-z])")
            for pin in self.s.pins
        }
        self.pin_word = re.compile(f"(?i)(?:{PIN_WORDS})")
        self.tokens = {
            t: re.compile(rb"(?<![0-9A-Za-z])" + re.escape(t) + rb"(?![0-9A-Za-z])")
            for t in self.s.tokens
        }

    def hit(self, path, offset, labels, view):
        for label in sorted(labels):
            self.findings.append((path, offset, label, view))

    def search_digits(self, path, data, view):
        """Digit secrets anywhere inside a run of digits: every window of each length."""
        lengths = self.digit_lengths
        for m in DIGIT_RUN.finditer(data):
            run = m.group()
            for n in lengths:
                for i in range(len(run) - n + 1):
                    labels = self.s.digits.get(run[i:i + n])
                    if labels:
                        self.hit(path, m.start() + i, labels, view)

    def search_text(self, path, data, view):
        """The rules that apply to readable text (every view but hex)."""
        for needle, labels in self.s.needles.items():
            i = data.find(needle)
            if i >= 0:
                self.hit(path, i, labels, view)
        self.search_digits(path, data, view)
        for m in SPACED_NUMBER.finditer(data):
            value = re.sub(rb"[ -]", b"", m.group())
            if value in self.s.digits:
                self.hit(path, m.start(), self.s.digits[value], view)
        for token, rx in self.tokens.items():
            m = rx.search(data)
            if m:
                self.hit(path, m.start(), self.s.tokens[token], view + ", whole token")
        for pin, token_rx in self.pin_token.items():
            distinctive = len(pin) >= 6 and re.search(rb"[A-Za-z]", pin)
            for m in token_rx.finditer(data):
                if distinctive:
                    self.hit(path, m.start(), self.s.pins[pin], view + ", whole token")
                    break
                # A PIN word ending at most PIN_CONTEXT characters before the
                # PIN, on the same line (a UTF-8 character is up to 4 bytes).
                line = data[max(0, m.start() - 4 * (PIN_CONTEXT + 32)):m.start()]
                line = line.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
                ends = [w.end() for w in self.pin_word.finditer(line)]
                if ends and len(line) - ends[-1] <= PIN_CONTEXT:
                    self.hit(path, m.start(), self.s.pins[pin], view + ", after a PIN word")
                    break

    def search_hex(self, path, data):
        """Rule (c): a card secret in an APDU's data field, or a hex token that is exactly one."""
        decoded_runs = []
        for m in HEX_RUN.finditer(data):
            digits = re.sub(rb"[ :]", b"", m.group())
            if len(digits) % 2:
                digits = digits[:-1]
            decoded_runs.append((m.start(), bytes.fromhex(digits.decode())))
        for start, run in decoded_runs:
            for secret, labels in self.s.card_secrets.items():
                if run == secret:
                    self.hit(path, start, labels, "hex token")
                    continue
                i = run.find(secret)
                if i < 0:
                    continue
                # APDU: CLA INS P1 P2 Lc data; VERIFY (20) / CHANGE REFERENCE DATA (24).
                if len(run) >= 5 and run[1] in (0x20, 0x24) and (run[0] & 0xF0) in (0x00, 0x80):
                    self.hit(path, start, labels, "hex APDU data")
                elif secret in self.s.digits or len(secret) >= 12:
                    self.hit(path, start, labels, "hex")
        view = b"\x00".join(run for _, run in decoded_runs)
        if view:
            for needle, labels in self.s.needles.items():
                i = view.find(needle)
                if i >= 0:
                    self.hit(path, i, labels, "hex-decoded")
            self.search_digits(path, view, "hex-decoded")

    def search_bytes(self, path, data, binary_program=False):
        self.scanned += 1
        data = mask_certificates(data, self.s.certificates)
        self.search_text(path, data, "raw")
        if binary_program:
            return
        for view, text in utf16_views(data):
            self.search_text(path, text, view)
        folded = fold_fullwidth(data)
        if folded is not None:
            self.search_text(path, folded, "full-width digits")
        unescaped = unescaped_view(data)
        if unescaped is not None:
            self.search_text(path, unescaped, "escapes decoded")
        self.search_hex(path, data)
        decoded = mask_certificates(base64_view(data), self.s.certificates)
        if decoded:
            self.search_text(path, decoded, "base64-decoded")

    def search_file(self, path, rel):
        reason = allowed_reason(rel, path, self.s)
        if reason:
            self.allowed.append((path, reason))
            return
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            self.notes.append(f"unreadable: {path}: {e.strerror}")
            return
        # A program or library (what a build makes; a test may copy or
        # install one): its string literals only, in the raw view.
        self.search_bytes(path, data, binary_program=is_program(data[:18]))
        for label, inner in expansions(path, data, self.notes):
            self.search_bytes(f"{path}!{label}", inner)


def expansions(path, data, notes):
    """Content a program reads out of the file: compressed, archived, database, journal."""
    try:
        if data[:2] == b"\x1f\x8b":
            yield "gunzip", gzip.decompress(data)
        elif data[:6] == b"\xfd7zXZ\x00":
            yield "unxz", lzma.decompress(data)
        elif data[:3] == b"BZh":
            yield "bunzip2", bz2.decompress(data)
        elif data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for n in z.namelist():
                    yield f"zip:{n}", z.read(n)
    except (OSError, EOFError, ValueError, lzma.LZMAError, zipfile.BadZipFile) as e:
        notes.append(f"could not expand {path}: {e}")
    if data[:16] == b"SQLite format 3\x00":
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
            try:
                yield "sqlite dump", "\n".join(con.iterdump()).encode("utf-8", "surrogatepass")
            finally:
                con.close()
        except sqlite3.Error as e:
            notes.append(f"could not dump SQLite {path}: {e}")
    if data[:8] == b"LPKSHHRH":  # systemd journal file header
        journalctl = shutil.which("journalctl")
        if journalctl:
            r = subprocess.run([journalctl, "--file", path, "-o", "export", "--no-pager"],
                               capture_output=True, check=False)
            yield "journalctl --file", r.stdout
        else:
            notes.append(f"journal file {path} scanned raw only (no journalctl)")


def allowed_reason(rel, path, secrets):
    directory = os.path.dirname(os.path.abspath(path))
    if directory in secrets.profile_files and os.path.basename(path) in secrets.profile_files[directory]:
        return "a software card profile (the test card itself)"
    for pattern, reason in ALLOWED:
        if fnmatch.fnmatch("/" + rel, pattern):
            return reason
    return None


def core_pattern():
    try:
        with open("/proc/sys/kernel/core_pattern", encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "core"


def journal_since(since):
    """The system journal's entries since the run started, when a journald receives them."""
    journalctl = shutil.which("journalctl")
    if since is None or not journalctl or not os.path.exists(JOURNAL_SOCKET):
        return None
    r = subprocess.run([journalctl, "--since", f"@{int(since)}", "-o", "export", "--no-pager"],
                       capture_output=True, check=False)
    return r.stdout


def head(path, n):
    try:
        with open(path, "rb") as f:
            return f.read(n)
    except OSError:
        return b""


def is_program(start):
    """An ELF file that is no core dump, or a static library: what a build makes."""
    return start[:4] == b"\x7fELF" and not is_core_header(start) or start[:8] == b"!<arch>\n"


def is_core_header(start):
    return start[:4] == b"\x7fELF" and int.from_bytes(start[16:18], "little") == ELF_CORE


def is_core(path):
    return is_core_header(head(path, 18))


def walk(top):
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for n in sorted(filenames):
            p = os.path.join(dirpath, n)
            if os.path.isfile(p) and not os.path.islink(p):
                yield p


def collect_profiles(secrets, trees):
    for tree in trees:
        for p in walk(tree):
            if os.path.basename(p) == "profile.json" and secrets.add_profile(p):
                d = os.path.dirname(os.path.abspath(p))
                with open(p, encoding="utf-8") as f:
                    files = json.load(f).get("files", {})
                secrets.profile_files[d] = {"profile.json", *files.values()}


_worker_scanner = None


def _search_one(task):
    """One file, in a worker process: what it found (the Scanner's lists)."""
    sc = _worker_scanner
    sc.findings, sc.allowed, sc.notes, sc.scanned = [], [], [], 0
    sc.search_file(*task)
    return sc.findings, sc.allowed, sc.notes, sc.scanned


def search_all(scanner, tasks):
    """Searches every file of tasks, on every CPU (the largest files first,
    so that none is left to one worker at the end); the results are the same
    as one process's, in the same order."""
    global _worker_scanner
    _worker_scanner = scanner
    order = sorted(range(len(tasks)), key=lambda i: -os.path.getsize(tasks[i][0])
                   if os.path.isfile(tasks[i][0]) else 0)
    results = [None] * len(tasks)
    workers = min(os.cpu_count() or 1, 8)
    if workers > 1 and len(tasks) > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for i, result in zip(order, pool.imap(_search_one, [tasks[i] for i in order])):
                results[i] = result
    else:
        for i in order:
            results[i] = _search_one(tasks[i])
    findings, allowed, notes, scanned = [], [], [], 0
    for f, a, n, c in results:
        findings += f
        allowed += a
        notes += n
        scanned += c
    scanner.findings, scanner.allowed, scanner.notes, scanner.scanned = \
        findings, allowed, notes, scanned


def run(args):
    secrets = Secrets()
    collect_profiles(secrets, args.profiles + args.scan)
    if secrets.empty():
        print("secrets-scan: no card profile with a holder and PINs found: nothing to search for",
              file=sys.stderr)
        return 2
    scanner = Scanner(secrets)
    since = os.stat(args.since).st_mtime if args.since else None
    seen = set()
    tasks = []  # (path, path relative to its tree), searched below
    for tree in args.scan:
        for p in walk(tree):
            seen.add(os.path.abspath(p))
            tasks.append((p, os.path.relpath(p, tree)))
    cores = []
    changed_under = list(args.changed_under)
    pattern = core_pattern()
    if pattern.startswith("|") and "systemd-coredump" in pattern:
        changed_under.append("/var/lib/systemd/coredump")
    elif pattern.startswith("/"):
        changed_under.append(os.path.dirname(pattern))
    for tree in changed_under:
        for p in walk(tree):
            a = os.path.abspath(p)
            if a in seen:
                continue
            core = (re.fullmatch(r"(vg)?core(\.[0-9]+)?", os.path.basename(p)) or
                    os.path.basename(p).endswith(".core")) and is_core(p)
            if core:
                cores.append(p)
            # A build tree's changed files, except what a build makes (objects,
            # programs, CMake's own files: a build after the start, e.g. the
            # clang build of scripts/test, is no test output).
            changed = (since is not None and os.stat(p).st_mtime > since and
                       "/CMakeFiles/" not in a and not is_program(head(p, 18)))
            if core or changed:
                seen.add(a)
                tasks.append((p, os.path.relpath(p, tree)))
    search_all(scanner, tasks)
    journal = journal_since(since)
    if journal is not None:
        scanner.search_bytes("journalctl --since", journal)
    print(f"secrets-scan: {len(secrets.profiles)} card profiles, "
          f"{scanner.scanned} files searched, {len(scanner.allowed)} in allowed places, "
          f"{len(cores)} core files (core_pattern {pattern!r}), "
          f"system journal {'searched' if journal is not None else 'absent (no journald socket)'}")
    for note in scanner.notes:
        print(f"note: {note}")
    if args.verbose:
        for path, reason in scanner.allowed:
            print(f"allowed: {path}: {reason}")
    if not scanner.findings:
        print("secrets-scan: no secret of the test cards found outside the allowed places")
        return 0
    # One line per file and kind of secret: the first offset, the profiles
    # whose value it is, the views it was found in.
    leaks = {}
    for path, offset, label, view in scanner.findings:
        kind, _, profile = label.partition(" (")
        entry = leaks.setdefault((path, kind), [offset, set(), set()])
        entry[0] = min(entry[0], offset)
        entry[1].add(profile.rstrip(")"))
        entry[2].add(view)
    for (path, kind), (offset, profiles, views) in sorted(leaks.items()):
        print(f"LEAK: {path} @{offset}: {kind} of {', '.join(sorted(profiles))} "
              f"[{'; '.join(sorted(views))}]")
    print(f"secrets-scan: {len(leaks)} leaks")
    return 1


def self_test():
    """Plants each kind of secret in a temporary tree and expects the scan to find it."""
    failures = 0
    with tempfile.TemporaryDirectory(prefix="secrets-scan-") as tmp:
        card = os.path.join(tmp, "card")
        os.makedirs(card)
        profile = {
            "format": 1, "name": "planted", "files": {"name_png": "name.png", "sign_cert": "sign.der"},
            "holder": {"name": "試験　一郎", "birth_date": "19800217", "my_number": "271828182845",
                       "security_code": "5092"},
            "secrets": {"auth": {"value": "4711"}, "sign": {"value": "QX7K2Z"},
                        "text": {"value": "4711"}, "face_b": {"value": "55021720365092"},
                        "face_birth": {"value": "550217"}},
        }
        with open(os.path.join(card, "profile.json"), "w", encoding="utf-8") as f:
            json.dump(profile, f, ensure_ascii=False)
        name = "試験　一郎"
        # A stand-in for the signature certificate: it carries name and birth date.
        cert = b"\x30\x82\x01\x00" + name.encode() + b"19800217" + bytes(range(64))
        with open(os.path.join(card, "sign.der"), "wb") as f:
            f.write(cert)
        leaks = {
            "my_number_base64.json": b'{"d": "' + base64.b64encode(b"number=271828182845;") + b'"}',
            "my_number.log": b"holder 271828182845 read\n",
            "my_number_spaced.txt": "番号: 2718 2818 2845".encode(),
            "my_number_fullwidth.txt": "２７１８２８１８２８４５".encode(),
            "my_number_utf16.bin": "x271828182845y".encode("utf-16-le"),
            "name_utf8.txt": name.encode(),
            "name_nospace.txt": "試験一郎".encode(),
            "name_sjis.csv": name.encode("cp932"),
            "name_eucjp.txt": name.encode("euc_jp"),
            "name_utf16be.bin": name.encode("utf-16-be"),
            "name_json.json": json.dumps({"n": name}).encode(),  # \\u escapes
            "name_hex.trace": name.encode().hex().upper().encode(),
            "name_xml.xml": b"<n>&#x8A66;&#x9A13;&#x3000;&#x4E00;&#x90CE;</n>",
            "birth_iso.txt": b"born 1980-02-17.",
            "birth_digits.txt": b"dob=19800217",
            "birth_wareki.txt": "昭和55年2月17日生".encode(),
            "birth_era_short.txt": b"S55.02.17",
            "birth_key.txt": b"key 550217 end",
            "pin_arg.log": b"+ pkcs11-tool --login --pin 4711 --sign\n",
            "pin_env.txt": b"MYNACARD_TEST_PIN=4711\n",
            "pin_apdu.log": b"> 00 20 00 81 04 34 37 31 31\n",
            "pin_apdu_lower.log": b"cmd=0020008104" + b"4711".hex().encode() + b"\n",
            "pin_hex_token.txt": b"data " + b"4711".hex().upper().encode() + b" end",
            "sign_pin.txt": b"changed to QX7K2Z ok",
            "code_b.txt": b"55021720365092",
            "code_b_verify.log": b"00200081 0E " + b"55021720365092".hex().encode(),
            "core": b"\x7fELF" + bytes(12) + b"\x04\x00" + b"PIN 4711",
            "nested/deep/out.gz": gzip.compress(b"my number 271828182845"),
            "journal.xz": lzma.compress(name.encode()),
        }
        clean = {
            "port.txt": b"listening on port 4711\n",  # a PIN-like number, no PIN word
            "hash.txt": b"sha256 9f8e7d6c5b4a39281706f5e4d3c2b1a0\n",
            "other_number.txt": b"271828182846\n",
            "birth_key_inside.txt": b"id 9550217 and abc550217x",
            "exported-info.json": json.dumps({"name": name, "my_number": "271828182845"}).encode(),
            "terminal/res/answer.xml": name.encode(),
            "signature.p7s": b"\x30\x80" + cert + b"\x00\x00",  # a copy of the certificate
            "cert.pem": b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(cert) + b"-----END CERTIFICATE-----\n",
        }
        tree = os.path.join(tmp, "out")
        for files in (leaks, clean):
            for rel, data in files.items():
                p = os.path.join(tree, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "wb") as f:
                    f.write(data)
        with open(os.path.join(card, "name.png"), "wb") as f:
            f.write(name.encode())
        secrets = Secrets()
        collect_profiles(secrets, [card, tree])
        scanner = Scanner(secrets)
        for p in walk(tree):
            scanner.search_file(p, os.path.relpath(p, tree))
        for p in walk(card):
            scanner.search_file(p, os.path.relpath(p, card))
        found = {os.path.relpath(f[0].split("!")[0], tree) for f in scanner.findings}
        for rel in leaks:
            if rel not in found:
                print(f"FAIL: planted secret in {rel} not found")
                failures += 1
        for rel in clean:
            if rel in found:
                labels = sorted({f[2] for f in scanner.findings if f[0].endswith(rel)})
                print(f"FAIL: false finding in {rel}: {labels}")
                failures += 1
        if any(os.path.abspath(f[0]).startswith(os.path.abspath(card)) for f in scanner.findings):
            print("FAIL: the profile itself was reported")
            failures += 1
        # The whole program: exit 1 on the planted tree, 0 on the clean part alone,
        # 2 with no profile to take secrets from.
        for rel in leaks:
            os.remove(os.path.join(tree, rel))
        argv = [sys.executable, os.path.abspath(__file__), "--profiles", card]
        rc_clean = subprocess.run(argv + ["--scan", tree], capture_output=True, check=False).returncode
        with open(os.path.join(tree, "late.log"), "wb") as f:
            f.write(b"ok: read My Number 271828182845\n")
        r = subprocess.run(argv + ["--scan", tree], capture_output=True, check=False)
        rc_none = subprocess.run([sys.executable, os.path.abspath(__file__), "--scan", os.path.join(tree, "terminal")],
                                 capture_output=True, check=False).returncode
        for what, got, want in (("clean tree", rc_clean, 0), ("planted tree", r.returncode, 1),
                                ("no profiles", rc_none, 2)):
            if got != want:
                print(f"FAIL: {what}: exit {got}, expected {want}")
                failures += 1
        if b"271828182845" in r.stdout + r.stderr:
            print("FAIL: the scan printed the secret it found")
            failures += 1
    if failures:
        print(f"self-test: {failures} failures")
        return 1
    print(f"ok: self-test: {len(leaks)} planted secrets found, {len(clean)} clean or allowed files passed")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profiles", action="append", default=[], metavar="DIR",
                    help="a tree of card profiles (profile.json) to take the secrets from")
    ap.add_argument("--scan", action="append", default=[], metavar="DIR",
                    help="a tree to search, every file")
    ap.add_argument("--changed-under", action="append", default=[], metavar="DIR",
                    help="a tree whose files modified after --since (and core files) are searched")
    ap.add_argument("--since", metavar="FILE", help="a file whose mtime marks the start of the run")
    ap.add_argument("--from-env", action="store_true",
                    help="scan $MYNACARD_TEST_OUTPUT (set by scripts/test); skip (77) without it")
    ap.add_argument("--self-test", action="store_true", help="plant secrets and expect them found")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the files in allowed places")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if args.from_env:
        out = os.environ.get("MYNACARD_TEST_OUTPUT", "")
        if not out or not os.path.isdir(out):
            print("SKIP: no MYNACARD_TEST_OUTPUT: run through scripts/test (the suite's output)")
            return 77
        args.scan.append(out)
        # Build trees whose changed files and core files are searched too.
        args.changed_under += [d for d in os.environ.get("MYNACARD_SCAN_CHANGED_UNDER", "").split(":")
                               if d and os.path.isdir(d)]
        stamp = os.path.join(out, "started")
        if not args.since and os.path.exists(stamp):
            args.since = stamp
    if not args.scan:
        ap.error("nothing to scan (--scan DIR or --from-env)")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
