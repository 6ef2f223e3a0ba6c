// readers: the card readers and whether a card is in them, no card I/O
// (decision 6).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands/command.h"
#include "cli/exit_codes.h"
#include "session/pcsc_source.h"
#include "session/session.h"

namespace mynacard::cli {

namespace {

using nlohmann::json;

int readers(Context& c) {
    // No card is used, so nothing is recorded; the session still gives the
    // one new context after a pcscd restart every command gets.
    session::Session s(session::pcsc_source(), session::AuditTrail(c.audit_log));
    const auto states = s.readers();
    if (c.out.json()) {
        json list = json::array();
        for (const auto& r : states)
            list.push_back({{"name", r.name}, {"card_present", r.present}, {"atr", to_hex(r.atr)}});
        c.out.print({{"readers", list}});
    } else {
        if (states.empty()) c.out.human() << text(Msg::no_reader) << '\n';
        for (const auto& r : states)
            c.out.human() << (r.present ? "[card] " : "[    ] ") << r.name << '\n';
    }
    return exit_ok;
}

}  // namespace

void add_readers(CLI::App& app, Commands& commands) {
    auto* r = app.add_subcommand("readers", "list card readers");
    commands.add(r, [](Context& c) { return readers(c); });
}

}  // namespace mynacard::cli
