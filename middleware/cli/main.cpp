// mynacard: the My Number Card from the command line. See docs/cli.md for
// every command, the --json keys and the exit codes.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "card/card.h"
#include "card/facts.h"
#include "cli/messages.h"
#include "cli/pin_input.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/paths.h"
#include "core/unique_fd.h"
#include "pcsc/pcsc.h"
#include "pinhelper/pinhelper.h"
#include "x509/x509.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace mynacard::cli {
namespace {

// Exit codes (docs/cli.md). Scripts rely on them: never renumber.
enum Exit : int {
    exit_ok = 0,
    exit_error = 1,
    exit_usage = 2,
    exit_no_card = 3,
    exit_pin_incorrect = 4,
    exit_pin_blocked = 5,
    exit_pin_format = 6,
    exit_card_gone = 7,
    exit_verify_failed = 8,
    exit_cancelled = 9,
    exit_malformed = 10,
};

struct Options {
    std::string reader;
    bool json_output = false;
    bool pin_stdin = false;
    bool pin_dialog = false;  // every PIN through mynacard-helper's dialog (docs/pin-helper.md)
    bool confirm_last_try = false;
    std::string audit_log;
    // command arguments
    std::string which;  // cert kind / key / pin
    bool pem = false;
    std::string out;
    std::string in;
    std::string signature;
    std::string hash = "sha256";
    std::string trust;
    bool show_my_number = false;
    bool verify_log = false;
    std::string code = "a";
    std::string ap_ca;
    int watch_events = 0;
    int watch_seconds = 0;
};

bool g_json = false;
// The PIN of the operation under way, so a blocked-PIN message names it.
std::optional<card::Pin> g_pin;

void print_json(const json& j) {
    std::cout << j.dump(2) << '\n';
}

void progress(Msg id) {
    // Only for a person watching a terminal; never pollutes --json output.
    if (!g_json && ::isatty(STDERR_FILENO)) std::cerr << text(id) << '\n';
}

card::Certificate parse_cert_kind(const std::string& s) {
    if (s == "auth") return card::Certificate::auth;
    if (s == "sign") return card::Certificate::sign;
    if (s == "auth-ca") return card::Certificate::auth_ca;
    if (s == "sign-ca") return card::Certificate::sign_ca;
    throw Error(Errc::invalid_argument, "certificate must be auth, sign, auth-ca or sign-ca");
}

card::Pin parse_pin(const std::string& s) {
    if (s == "auth") return card::Pin::auth;
    if (s == "sign") return card::Pin::sign;
    if (s == "text") return card::Pin::text;
    throw Error(Errc::invalid_argument, "PIN must be auth, sign or text");
}

Msg enter_prompt(card::Pin pin) {
    switch (pin) {
        case card::Pin::auth:
            return Msg::enter_pin_auth;
        case card::Pin::sign:
            return Msg::enter_pin_sign;
        case card::Pin::text:
            return Msg::enter_pin_text;
    }
    return Msg::enter_pin_auth;
}

std::string iso_time(x509::TimePoint t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

card::Language language() noexcept {
    return japanese() ? card::Language::ja : card::Language::en;
}

// The holder's birth date and sex as the card face prints them, in the
// user's language (card/facts.h); a birth date that is not one is shown as
// the card holds it. The caller wipes the result: it is personal data.
std::string birth_date_shown(const std::string& yyyymmdd) {
    return card::birth_date_text(yyyymmdd, language()).value_or(yyyymmdd);
}
std::string_view sex_shown(std::string_view code) {
    return card::sex_text(code, language());
}

// Wipes every string of a JSON value that held personal data.
void wipe_json(json& j) noexcept {
    if (j.is_string()) {
        wipe(j.get_ref<std::string&>());
    } else if (j.is_structured()) {
        for (auto& v : j) wipe_json(v);
    }
}

Bytes read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(Errc::io, "cannot read " + path);
    return Bytes(std::istreambuf_iterator<char>(f), {});
}

// Every file a command reads is checked before the card is touched: a
// missing or unreadable file is the user's mistake, reported as one (exit 2)
// before any PC/SC call, rather than after a PIN was asked or as "pcscd is
// not running" (docs/cli.md). The file is read again later; this only makes
// the common mistake cheap and clear.
void check_input(const std::string& path, std::string_view option, bool directory_ok = false) {
    if (path.empty()) return;
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0)
        throw Error(Errc::invalid_argument,
                    std::string(option) + ": cannot read " + path + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode) && !directory_ok)
        throw Error(Errc::invalid_argument,
                    std::string(option) + ": " + path + " is a directory, not a file");
}

