// info: the 券面事項入力補助AP — My Number and the basic four facts.
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "card/facts.h"
#include "cli/card_use.h"
#include "cli/commands/command.h"
#include "cli/exit_codes.h"
#include "cli/files.h"
#include "x509/x509.h"

namespace mynacard::cli {

namespace {

struct InfoOptions {
    bool show_my_number = false;
    std::string ap_ca;  // SPKI DER that certifies the AP key; empty: not checked
};

int info(Context& c, const InfoOptions& o) {
    check_input(o.ap_ca, "--ap-ca");
    CardUse card(c.global.reader, c.audit_log);
    const AskedPin pin = c.pins.current(card, card::Pin::text, pinhelper::Purpose::read_text);
    // Filled in place, not returned: every copy of the number made is one
    // more to wipe.
    card::TextApData d;
    card.audited(
        audit::Operation::read_text_ap, session::Subject::of(card::Pin::text),
        [&](card::MyNumberCard& on_card) { d = on_card.read_text_ap(pin.value, pin.options); });
    std::optional<Bytes> ca;
    if (!o.ap_ca.empty()) ca = read_file(o.ap_ca);
    const auto integrity = x509::verify_text_ap_integrity(
        d.my_number_file, d.basic_file, d.integrity_record, d.ap_certificate,
        ca ? std::optional<ByteView>(*ca) : std::nullopt);
    // The one copy of the number that is printed; every copy is wiped below.
    std::string number = o.show_my_number ? d.my_number : card::mask_my_number(d.my_number);
    if (c.out.json()) {
        nlohmann::json j{{"my_number", number},
                         {"my_number_masked", !o.show_my_number},
                         {"name", d.basic.name},
                         {"address", d.basic.address},
                         {"birth_date", d.basic.birth_date},
                         {"sex", d.basic.sex},
                         {"integrity",
                          {{"valid", integrity.ok},
                           {"error", integrity.error},
                           {"issuer_checked", ca.has_value()}}}};
        c.out.print(j);
        wipe_json(j);
    } else {
        auto& text_out = c.out.human();
        text_out << "My Number:  " << number;
        if (!o.show_my_number) text_out << "  " << text(Msg::my_number_masked_hint);
        std::string birth = birth_date_shown(d.basic.birth_date);
        text_out << '\n'
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

}  // namespace

void add_info(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<InfoOptions>();
    auto* info_command =
        app.add_subcommand("info", "My Number and the basic four facts (券面事項入力補助AP)");
    info_command->add_flag("--show-my-number", o->show_my_number, "show the My Number unmasked");
    info_command->add_option(
        "--ap-ca", o->ap_ca,
        "public key (SPKI DER) that certifies the AP key, to check EF 0004 too");
    commands.add(info_command, [o](Context& c) { return info(c, *o); });
}

}  // namespace mynacard::cli
