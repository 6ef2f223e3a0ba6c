// status, pin status, pin change: the card's applications and its PINs.
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/card_use.h"
#include "cli/commands/command.h"
#include "cli/exit_codes.h"

namespace mynacard::cli {

namespace {

using nlohmann::json;

int status(Context& c) {
    CardUse card(c.global.reader, c.audit_log);
    const auto st = card.audited(audit::Operation::pin_status, session::Subject(),
                                 [](card::MyNumberCard& on_card) { return on_card.status(); });
    auto opt = [](const std::optional<int>& v) { return v ? json(*v) : json(nullptr); };
    if (c.out.json()) {
        c.out.print({{"reader", card.reader()},
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
    c.out.human() << "reader: " << card.reader() << '\n'
                  << "JPKI: " << yes(st.applications.jpki)
                  << "  券面事項入力補助AP: " << yes(st.applications.text)
                  << "  券面AP: " << yes(st.applications.face) << '\n'
                  << "auth PIN: " << tries(st.auth) << '\n'
                  << "sign PIN: " << tries(st.sign) << '\n'
                  << "text PIN: " << tries(st.text) << '\n';
    return exit_ok;
}

card::Pin parse_pin(const std::string& s) {
    if (s == "auth") return card::Pin::auth;
    if (s == "sign") return card::Pin::sign;
    if (s == "text") return card::Pin::text;
    throw Error(Errc::invalid_argument, "PIN must be auth, sign or text");
}

struct ChangeOptions {
    std::string pin;  // auth | sign | text
};

int pin_change(Context& c, const ChangeOptions& o) {
    const card::Pin pin = parse_pin(o.pin);
    CardUse card(c.global.reader, c.audit_log);
    const AskedPin current = c.pins.current(card, pin, pinhelper::Purpose::change_pin);
    const SecureBytes next = c.pins.next(card, pin, pinhelper::Entry::new_pin, Msg::enter_new_pin);
    card::check_pin_format(card::CardProfile::my_number_card(), pin, next);
    const SecureBytes again =
        c.pins.next(card, pin, pinhelper::Entry::repeat_new, Msg::repeat_new_pin);
    if (again != next) throw Error(Errc::invalid_argument, std::string(text(Msg::new_pins_differ)));
    card.audited(audit::Operation::pin_change, session::Subject::of(pin),
                 [&](card::MyNumberCard& on_card) {
                     on_card.change_pin(pin, current.value, next, current.options);
                 });
    if (c.out.json())
        c.out.print({{"changed", o.pin}});
    else
        c.out.human() << text(Msg::pin_changed) << '\n';
    return exit_ok;
}

}  // namespace

void add_status(CLI::App& app, Commands& commands) {
    auto* s = app.add_subcommand("status", "card applications and tries left of every PIN");
    commands.add(s, [](Context& c) { return status(c); });
}

void add_pin(CLI::App& app, Commands& commands) {
    auto* pin = app.add_subcommand("pin", "PINs");
    pin->require_subcommand(1);
    auto* s = pin->add_subcommand("status", "tries left of every PIN");
    commands.add(s, [](Context& c) { return status(c); });

    auto change_o = std::make_shared<ChangeOptions>();
    auto* change = pin->add_subcommand("change", "change a PIN");
    change->add_option("which", change_o->pin, "auth | sign | text")->required();
    commands.add(change, [change_o](Context& c) { return pin_change(c, *change_o); });
}

}  // namespace mynacard::cli
