// cert list / show / export, verify-chain: the certificates on the card.
#include "cli/commands/certificates.h"

#include <chrono>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/card_use.h"
#include "cli/commands/command.h"
#include "cli/exit_codes.h"
#include "cli/files.h"
#include "x509/x509.h"

namespace mynacard::cli {

using nlohmann::json;

namespace {

// The log names the certificate read by the hash of its serial. DER that
// does not parse ends the read as the card's malformed answer (recorded as
// a failed read, exit 10), not as a read that went well.
void named(session::Subject& subject, const Bytes& der) {
    subject.serial(x509::Certificate::from_der(der).serial());
}

}  // namespace

Bytes read_sign_certificate(CardUse& card, const AskedPin& pin) {
    return card.audited(audit::Operation::read_sign_certificate,
                        session::Subject::of(card::Pin::sign),
                        [&](card::MyNumberCard& c, session::Subject& subject) {
                            Bytes der = c.read_sign_certificate(pin.value, pin.options);
                            named(subject, der);
                            return der;
                        });
}

Bytes read_certificate(CardUse& card, PinPrompt& pins, card::Certificate kind) {
    if (kind == card::Certificate::sign)
        return read_sign_certificate(
            card, pins.current(card, card::Pin::sign, pinhelper::Purpose::read_certificate));
    return card.audited(audit::Operation::read_certificate, session::Subject::of(kind),
                        [&](card::MyNumberCard& c, session::Subject& subject) {
                            Bytes der = c.read_certificate(kind);
                            named(subject, der);
                            return der;
                        });
}

namespace {

card::Certificate parse_kind(const std::string& s) {
    if (s == "auth") return card::Certificate::auth;
    if (s == "sign") return card::Certificate::sign;
    if (s == "auth-ca") return card::Certificate::auth_ca;
    if (s == "sign-ca") return card::Certificate::sign_ca;
    throw Error(Errc::invalid_argument, "certificate must be auth, sign, auth-ca or sign-ca");
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

void print_cert_human(const Output& out, const std::string& kind, const x509::Certificate& c) {
    out.human() << kind << '\n'
                << "  subject:    " << c.subject() << '\n'
                << "  issuer:     " << c.issuer() << '\n'
                << "  serial:     " << to_hex(c.serial()) << '\n'
                << "  valid:      " << iso_time(c.not_before()) << " – " << iso_time(c.not_after())
                << '\n';
    if (auto a = x509::jpki_attributes(c)) {
        std::string birth = birth_date_shown(a->birth_date);
        out.human() << "  name:       " << a->name << '\n'
                    << "  address:    " << a->address << '\n'
                    << "  birth date: " << birth << '\n'
                    << "  sex:        " << sex_shown(a->sex) << '\n';
        wipe(birth);
    }
}

int cert_list(Context& c) {
    CardUse card(c.global.reader, c.audit_log);
    json all = json::object();
    for (auto kind :
         {card::Certificate::auth, card::Certificate::auth_ca, card::Certificate::sign_ca}) {
        const auto cert = x509::Certificate::from_der(read_certificate(card, c.pins, kind));
        const std::string name = kind == card::Certificate::auth      ? "auth"
                                 : kind == card::Certificate::auth_ca ? "auth-ca"
                                                                      : "sign-ca";
        if (c.out.json())
            all[name] = cert_json(cert);
        else
            print_cert_human(c.out, name, cert);
    }
    if (c.out.json()) {
        all["sign"] = {{"protected", true}};
        c.out.print(all);
    } else {
        c.out.human()
            << "sign\n  (protected by the digital-signature password: mynacard cert show sign)\n";
    }
    return exit_ok;
}

struct ShowOptions {
    std::string which;  // auth | sign | auth-ca | sign-ca
};

int cert_show(Context& c, const ShowOptions& o) {
    const card::Certificate kind = parse_kind(o.which);
    CardUse card(c.global.reader, c.audit_log);
    const auto cert = x509::Certificate::from_der(read_certificate(card, c.pins, kind));
    if (c.out.json())
        c.out.print(cert_json(cert));
    else
        print_cert_human(c.out, o.which, cert);
    return exit_ok;
}

struct ExportOptions {
    std::string which;  // auth | sign | auth-ca | sign-ca
    bool pem = false;
    std::string out;  // empty: standard output
};

int cert_export(Context& c, const ExportOptions& o) {
    const card::Certificate kind = parse_kind(o.which);
    CardUse card(c.global.reader, c.audit_log);
    const Bytes der = read_certificate(card, c.pins, kind);
    Bytes data = der;
    if (o.pem) {
        const auto pem = x509::Certificate::from_der(der).pem();
        data.assign(pem.begin(), pem.end());
    }
    if (o.out.empty()) {
        c.out.bytes(data);
    } else {
        write_file(o.out, data);
        // Recorded once the file holds it: a copy of the certificate now
        // exists outside the card.
        card.record_done(audit::Operation::export_certificate,
                         session::Subject::of(kind).certificate(der));
    }
    return exit_ok;
}

struct ChainOptions {
    std::string which = "auth";  // auth | sign
    std::string trust;           // trust anchors: a file or a directory
};

int verify_chain(Context& c, const ChainOptions& o) {
    check_input(o.trust, "--trust", true);
    if (o.trust.empty())
        throw Error(Errc::invalid_argument, std::string(text(Msg::no_trust_anchors)));
    const card::Certificate kind = parse_kind(o.which);
    CardUse card(c.global.reader, c.audit_log);
    const auto leaf = x509::Certificate::from_der(read_certificate(card, c.pins, kind));
    const auto r = x509::verify_chain(leaf, {}, o.trust, std::chrono::system_clock::now());
    if (c.out.json())
        c.out.print({{"certificate", o.which}, {"valid", r.ok}, {"error", r.error}});
    else
        c.out.human() << (r.ok ? format(Msg::chain_ok, {leaf.subject()})
                               : format(Msg::chain_failed, {r.error}))
                      << '\n';
    return r.ok ? exit_ok : exit_verify_failed;
}

}  // namespace

void add_certificates(CLI::App& app, Commands& commands) {
    auto* cert = app.add_subcommand("cert", "certificates on the card");
    cert->require_subcommand(1);

    auto* list = cert->add_subcommand("list", "the public certificates");
    commands.add(list, [](Context& c) { return cert_list(c); });

    auto show_o = std::make_shared<ShowOptions>();
    auto* show = cert->add_subcommand("show", "one certificate");
    show->add_option("which", show_o->which, "auth | sign | auth-ca | sign-ca")->required();
    commands.add(show, [show_o](Context& c) { return cert_show(c, *show_o); });

    auto export_o = std::make_shared<ExportOptions>();
    auto* exp = cert->add_subcommand("export", "write one certificate (DER, or PEM with --pem)");
    exp->add_option("which", export_o->which, "auth | sign | auth-ca | sign-ca")->required();
    exp->add_flag("--pem", export_o->pem, "PEM instead of DER");
    exp->add_option("--out", export_o->out, "file (default: standard output)");
    commands.add(exp, [export_o](Context& c) { return cert_export(c, *export_o); });

    auto chain_o = std::make_shared<ChainOptions>();
    auto* chain =
        app.add_subcommand("verify-chain", "check a card certificate against trust anchors");
    chain->add_option("which", chain_o->which, "auth | sign")->default_val("auth");
    chain->add_option("--trust", chain_o->trust, "trust anchors: certificate file or directory")
        ->required();
    commands.add(chain, [chain_o](Context& c) { return verify_chain(c, *chain_o); });
}

}  // namespace mynacard::cli
