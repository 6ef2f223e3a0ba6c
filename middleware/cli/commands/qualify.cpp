// qualify: オンライン資格確認 through the qualification terminal's folders
// (docs/qualification.md): a query by the insurance card's numbers, or the
// results of card checks at the face reader as they arrive.
#include <sys/prctl.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "card/facts.h"
#include "cli/card_use.h"
#include "cli/commands/certificates.h"
#include "cli/commands/command.h"
#include "cli/exit_codes.h"
#include "cli/files.h"
#include "cli/pin_prompt.h"
#include "cli/qualification_output.h"
#include "cli/stop_signals.h"
#include "core/error.h"
#include "core/paths.h"
#include "qualification/answer_json.h"
#include "qualification/face_watcher.h"
#include "qualification/reference_client.h"
#include "qualification/requests.h"
#include "qualification/terminal_folders.h"
#include "session/audit_trail.h"
#include "x509/x509.h"

namespace mynacard::cli {

namespace {

namespace fs = std::filesystem;
namespace q = qualification;
using nlohmann::json;
using namespace std::chrono_literals;

// The answer usually comes within seconds; the bound keeps a forgotten
// command from holding a request in `req` for ever.
constexpr int kDefaultTimeoutSeconds = 30;
constexpr int kMaxTimeoutSeconds = 600;
// How long one look at the face folder lasts before SIGINT/SIGTERM are
// checked again.
constexpr auto kLook = 500ms;

struct QualifyOptions {
    // A query by the insurance card's numbers (QualificationConfirmSearchInfo).
    std::string terminal_dir;      // holds req and res
    std::string institution_code;  // 医療機関コード, 10 digits
    std::string insurer;           // 保険者番号, 6 or 8 digits
    std::string symbol;            // 記号
    std::string number;            // 番号
    std::string branch;            // 枝番, 2 digits, optional
    std::string birth;             // 生年月日 YYYYMMDD
    bool limit_consent = false;    // 限度額適用認定証 data asked for (the patient agreed)
    int timeout = kDefaultTimeoutSeconds;
    // Results of card checks at the face reader.
    std::string watch_face;  // the terminal's face folder
    std::string journal;     // SQLite journal; empty: under $XDG_STATE_HOME/mynacard
    // Both: a copy of every answer (XML and JSON).
    std::string out;
    // A card check against the reference service (docs/qualification.md):
    // the 4-digit PIN, the card signs the service's challenge.
    std::string server;
    std::string server_ca;
    std::string consent;
};

[[noreturn]] void refuse(const std::string& what) {
    throw Error(Errc::invalid_argument, what);
}

bool digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

void check_out_dir(const std::string& out) {
    if (out.empty()) return;
    std::error_code ec;
    const auto st = fs::symlink_status(out, ec);
    if (fs::exists(st) && !fs::is_directory(st)) refuse("--out: " + out + " is not a directory");
}

void check_folder(const fs::path& dir, std::string_view what) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        refuse(std::string(what) + ": " + dir.string() + " is not a folder");
}

// The option that holds each field of a query, for the messages.
std::string_view option_of(q::QueryField field) {
    switch (field) {
        case q::QueryField::institution_code:
            return "--institution-code";
        case q::QueryField::insurer:
            return "--insurer";
        case q::QueryField::symbol:
            return "--symbol";
        case q::QueryField::number:
            return "--number";
        case q::QueryField::branch:
            return "--branch";
        case q::QueryField::birth:
            return "--birth";
    }
    return "--insurer";
}

// Every argument of a query, checked before anything is written: a mistake
// at the desk is reported at once, not as the terminal's error later. The
// fields are checked by the model library, as the front desk checks them.
q::XmlMsg query_request(const QualifyOptions& o, const q::Date& today) {
    check_folder(o.terminal_dir, "--terminal-dir");
    check_folder(fs::path(o.terminal_dir) / "req", "--terminal-dir (its req folder)");
    check_folder(fs::path(o.terminal_dir) / "res", "--terminal-dir (its res folder)");
    const q::NumberQuery query{o.institution_code, o.insurer, o.symbol,       o.number,
                               o.branch,           o.birth,   o.limit_consent};
    if (const auto problems = q::check_query(query, today); !problems.empty())
        refuse(std::string(option_of(problems.front().field)) + ": " +
               (japanese() ? problems.front().message_ja : problems.front().message_en));
    if (o.timeout < 1 || o.timeout > kMaxTimeoutSeconds)
        refuse("--timeout: 1 to " + std::to_string(kMaxTimeoutSeconds) + " seconds");
    check_out_dir(o.out);
    return q::qualification_request(query, today);
}

// One answer, printed and kept: what the query and the face watch share.
// Returns its exit code.
int show(Context& c, const q::XmlMsg& answer, const std::string& out_dir, json event) {
    const auto verdict = qualification_verdict(answer);
    const q::Date today = local_today();
    std::vector<std::string> files;
    std::optional<Error> save_failed;
    try {
        if (!out_dir.empty()) files = save_answer(out_dir, answer);
    } catch (const Error& e) {
        save_failed = e;  // the answer is shown all the same
    }
    if (c.out.json()) {
        event["outcome"] = verdict.outcome;
        event["exit_code"] = static_cast<int>(verdict.code);
        event["message"] = to_json(answer);
        event["expiry"] = to_json(expiry_warnings(answer, today));
        if (!out_dir.empty()) event["files"] = files;
        if (event.contains("event"))
            c.out.line(event);
        else
            c.out.print(event);
        wipe_json(event);
    } else {
        if (event.contains("file"))
            c.out.human() << "--- " << event["file"].get<std::string>() << " ---\n";
        print_answer(c.out.human(), answer, today);
        for (const auto& f : files) c.out.human() << format(Msg::q_saved, {f}) << '\n';
        c.out.human() << std::flush;
    }
    if (save_failed) throw *save_failed;
    return verdict.code;
}

int query(Context& c, const QualifyOptions& o) {
    const q::XmlMsg request = query_request(o, local_today());
    q::TerminalFolders folders(o.terminal_dir);
    q::XmlMsg answer;
    try {
        answer = folders.ask(q::Exchange::qualification, request, std::chrono::seconds(o.timeout));
    } catch (const Error& e) {
        return report(e, terminal_verdict(e), c.out);
    }
    return show(c, answer, o.out, json::object());
}

// A card check against the reference service: the patient's 4-digit PIN,
// then the card's authentication key signs the service's challenge (nonce,
// institution code, time, consents). Recorded in the audit log as a use of
// that key (decision 11).
int card_check(Context& c, const QualifyOptions& o) {
    if (o.server_ca.empty())
        refuse(
            "--server needs --server-ca PEM: the service's certificate (server.pem in its state "
            "folder)");
    check_input(o.server_ca, "--server-ca");
    if (o.institution_code.size() != 10 || !digits(o.institution_code))
        refuse("--institution-code must be the 10-digit 医療機関コード");
    q::CardCheck request{o.institution_code, q::parse_consents(o.consent)};
    check_out_dir(o.out);
    q::ReferenceClient client(o.server, o.server_ca);  // checks the URL before the card

    CardUse card(c.global.reader, c.audit_log);
    AskedPin pin = c.pins.current(card, card::Pin::auth, pinhelper::Purpose::login);
    const Bytes cert_der = read_certificate(card, c.pins, card::Certificate::auth);
    const auto cert = x509::Certificate::from_der(cert_der);
    q::XmlMsg answer;
    try {
        answer = card.audited(audit::Operation::qualification_check,
                              session::Subject::of(card::Key::auth).serial(cert.serial()),
                              [&](card::MyNumberCard& on_card) {
                                  return client.check(request, cert_der, [&](ByteView digest_info) {
                                      return on_card.sign(card::Key::auth, pin.value, digest_info,
                                                          pin.options);
                                  });
                              });
    } catch (const Error& e) {
        // The card's own errors (wrong PIN, removed) are the card's;
        // the service's are worded as the terminal's.
        if (e.code() == Errc::service_stopped || e.code() == Errc::timeout ||
            e.code() == Errc::malformed_data)
            return report(e, terminal_verdict(e), c.out);
        throw;
    }
    return show(c, answer, o.out, json::object());
}

fs::path journal_path(const QualifyOptions& o) {
    if (!o.journal.empty()) return o.journal;
    const fs::path dir = xdg_directory("XDG_STATE_HOME", ".local/state") / "mynacard";
    // The journal holds file names and hashes only, yet it is the user's.
    if (fs::create_directories(dir))
        fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    return dir / "face-journal.sqlite";
}

int watch_face(Context& c, const QualifyOptions& o) {
    check_out_dir(o.out);
    // Before the watcher exists: its threads, if any, inherit the blocked set.
    StopSignals stop;
    q::FaceWatcher watcher(o.watch_face, journal_path(o));
    if (c.out.json())
        c.out.line({{"event", "ready"}, {"folder", o.watch_face}});
    else
        c.out.progress(Msg::face_watching);
    const auto handle = [&](const q::FaceResult& r) {
        (void)show(c, r.message, o.out,
                   {{"event", "result"},
                    {"file", r.file_name},
                    {"sha256", r.sha256},
                    {"encoding", r.encoding == q::Encoding::utf8 ? "UTF-8" : "Shift_JIS"}});
    };
    while (!stop.arrived()) (void)watcher.wait(kLook, handle);
    return exit_ok;
}

// Which options belong to which mode, so that a mix is refused rather than
// half ignored.
constexpr std::string_view kQueryOptions[] = {"--institution-code", "--insurer", "--symbol",
                                              "--number",           "--branch",  "--birth",
                                              "--limit-consent",    "--timeout"};

int qualify(Context& c, const QualifyOptions& o, const CLI::App& command) {
    // Requests, copies and the journal are files: never written with rights
    // the user does not have (core/paths.h).
    if (privileged_host())
        throw Error(Errc::unsupported, "qualify does not run with more rights than its user");
    // Answers hold a patient's personal data: no core dump, no ptrace by
    // other processes of the user (as for a card's data, docs/cli.md).
    (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    const bool asking = !o.terminal_dir.empty();
    const bool watching = !o.watch_face.empty();
    const bool checking = !o.server.empty();
    if (int(asking) + int(watching) + int(checking) > 1)
        refuse(
            "--terminal-dir (a query), --watch-face (face results) and --server (a card "
            "check) are three modes: give one");
    if (!asking && !watching && !checking)
        refuse(
            "qualify has three modes: --server URL --server-ca PEM --institution-code N (a card "
            "check with the patient's PIN against the reference service), --terminal-dir DIR "
            "with --institution-code, --insurer, --symbol, --number and --birth (a query by the "
            "insurance card's numbers), or --watch-face DIR (results of card checks at the face "
            "reader, until Ctrl+C)");
    if (checking) {
        for (const auto name : kQueryOptions)
            if (name != "--institution-code" && command.count(std::string(name)) > 0)
                refuse(std::string(name) + " belongs to a query (--terminal-dir)");
        if (command.count("--journal") > 0) refuse("--journal belongs to --watch-face");
        return card_check(c, o);
    }
    if (command.count("--server-ca") > 0 || command.count("--consent") > 0)
        refuse("--server-ca and --consent belong to a card check (--server)");
    if (asking) {
        if (command.count("--journal") > 0) refuse("--journal belongs to --watch-face");
        return query(c, o);
    }
    for (const auto name : kQueryOptions)
        if (command.count(std::string(name)) > 0)
            refuse(std::string(name) + " belongs to a query (--terminal-dir)");
    return watch_face(c, o);
}

}  // namespace

void add_qualify(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<QualifyOptions>();
    auto* cmd = app.add_subcommand(
        "qualify",
        "health-insurance qualification (オンライン資格確認): a card check, a query by numbers, "
        "face results");
    cmd->add_option("--terminal-dir", o->terminal_dir,
                    "the qualification terminal's folder holding req and res (a query)");
    cmd->add_option("--institution-code", o->institution_code, "医療機関コード (10 digits)");
    cmd->add_option("--insurer", o->insurer, "保険者番号 (6 or 8 digits)");
    cmd->add_option("--symbol", o->symbol, "記号 of the insurance card (none on 後期高齢者 cards)");
    cmd->add_option("--number", o->number, "番号 of the insurance card");
    cmd->add_option("--branch", o->branch, "枝番 (2 digits)");
    cmd->add_option("--birth", o->birth, "birth date YYYYMMDD");
    cmd->add_flag("--limit-consent", o->limit_consent,
                  "ask for the 限度額適用認定証 data (the patient agreed)");
    cmd->add_option("--timeout", o->timeout,
                    "seconds to wait for the answer (default 30, at most 600)");
    cmd->add_option("--watch-face", o->watch_face,
                    "print each result of a card check in this face folder, until Ctrl+C");
    cmd->add_option("--journal", o->journal,
                    "journal of the face results shown (default: "
                    "$XDG_STATE_HOME/mynacard/face-journal.sqlite)");
    cmd->add_option("--server", o->server,
                    "a card check against the reference service at this https:// URL");
    cmd->add_option("--server-ca", o->server_ca,
                    "the service's certificate (server.pem in its state folder)");
    cmd->add_option("--consent", o->consent,
                    "what the patient agreed to share: medication,checkups,diagnosis,operation,"
                    "limit,specific_disease");
    cmd->add_option("--out", o->out, "keep every answer in this folder (XML and JSON)");
    commands.add(cmd, [o, cmd](Context& c) { return qualify(c, *o, *cmd); });
}

}  // namespace mynacard::cli