// Everything the CLI writes is the holder's: certificates (the signature
// certificate names the holder), signatures (they carry it), card-face
// images. Created new, mode 0600, never through a symbolic link and never
// over an existing file, so a file or link someone else planted is neither
// overwritten nor followed (docs/cli.md, "Files the CLI writes").
void write_file(const std::string& path, ByteView data) {
    const UniqueFd fd(
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        if (errno == EEXIST || errno == ELOOP)
            throw Error(Errc::io,
                        path + " already exists (or is a symbolic link): not overwritten");
        throw Error(Errc::io, "cannot create " + path + ": " + std::strerror(errno));
    }
    const auto fail = [&](int err) {
        // The file is ours (O_EXCL): no half file is left behind.
        ::unlink(path.c_str());
        throw Error(Errc::io, "cannot write " + path + ": " + std::strerror(err));
    };
    ByteView rest = data;
    while (!rest.empty()) {
        const ssize_t n = ::write(fd.get(), rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(errno);
        }
        rest = rest.subspan(static_cast<std::size_t>(n));
    }
    if (::fsync(fd.get()) != 0) fail(errno);
}

// Keeps this process out of core dumps and out of reach of other processes
// of the same user (ptrace, /proc/<pid>/mem) while it may hold a PIN or the
// holder's personal data. Set at the start of every command that talks to
// the card: any of them may ask a PIN or read personal data, and a rule
// that simple is one nobody forgets to apply to a new command.
void protect_secrets() {
    (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

// Asks for a PIN the way decision 5 wants: tries left read first and shown,
// the last try confirmed explicitly. Returns the PIN and the options for the
// card operation.
struct AskedPin {
    SecureBytes value;
    card::PinOptions options;
};

// The PIN through `mynacard-helper pin` (decision 9): the dialog shows the
// tries left read here, refuses malformed PINs and asks for confirmation on
// the last try itself.
AskedPin ask_pin_dialog(Session& s, const Options& o, card::Pin pin, pinhelper::Purpose purpose,
                        pinhelper::Entry entry = pinhelper::Entry::current) {
    AskedPin a;
    pinhelper::Request r;
    r.pin = pin;
    r.purpose = purpose;
    r.entry = entry;
    r.program = own_executable();
    r.pid = static_cast<long>(::getpid());
    r.reader = s.reader();
    // A new PIN has no counter yet: the tries belong to the current one.
    if (entry == pinhelper::Entry::current) r.tries_left = s.card().tries_left(pin);
    SecureBytes typed;
    try {
        // The dialog names this process from /proc/<pid>/exe, which a
        // non-dumpable process does not let it read. Before the first PIN
        // of a command nothing secret is held yet, so the process is
        // dumpable exactly while that dialog is open; once a PIN is held
        // (the new PIN of a change) it stays protected and the dialog says
        // it cannot verify the name (docs/pin-helper.md).
        const bool holds_nothing_yet = entry == pinhelper::Entry::current;
        if (holds_nothing_yet) (void)::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        struct Protect {
            ~Protect() { protect_secrets(); }
        } const protect;
        typed = pinhelper::ask(r);
    } catch (const Error& e) {
        // The dialog's time-out is the user not answering: nothing was tried.
        if (e.code() == Errc::timeout) throw Error(Errc::cancelled, e.what());
        throw;
    }
    a.value = card::normalise_pin(
        pin, std::string_view(reinterpret_cast<const char*>(typed.data()), typed.size()));
    card::check_pin_format(card::CardProfile::my_number_card(), pin, a.value);
    // On the last try the dialog only answers once the user ticked the
    // confirmation.
    a.options.confirm_last_try = o.confirm_last_try || r.tries_left == 1;
    return a;
}

AskedPin ask_pin(Session& s, PinInput& input, const Options& o, card::Pin pin,
                 pinhelper::Purpose purpose) {
    g_pin = pin;
    if (o.pin_dialog) return ask_pin_dialog(s, o, pin, purpose);
    AskedPin a;
    int tries = -1;
    if (!o.pin_stdin) {
        // Shown before asking. With --pin-stdin nothing is shown, and the card
        // layer reads the counter again right before VERIFY anyway.
        tries = s.card().tries_left(pin);
        if (tries == 0) throw Error(Errc::pin_blocked, "blocked", 0);
    }
    const std::string prompt = format(enter_prompt(pin), {tries < 0 ? "?" : std::to_string(tries)});
    SecureBytes typed = input.read(prompt);
    a.value = card::normalise_pin(
        pin, std::string_view(reinterpret_cast<const char*>(typed.data()), typed.size()));
    card::check_pin_format(card::CardProfile::my_number_card(), pin, a.value);
    a.options.confirm_last_try = o.confirm_last_try;
    if (tries == 1 && !o.confirm_last_try)
        a.options.confirm_last_try = input.confirm(text(Msg::last_try_prompt), false);
    return a;
}

// The audit log names keys only as auth / sign / text: the CA certificates
// and the 券面AP codes belong to no PIN-protected key.
std::string audit_key(card::Certificate kind) {
    if (kind == card::Certificate::auth) return "auth";
    if (kind == card::Certificate::sign) return "sign";
    return "";
}

std::string serial_hash_of(const Bytes& der) {
    return audit::serial_hash(x509::Certificate::from_der(der).serial());
}

json cert_json(const x509::Certificate& c) {
    json j{{"subject", c.subject()},
           {"issuer", c.issuer()},
           {"serial", to_hex(c.serial())},
           {"not_before", iso_time(c.not_before())},
           {"not_after", iso_time(c.not_after())},
           {"sha256_fingerprint", to_hex(c.sha256_fingerprint())}};
    if (auto a = x509::jpki_attributes(c)) {
        j["holder"] = {{"name", a->name},
                       {"address", a->address},
                       {"birth_date", a->birth_date},
                       {"sex", a->sex}};
    }
    return j;
}

void print_cert_human(const std::string& kind, const x509::Certificate& c) {
    std::cout << kind << '\n'
              << "  subject:    " << c.subject() << '\n'
              << "  issuer:     " << c.issuer() << '\n'
              << "  serial:     " << to_hex(c.serial()) << '\n'
              << "  valid:      " << iso_time(c.not_before()) << " – " << iso_time(c.not_after())
              << '\n';
    if (auto a = x509::jpki_attributes(c)) {
        std::string birth = birth_date_shown(a->birth_date);
        std::cout << "  name:       " << a->name << '\n'
                  << "  address:    " << a->address << '\n'
                  << "  birth date: " << birth << '\n'
                  << "  sex:        " << sex_shown(a->sex) << '\n';
        wipe(birth);
    }
}

// Reads one certificate, the sign certificate with its password.
Bytes read_cert(Session& s, PinInput& input, const Options& o, card::Certificate kind) {
    if (kind != card::Certificate::sign) {
        Bytes der;
        try {
            der = s.card().read_certificate(kind);
        } catch (const Error& e) {
            s.record(audit::Operation::read_certificate, audit::result_of(e.code()),
                     audit_key(kind));
            throw;
        }
        s.record(audit::Operation::read_certificate, audit::Result::ok, audit_key(kind),
                 serial_hash_of(der));
        return der;
    }
    auto pin = ask_pin(s, input, o, card::Pin::sign, pinhelper::Purpose::read_certificate);
    Bytes der;
    try {
        der = s.card().read_sign_certificate(pin.value, pin.options);
    } catch (const Error& e) {
        s.record(audit::Operation::read_sign_certificate, audit::result_of(e.code()), "sign");
        throw;
    }
    s.record(audit::Operation::read_sign_certificate, audit::Result::ok, "sign",
             serial_hash_of(der));
    return der;
}

// ------------------------------------------------------------ commands

int cmd_readers(const Options&) {
    pcsc::Context ctx;
    const auto states = ctx.states();
    if (g_json) {
        json readers = json::array();
        for (const auto& r : states)
            readers.push_back(
                {{"name", r.name}, {"card_present", r.present}, {"atr", to_hex(r.atr)}});
        print_json({{"readers", readers}});
    } else {
        if (states.empty()) std::cout << text(Msg::no_reader) << '\n';
        for (const auto& r : states)
            std::cout << (r.present ? "[card] " : "[    ] ") << r.name << '\n';
    }
    return exit_ok;
}

int cmd_status(Session& s) {
    card::MyNumberCard::Status st;
    try {
        st = s.card().status();
    } catch (const Error& e) {
        s.record(audit::Operation::pin_status, audit::result_of(e.code()));
        throw;
    }
    s.record(audit::Operation::pin_status, audit::Result::ok);
    auto opt = [](const std::optional<int>& v) { return v ? json(*v) : json(nullptr); };
    if (g_json) {
        print_json({{"reader", s.reader()},
                    {"applications",
                     {{"jpki", st.applications.jpki},
                      {"text", st.applications.text},
                      {"face", st.applications.face}}},
                    {"tries_left",
                     {{"auth", opt(st.auth)}, {"sign", opt(st.sign)}, {"text", opt(st.text)}}}});
        return exit_ok;
    }
    auto yes = [](bool b) { return b ? "yes" : "no"; };
    auto tries = [](const std::optional<int>& v) {
        if (!v) return std::string("-");
        return *v == 0 ? std::string("BLOCKED") : format(Msg::tries_left, {std::to_string(*v)});
    };
    std::cout << "reader: " << s.reader() << '\n'
              << "JPKI: " << yes(st.applications.jpki)
              << "  券面事項入力補助AP: " << yes(st.applications.text)
              << "  券面AP: " << yes(st.applications.face) << '\n'
              << "auth PIN: " << tries(st.auth) << '\n'
              << "sign PIN: " << tries(st.sign) << '\n'
              << "text PIN: " << tries(st.text) << '\n';
    return exit_ok;
}

int cmd_cert_list(Session& s, PinInput& input, const Options& o) {
    json all = json::object();
    for (auto kind :
         {card::Certificate::auth, card::Certificate::auth_ca, card::Certificate::sign_ca}) {
        const auto cert = x509::Certificate::from_der(read_cert(s, input, o, kind));
        const std::string name = kind == card::Certificate::auth      ? "auth"
                                 : kind == card::Certificate::auth_ca ? "auth-ca"
                                                                      : "sign-ca";
        if (g_json)
            all[name] = cert_json(cert);
        else
            print_cert_human(name, cert);
    }
    if (g_json) {
        all["sign"] = {{"protected", true}};
        print_json(all);
    } else {
        std::cout
            << "sign\n  (protected by the digital-signature password: mynacard cert show sign)\n";
    }
    return exit_ok;
}

int cmd_cert_show(Session& s, PinInput& input, const Options& o) {
    const auto cert = x509::Certificate::from_der(read_cert(s, input, o, parse_cert_kind(o.which)));
    if (g_json)
        print_json(cert_json(cert));
    else
        print_cert_human(o.which, cert);
    return exit_ok;
}

int cmd_cert_export(Session& s, PinInput& input, const Options& o) {
    const Bytes der = read_cert(s, input, o, parse_cert_kind(o.which));
    Bytes out = der;
    if (o.pem) {
        const auto pem = x509::Certificate::from_der(der).pem();
        out.assign(pem.begin(), pem.end());
    }
    if (o.out.empty()) {
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else {
        write_file(o.out, out);
        s.record(audit::Operation::export_certificate, audit::Result::ok,
                 audit_key(parse_cert_kind(o.which)), serial_hash_of(der));
    }
    return exit_ok;
}

int cmd_verify_chain(Session& s, PinInput& input, const Options& o) {
    if (o.trust.empty())
        throw Error(Errc::invalid_argument, std::string(text(Msg::no_trust_anchors)));
    const auto leaf = x509::Certificate::from_der(read_cert(s, input, o, parse_cert_kind(o.which)));
    const auto r = x509::verify_chain(leaf, {}, o.trust, std::chrono::system_clock::now());
    if (g_json)
        print_json({{"certificate", o.which}, {"valid", r.ok}, {"error", r.error}});
    else
        std::cout << (r.ok ? format(Msg::chain_ok, {leaf.subject()})
                           : format(Msg::chain_failed, {r.error}))
                  << '\n';
    return r.ok ? exit_ok : exit_verify_failed;
}

int cmd_sign(Session& s, PinInput& input, const Options& o) {
    const bool sign_key = o.which == "sign";
    if (!sign_key && o.which != "auth")
        throw Error(Errc::invalid_argument, "--key must be auth or sign");
    const auto hash = x509::parse_hash(o.hash);
    const Bytes content = read_file(o.in);
    const card::Key key = sign_key ? card::Key::sign : card::Key::auth;
    const card::Pin pin_id = sign_key ? card::Pin::sign : card::Pin::auth;

    Bytes cert_der;
    AskedPin pin;
    if (sign_key) {
        pin = ask_pin(s, input, o, pin_id, pinhelper::Purpose::sign);
        try {
            cert_der = s.card().read_sign_certificate(pin.value, pin.options);
        } catch (const Error& e) {
            s.record(audit::Operation::read_sign_certificate, audit::result_of(e.code()), "sign");
            throw;
        }
        s.record(audit::Operation::read_sign_certificate, audit::Result::ok, "sign",
                 serial_hash_of(cert_der));
        pin.options.confirm_last_try = true;  // the PIN just verified: the counter is full
    } else {
        // PIN first: a malformed one is refused before any APDU.
        pin = ask_pin(s, input, o, pin_id, pinhelper::Purpose::sign);
        cert_der = read_cert(s, input, o, card::Certificate::auth);
    }
    const auto cert = x509::Certificate::from_der(cert_der);
    const std::string serial = audit::serial_hash(cert.serial());
    progress(Msg::signing);
    Bytes cms;
    try {
        cms = x509::cms_sign_detached(
            content, cert, hash,
            [&](ByteView digest_info) {
                return s.card().sign(key, pin.value, digest_info, pin.options);
            },
            std::chrono::system_clock::now());
    } catch (const Error& e) {
        s.record(audit::Operation::sign, audit::result_of(e.code()), o.which, serial);
        throw;
    }
    s.record(audit::Operation::sign, audit::Result::ok, o.which, serial);
    write_file(o.out, cms);
    if (g_json)
        print_json(
            {{"signature", o.out}, {"key", o.which}, {"hash", o.hash}, {"signer", cert.subject()}});
    return exit_ok;
}

int cmd_verify(const Options& o, Session* s, PinInput& input) {
    const Bytes content = read_file(o.in);
    const Bytes cms = read_file(o.signature);
    x509::CmsVerifyResult r;
    if (!o.trust.empty()) {
        r = x509::cms_verify_detached(content, cms, fs::path(o.trust));
    } else {
        // Checking one's own signature: the CA certificates on the card are
        // the anchors (the card is the user's own trust source here). Held in
        // memory only: no file another user could plant beside them or swap.
        if (s == nullptr)
            throw Error(Errc::invalid_argument, std::string(text(Msg::no_trust_anchors)));
        std::vector<x509::Certificate> anchors;
        for (auto kind : {card::Certificate::auth_ca, card::Certificate::sign_ca})
            anchors.push_back(x509::Certificate::from_der(read_cert(*s, input, o, kind)));
        r = x509::cms_verify_detached(content, cms, anchors);
    }
    const std::string signer = r.signer ? r.signer->subject() : "";
    const std::string when = r.signing_time ? iso_time(*r.signing_time) : "";
    if (g_json)
        print_json(
            {{"valid", r.ok}, {"signer", signer}, {"signing_time", when}, {"error", r.error}});
    else
        std::cout << (r.ok ? format(Msg::verify_ok, {signer, when})
                           : format(Msg::verify_failed, {r.error}))
                  << '\n';
    return r.ok ? exit_ok : exit_verify_failed;
}

int cmd_pin_change(Session& s, PinInput& input, const Options& o) {
    const card::Pin pin_id = parse_pin(o.which);
    auto current = ask_pin(s, input, o, pin_id, pinhelper::Purpose::change_pin);
    // The new PIN twice, from where the current one came: the dialog (which
    // says "new" and "again" and checks the format itself) or the terminal.
    const auto new_pin = [&](pinhelper::Entry entry, Msg prompt) {
        if (o.pin_dialog)
            return ask_pin_dialog(s, o, pin_id, pinhelper::Purpose::change_pin, entry).value;
        SecureBytes typed = input.read(text(prompt));
        return card::normalise_pin(
            pin_id, std::string_view(reinterpret_cast<const char*>(typed.data()), typed.size()));
    };
    SecureBytes next = new_pin(pinhelper::Entry::new_pin, Msg::enter_new_pin);
    card::check_pin_format(card::CardProfile::my_number_card(), pin_id, next);
    SecureBytes again = new_pin(pinhelper::Entry::repeat_new, Msg::repeat_new_pin);
    if (again != next) throw Error(Errc::invalid_argument, std::string(text(Msg::new_pins_differ)));
    try {
        s.card().change_pin(pin_id, current.value, next, current.options);
    } catch (const Error& e) {
        s.record(audit::Operation::pin_change, audit::result_of(e.code()), o.which);
        throw;
    }
    s.record(audit::Operation::pin_change, audit::Result::ok, o.which);
    if (g_json)
        print_json({{"changed", o.which}});
    else
        std::cout << text(Msg::pin_changed) << '\n';
    return exit_ok;
}

int cmd_info(Session& s, PinInput& input, const Options& o) {
    auto pin = ask_pin(s, input, o, card::Pin::text, pinhelper::Purpose::read_text);
    card::TextApData d;
    try {
        d = s.card().read_text_ap(pin.value, pin.options);
    } catch (const Error& e) {
        s.record(audit::Operation::read_text_ap, audit::result_of(e.code()), "text");
        throw;
    }
    s.record(audit::Operation::read_text_ap, audit::Result::ok, "text");
    std::optional<Bytes> ca;
    if (!o.ap_ca.empty()) ca = read_file(o.ap_ca);
    const auto integrity = x509::verify_text_ap_integrity(
        d.my_number_file, d.basic_file, d.integrity_record, d.ap_certificate,
        ca ? std::optional<ByteView>(*ca) : std::nullopt);
    // The one copy of the number that is printed; every copy is wiped below.
    std::string number = o.show_my_number ? d.my_number : card::mask_my_number(d.my_number);
    if (g_json) {
        json j{{"my_number", number},
               {"my_number_masked", !o.show_my_number},
               {"name", d.basic.name},
               {"address", d.basic.address},
               {"birth_date", d.basic.birth_date},
               {"sex", d.basic.sex},
               {"integrity",
                {{"valid", integrity.ok},
                 {"error", integrity.error},
                 {"issuer_checked", ca.has_value()}}}};
        // Streamed, not dumped into a string: a growing string would leave
        // its outgrown buffers, with the number in them, in freed memory.
        std::cout << std::setw(2) << j << '\n' << std::flush;
        wipe_json(j);
    } else {
        std::cout << "My Number:  " << number;
        if (!o.show_my_number) std::cout << "  " << text(Msg::my_number_masked_hint);
        std::string birth = birth_date_shown(d.basic.birth_date);
        std::cout << '\n'
                  << "name:       " << d.basic.name << '\n'
                  << "address:    " << d.basic.address << '\n'
                  << "birth date: " << birth << '\n'
                  << "sex:        " << sex_shown(d.basic.sex) << '\n'
                  << (integrity.ok ? std::string(text(Msg::integrity_ok))
                                   : format(Msg::integrity_failed, {integrity.error}))
                  << '\n'
                  << std::flush;
        wipe(birth);
    }
    wipe(number);
    card::wipe(d);
    return integrity.ok ? exit_ok : exit_verify_failed;
}

int cmd_face(Session& s, PinInput& input, const Options& o) {
    const bool b = o.code == "b";
    if (!b && o.code != "a") throw Error(Errc::invalid_argument, "--code must be a or b");
    SecureBytes code = input.read(text(b ? Msg::enter_code_b : Msg::enter_code_a));
    card::FaceData f;
    try {
        f = s.card().read_face_ap(b ? card::FaceCode::b : card::FaceCode::a, code);
    } catch (const Error& e) {
        s.record(audit::Operation::read_face_ap, audit::result_of(e.code()), "");
        throw;
    }
    s.record(audit::Operation::read_face_ap, audit::Result::ok, "");
    // Decision 11: nothing personal is written except what the user asked for.
    // A directory made here is the holder's alone (an existing one is used as is).
    if (fs::create_directories(o.out))
        fs::permissions(o.out, fs::perms::owner_all, fs::perm_options::replace);
    const fs::path dir(o.out);
    write_file((dir / "name.png").string(), f.name_png);
    write_file((dir / "address.png").string(), f.address_png);
    write_file((dir / "photo.jp2").string(), f.photo_jp2);
    write_file((dir / "security-code.png").string(), f.security_code_png);
    if (g_json)
        print_json({{"directory", o.out},
                    {"files", {"name.png", "address.png", "photo.jp2", "security-code.png"}},
                    {"birth_date", f.birth_date},
                    {"sex", f.sex},
                    {"expiry", f.expiry}});
    else
        std::cout << o.out << ": name.png address.png photo.jp2 security-code.png\n";
    card::wipe(f);
    return exit_ok;
}

// What an audit entry's operation worked on, for the `log` listing. The log
// names keys only as auth / sign / text (audit::Event::key); the entries that
// name none still have an object: a status read covers every PIN, a CA
// certificate belongs to no key, the 券面AP has no PIN of its own, and
// consent is always about the signature certificate (docs/cli.md).
std::string_view log_object(const audit::Event& e) noexcept {
    if (!e.key.empty()) return e.key;
    switch (e.operation) {
        case audit::Operation::pin_status:
            return "pins";
        case audit::Operation::read_certificate:
        case audit::Operation::export_certificate:
            return "ca-cert";
        case audit::Operation::read_face_ap:
            return "face";
        case audit::Operation::read_text_ap:
            return "text";
        case audit::Operation::read_sign_certificate:
        case audit::Operation::consent_given:
        case audit::Operation::consent_refused:
            return "sign";
        case audit::Operation::sign:
        case audit::Operation::login:
        case audit::Operation::pin_change:
            break;
    }
    return "-";
}

int cmd_log(const Options& o) {
    audit::Log log(o.audit_log.empty() ? audit::Log::default_path() : fs::path(o.audit_log));
    if (o.verify_log) {
        const auto r = log.verify();
        if (g_json)
            print_json({{"valid", r.ok},
                        {"entries", r.entries},
                        {"first_bad_line", r.first_bad_line},
                        {"error", r.error},
                        {"torn_tail_bytes", r.torn_tail_bytes}});
        else {
            std::cout << (r.ok ? format(Msg::log_ok, {std::to_string(r.entries)})
                               : format(Msg::log_failed,
                                        {std::to_string(r.first_bad_line), r.error}))
                      << '\n';
            if (r.ok && r.torn_tail_bytes > 0)
                std::cout << format(Msg::log_torn_tail, {std::to_string(r.torn_tail_bytes)})
                          << '\n';
        }
        return r.ok ? exit_ok : exit_verify_failed;
    }
    const auto entries = log.read();
    if (g_json) {
        json arr = json::array();
        for (const auto& e : entries)
            arr.push_back({{"seq", e.seq},
                           {"time", e.time},
                           {"program", e.program},
                           {"pid", e.pid},
                           {"operation", audit::to_string(e.event.operation)},
                           {"result", audit::to_string(e.event.result)},
                           {"reader", e.event.reader},
                           {"key", e.event.key},
                           {"object", log_object(e.event)}});
        print_json({{"entries", arr}});
    } else {
        for (const auto& e : entries)
            std::cout << e.time << "  " << audit::to_string(e.event.operation) << " "
                      << log_object(e.event) << "  " << audit::to_string(e.event.result) << "  "
                      << e.program << " (pid " << e.pid << ")  " << e.event.reader << '\n';
    }
    return exit_ok;
}

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
    g_stop = 1;
}

int cmd_watch(const Options& o) {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    struct Seen {
        bool present = false;
        std::uint32_t events = 0;  // pcsc-lite's per-reader event counter
    };
    using Snapshot = std::map<std::string, Seen>;
    auto snapshot = [](const pcsc::Context& c) {
        Snapshot m;
        for (const auto& r : c.states()) m[r.name] = Seen{r.present, r.event_count};
        return m;
    };
    int events = 0;
    const auto start = std::chrono::steady_clock::now();
    auto emit = [&](const char* kind, std::optional<Msg> m, const std::string& reader) {
        if (g_json)
            std::cout << json{{"event", kind}, {"reader", reader}}.dump() << std::endl;
        else if (m)
            std::cout << format(*m, {reader}) << std::endl;
        else
            std::cout << kind << std::endl;
        ++events;
    };
    auto done = [&] {
        return g_stop || (o.watch_events > 0 && events >= o.watch_events) ||
               (o.watch_seconds > 0 &&
                std::chrono::steady_clock::now() - start > std::chrono::seconds(o.watch_seconds));
    };
    auto ctx = std::make_unique<pcsc::Context>();
    Snapshot known = snapshot(*ctx);
    if (g_json)
        std::cout << json{{"event", "ready"}, {"readers", known.size()}}.dump() << std::endl;
    (void)ctx->wait_for_change(std::chrono::milliseconds(0));
    while (!done()) {
        Snapshot now;
        try {
            if (!ctx) {
                // pcscd went away: a new context once it is back (decision 8).
                ctx = std::make_unique<pcsc::Context>();
                emit("service_restored", std::nullopt, "");
                (void)ctx->wait_for_change(std::chrono::milliseconds(0));
            } else if (!ctx->wait_for_change(std::chrono::milliseconds(500))) {
                continue;
            }
            now = snapshot(*ctx);
        } catch (const Error& e) {
            if (e.code() != Errc::service_stopped) throw;
            if (ctx) emit("service_stopped", std::nullopt, "");
            ctx.reset();
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            continue;
        }
        for (const auto& [name, seen] : now) {
            auto it = known.find(name);
            if (it == known.end()) {
                emit("reader_added", Msg::watch_reader_added, name);
                if (seen.present) emit("inserted", Msg::watch_inserted, name);
                continue;
            }
            // A removal and re-insertion between two looks shows only in the
            // event counter: report both.
            const bool swapped =
                seen.present && it->second.present && seen.events != it->second.events;
            if (it->second.present && (!seen.present || swapped))
                emit("removed", Msg::watch_removed, name);
            if (seen.present && (!it->second.present || swapped))
                emit("inserted", Msg::watch_inserted, name);
        }
        for (const auto& [name, seen] : known)
            if (!now.count(name)) emit("reader_removed", Msg::watch_reader_removed, name);
        known = std::move(now);
    }
    return exit_ok;
}

// The one place errors become exit codes and sentences (decision 7).
int report(const Error& e) {
    Msg m = Msg::internal;
    int code = exit_error;
    std::string detail = e.what();
    switch (e.code()) {
        case Errc::service_stopped:
            m = Msg::no_service;
            code = exit_no_card;
            break;
        case Errc::reader_unavailable:
            m = Msg::invalid_argument;
            code = exit_no_card;
            break;
        case Errc::no_card:
            m = Msg::no_card;
            code = exit_no_card;
            break;
        case Errc::not_found:
            m = Msg::invalid_argument;
            code = exit_no_card;
            break;
        case Errc::card_removed:
            m = Msg::card_removed;
            code = exit_card_gone;
            break;
        case Errc::card_reset:
            m = Msg::card_reset;
            code = exit_card_gone;
            break;
        case Errc::transport:
            m = Msg::transport;
            code = exit_card_gone;
            break;
        case Errc::timeout:
            m = Msg::timeout;
            code = exit_card_gone;
            break;
        case Errc::pin_incorrect:
            m = Msg::pin_incorrect;
            code = exit_pin_incorrect;
            detail = std::to_string(e.tries_left());
            break;
        case Errc::pin_blocked:
            m = g_pin == card::Pin::sign   ? Msg::pin_blocked_sign
                : g_pin == card::Pin::text ? Msg::pin_blocked_text
                                           : Msg::pin_blocked_auth;
            code = exit_pin_blocked;
            break;
        case Errc::pin_format:
            m = g_pin == card::Pin::sign   ? Msg::pin_format_sign
                : g_pin == card::Pin::text ? Msg::pin_format_text
                                           : Msg::pin_format_auth;
            code = exit_pin_format;
            break;
        case Errc::confirmation_required:
            m = Msg::last_try_refused;
            code = exit_cancelled;
            break;
        case Errc::cancelled:
            m = Msg::cancelled;
            code = exit_cancelled;
            break;
        case Errc::malformed_data:
            m = Msg::malformed;
            code = exit_malformed;
            break;
        case Errc::unsupported:
            m = Msg::unsupported;
            break;
        case Errc::io:
            m = Msg::io_error;
            break;
        case Errc::invalid_argument:
            m = Msg::invalid_argument;
            code = exit_usage;
            break;
        case Errc::security_status:
        case Errc::card_error:
            m = Msg::transport;
            code = exit_card_gone;
            break;
        case Errc::internal:
            m = Msg::internal;
            break;
    }
    const std::string sentence = format(m, {detail});
    if (g_json)
        std::cout << json{{"error", std::string(to_string(e.code()))},
                          {"message", sentence},
                          {"tries_left", e.tries_left()}}
                         .dump(2)
                  << '\n';
    std::cerr << "mynacard: " << sentence << '\n';
    return code;
}

}  // namespace
}  // namespace mynacard::cli

