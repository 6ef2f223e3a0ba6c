// sign, verify: detached CMS signatures made by the card and checked.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/card_use.h"
#include "cli/commands/certificates.h"
#include "cli/commands/command.h"
#include "cli/exit_codes.h"
#include "cli/files.h"
#include "x509/x509.h"

namespace mynacard::cli {

namespace {

struct SignOptions {
    std::string key;  // auth | sign
    std::string in;
    std::string out;
    std::string hash = "sha256";
};

int sign(Context& c, const SignOptions& o) {
    check_input(o.in, "--in");
    const bool sign_key = o.key == "sign";
    if (!sign_key && o.key != "auth")
        throw Error(Errc::invalid_argument, "--key must be auth or sign");
    CardUse card(c.global.reader, c.audit_log);
    const auto hash = x509::parse_hash(o.hash);
    const Bytes content = read_file(o.in);
    const card::Key key = sign_key ? card::Key::sign : card::Key::auth;
    const card::Pin pin_id = sign_key ? card::Pin::sign : card::Pin::auth;

    // PIN first: a malformed one is refused before any APDU.
    AskedPin pin = c.pins.current(card, pin_id, pinhelper::Purpose::sign);
    Bytes cert_der;
    if (sign_key) {
        cert_der = read_sign_certificate(card, pin);
        pin.options.confirm_last_try = true;  // the PIN just verified: the counter is full
    } else {
        cert_der = read_certificate(card, c.pins, card::Certificate::auth);
    }
    const auto cert = x509::Certificate::from_der(cert_der);
    c.out.progress(Msg::signing);
    const Bytes cms =
        card.audited(audit::Operation::sign, session::Subject::of(key).serial(cert.serial()),
                     [&](card::MyNumberCard& on_card) {
                         return x509::cms_sign_detached(
                             content, cert, hash,
                             [&](ByteView digest_info) {
                                 return on_card.sign(key, pin.value, digest_info, pin.options);
                             },
                             std::chrono::system_clock::now());
                     });
    write_file(o.out, cms);
    if (c.out.json())
        c.out.print(
            {{"signature", o.out}, {"key", o.key}, {"hash", o.hash}, {"signer", cert.subject()}});
    return exit_ok;
}

struct VerifyOptions {
    std::string file;
    std::string signature;
    std::string trust;  // empty: the CA certificates on the card
};

int verify(Context& c, const VerifyOptions& o) {
    check_input(o.file, "file");
    check_input(o.signature, "signature");
    check_input(o.trust, "--trust", true);
    // Checking one's own signature: the CA certificates on the card are
    // the anchors (the card is the user's own trust source here). Held in
    // memory only: no file another user could plant beside them or swap.
    std::optional<CardUse> card;
    if (o.trust.empty()) card.emplace(c.global.reader, c.audit_log);
    const Bytes content = read_file(o.file);
    const Bytes cms = read_file(o.signature);
    x509::CmsVerifyResult r;
    if (!card) {
        r = x509::cms_verify_detached(content, cms, std::filesystem::path(o.trust));
    } else {
        std::vector<x509::Certificate> anchors;
        for (auto kind : {card::Certificate::auth_ca, card::Certificate::sign_ca})
            anchors.push_back(x509::Certificate::from_der(read_certificate(*card, c.pins, kind)));
        r = x509::cms_verify_detached(content, cms, anchors);
    }
    const std::string signer = r.signer ? r.signer->subject() : "";
    const std::string when = r.signing_time ? iso_time(*r.signing_time) : "";
    if (c.out.json())
        c.out.print(
            {{"valid", r.ok}, {"signer", signer}, {"signing_time", when}, {"error", r.error}});
    else
        c.out.human() << (r.ok ? format(Msg::verify_ok, {signer, when})
                               : format(Msg::verify_failed, {r.error}))
                      << '\n';
    return r.ok ? exit_ok : exit_verify_failed;
}

}  // namespace

void add_signatures(CLI::App& app, Commands& commands) {
    auto sign_o = std::make_shared<SignOptions>();
    auto* s = app.add_subcommand("sign", "make a detached CMS signature with the card");
    s->add_option("--key", sign_o->key, "auth | sign")->required();
    s->add_option("--in", sign_o->in, "file to sign")->required();
    s->add_option("--out", sign_o->out, "signature file (.p7s)")->required();
    s->add_option("--hash", sign_o->hash, "sha1 | sha224 | sha256 | sha384 | sha512")
        ->default_val("sha256");
    commands.add(s, [sign_o](Context& c) { return sign(c, *sign_o); });

    auto verify_o = std::make_shared<VerifyOptions>();
    auto* v = app.add_subcommand("verify", "check a detached CMS signature");
    v->add_option("file", verify_o->file, "signed file")->required();
    v->add_option("signature", verify_o->signature, "signature file (.p7s)")->required();
    v->add_option("--trust", verify_o->trust,
                  "trust anchors (default: the CA certificates on the card)");
    commands.add(v, [verify_o](Context& c) { return verify(c, *verify_o); });
}

}  // namespace mynacard::cli
