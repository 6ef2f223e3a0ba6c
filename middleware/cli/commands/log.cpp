// log: when and by which program the card was used (the audit log).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "cli/commands/command.h"
#include "cli/exit_codes.h"

namespace mynacard::cli {

namespace {

using nlohmann::json;

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
        // No card: a query by numbers, a face reader's result.
        case audit::Operation::qualification_query:
        case audit::Operation::qualification_result:
            return "insurance";
        case audit::Operation::qualification_check:
        case audit::Operation::sign:
        case audit::Operation::login:
        case audit::Operation::pin_change:
            break;
    }
    return "-";
}

int verify_log(const Output& out, const audit::Log& log) {
    const auto r = log.verify();
    if (out.json()) {
        out.print({{"valid", r.ok},
                   {"entries", r.entries},
                   {"first_bad_line", r.first_bad_line},
                   {"error", r.error},
                   {"torn_tail_bytes", r.torn_tail_bytes}});
    } else {
        out.human() << (r.ok ? format(Msg::log_ok, {std::to_string(r.entries)})
                             : format(Msg::log_failed, {std::to_string(r.first_bad_line), r.error}))
                    << '\n';
        if (r.ok && r.torn_tail_bytes > 0)
            out.human() << format(Msg::log_torn_tail, {std::to_string(r.torn_tail_bytes)}) << '\n';
    }
    return r.ok ? exit_ok : exit_verify_failed;
}

void list_log(const Output& out, const audit::Log& log) {
    const auto entries = log.read();
    if (out.json()) {
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
        out.print({{"entries", arr}});
        return;
    }
    for (const auto& e : entries)
        out.human() << e.time << "  " << audit::to_string(e.event.operation) << " "
                    << log_object(e.event) << "  " << audit::to_string(e.event.result) << "  "
                    << e.program << " (pid " << e.pid << ")  " << e.event.reader << '\n';
}

struct LogOptions {
    bool verify = false;  // check the hash chain instead of listing
};

int log(Context& c, const LogOptions& o) {
    const audit::Log log(c.audit_log);
    if (o.verify) return verify_log(c.out, log);
    list_log(c.out, log);
    return exit_ok;
}

}  // namespace

void add_log(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<LogOptions>();
    auto* log_command = app.add_subcommand("log", "when and by which program the card was used");
    log_command->add_flag("--verify", o->verify, "check the log has not been changed");
    commands.add(log_command, [o](Context& c) { return log(c, *o); });
}

}  // namespace mynacard::cli