int main(int argc, char** argv) {
    using namespace mynacard;
    using namespace mynacard::cli;
    Options o;
    CLI::App app{"mynacard: use your My Number Card (マイナンバーカード) on Linux"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "mynacard " MYNACARD_VERSION);
    // Global options also after the command (`mynacard status --json`).
    app.fallthrough();
    app.add_option("--reader", o.reader,
                   "reader name, or a part of it (default: the first with a card)");
    app.add_flag("--json", o.json_output, "machine-readable output (keys: docs/cli.md)");
    auto* pin_stdin_flag =
        app.add_flag("--pin-stdin", o.pin_stdin, "read PINs from standard input, one per line");
    app.add_flag("--pin-dialog", o.pin_dialog,
                 "ask every PIN in the mynacard-helper dialog (the default when standard input "
                 "is not a terminal and a display is available)")
        ->excludes(pin_stdin_flag);
    app.add_flag("--confirm-last-try", o.confirm_last_try,
                 "allow a PIN entry when only one try is left");
    app.add_option("--audit-log", o.audit_log,
                   "audit log file (default: $XDG_STATE_HOME/mynacard/audit.jsonl)");

    auto* readers = app.add_subcommand("readers", "list card readers");
    auto* status = app.add_subcommand("status", "card applications and tries left of every PIN");
    auto* cert = app.add_subcommand("cert", "certificates on the card");
    cert->require_subcommand(1);
    auto* cert_list = cert->add_subcommand("list", "the public certificates");
    auto* cert_show = cert->add_subcommand("show", "one certificate");
    cert_show->add_option("which", o.which, "auth | sign | auth-ca | sign-ca")->required();
    auto* cert_export =
        cert->add_subcommand("export", "write one certificate (DER, or PEM with --pem)");
    cert_export->add_option("which", o.which, "auth | sign | auth-ca | sign-ca")->required();
    cert_export->add_flag("--pem", o.pem, "PEM instead of DER");
    cert_export->add_option("--out", o.out, "file (default: standard output)");
    auto* verify_chain =
        app.add_subcommand("verify-chain", "check a card certificate against trust anchors");
    verify_chain->add_option("which", o.which, "auth | sign")->default_val("auth");
    verify_chain->add_option("--trust", o.trust, "trust anchors: certificate file or directory")
        ->required();
    auto* sign = app.add_subcommand("sign", "make a detached CMS signature with the card");
    sign->add_option("--key", o.which, "auth | sign")->required();
    sign->add_option("--in", o.in, "file to sign")->required();
    sign->add_option("--out", o.out, "signature file (.p7s)")->required();
    sign->add_option("--hash", o.hash, "sha1 | sha224 | sha256 | sha384 | sha512")
        ->default_val("sha256");
    auto* verify = app.add_subcommand("verify", "check a detached CMS signature");
    verify->add_option("file", o.in, "signed file")->required();
    verify->add_option("signature", o.signature, "signature file (.p7s)")->required();
    verify->add_option("--trust", o.trust,
                       "trust anchors (default: the CA certificates on the card)");
    auto* pin = app.add_subcommand("pin", "PINs");
    pin->require_subcommand(1);
    auto* pin_status = pin->add_subcommand("status", "tries left of every PIN");
    auto* pin_change = pin->add_subcommand("change", "change a PIN");
    pin_change->add_option("which", o.which, "auth | sign | text")->required();
    auto* info =
        app.add_subcommand("info", "My Number and the basic four facts (券面事項入力補助AP)");
    info->add_flag("--show-my-number", o.show_my_number, "show the My Number unmasked");
    info->add_option("--ap-ca", o.ap_ca,
                     "public key (SPKI DER) that certifies the AP key, to check EF 0004 too");
    auto* face = app.add_subcommand("face", "card-face images and photo (券面AP)");
    face->add_option("--out", o.out, "directory for the images")->required();
    face->add_option("--code", o.code, "a: 照合番号A (My Number), b: 照合番号B")->default_val("a");
    auto* log = app.add_subcommand("log", "when and by which program the card was used");
    log->add_flag("--verify", o.verify_log, "check the log has not been changed");
    auto* watch = app.add_subcommand("watch", "print card insert and remove events");
    watch->add_option("--events", o.watch_events, "stop after this many events");
    watch->add_option("--seconds", o.watch_seconds, "stop after this many seconds");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_usage;
    }
    g_json = o.json_output;
    // Started from a desktop launcher or another program: no terminal to ask
    // on, but a screen (decision 9).
    if (!o.pin_stdin && !o.pin_dialog && ::isatty(STDIN_FILENO) == 0 && pinhelper::available())
        o.pin_dialog = true;
    const fs::path audit_path =
        o.audit_log.empty() ? audit::Log::default_path() : fs::path(o.audit_log);
    PinInput input(o.pin_stdin);
    try {
        if (*sign) check_input(o.in, "--in");
        if (*verify) {
            check_input(o.in, "file");
            check_input(o.signature, "signature");
        }
        if (*verify || *verify_chain) check_input(o.trust, "--trust", true);
        if (*info) check_input(o.ap_ca, "--ap-ca");
        if (*readers) return cmd_readers(o);
        if (*log) return cmd_log(o);
        if (*watch) return cmd_watch(o);
        if (*verify && !o.trust.empty()) return cmd_verify(o, nullptr, input);
        protect_secrets();  // every command below talks to the card
        Session s(o.reader, audit_path);
        if (*status || *pin_status) return cmd_status(s);
        if (*cert_list) return cmd_cert_list(s, input, o);
        if (*cert_show) return cmd_cert_show(s, input, o);
        if (*cert_export) return cmd_cert_export(s, input, o);
        if (*verify_chain) return cmd_verify_chain(s, input, o);
        if (*sign) return cmd_sign(s, input, o);
        if (*verify) return cmd_verify(o, &s, input);
        if (*pin_change) return cmd_pin_change(s, input, o);
        if (*info) return cmd_info(s, input, o);
        if (*face) return cmd_face(s, input, o);
    } catch (const Error& e) {
        return report(e);
    } catch (const std::exception& e) {
        return report(Error(Errc::internal, e.what()));
    }
    return exit_usage;
}
