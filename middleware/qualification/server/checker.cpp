// POST /v1/challenge and POST /v1/check (checker.h). The order of the checks
// is the order of the ErrorCode table in docs/qualification.md: the cheap
// and request-shaped ones first, the nonce spent before any certificate
// work, so a replay never costs a signature check.
#include "qualification_server/checker.h"

#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "qualification/reference_protocol.h"
#include "qualification/terminal_folders.h"
#include "qualification_server/admin.h"
#include "x509/x509.h"

namespace mynacard::qualification::server {

namespace {

using namespace std::chrono_literals;

constexpr std::string_view kXml = "application/xml; charset=utf-8";

std::string xml_text(const XmlMsg& message) {
    const Bytes bytes = write(message, Encoding::utf8);
    return std::string(bytes.begin(), bytes.end());
}

// The request's fields, all strings except the consent list.
struct CheckRequest {
    protocol::Challenge challenge;
    Bytes certificate;
    Bytes signature;
};

std::optional<CheckRequest> read_request(std::string_view body) {
    try {
        const auto j = nlohmann::json::parse(body);
        CheckRequest r;
        r.challenge.nonce = j.at("nonce").get<std::string>();
        r.challenge.institution_code = j.at("institution_code").get<std::string>();
        r.challenge.time = j.at("time").get<std::string>();
        for (const auto& item : j.at("consents")) {
            const auto one = parse_consents(item.get<std::string>());
            if (one.size() != 1) return std::nullopt;
            r.challenge.consents.push_back(one.front());
        }
        r.certificate = from_hex(j.at("certificate").get<std::string>());
        r.signature = from_hex(j.at("signature").get<std::string>());
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    } catch (const Error&) {
        return std::nullopt;  // a hex string or a consent item that is not one
    }
}

}  // namespace

Reply refusal_reply(Refusal refusal, const std::string& operation,
                    const std::string& institution_code, TimePoint now) {
    const RefusalInfo i = info(refusal);
    return {i.http_status, std::string(kXml),
            xml_text(refusal_message(refusal, institution_code, now)),
            "op=" + operation + " result=refused code=" + std::string(i.code)};
}

Checker::Checker(const std::filesystem::path& state_dir, CheckerOptions options)
    : anchors_(Store::anchors_path(state_dir)),
      options_(std::move(options)),
      store_(Store::open(state_dir)) {
    if (!std::filesystem::exists(anchors_))
        throw Error(Errc::not_found,
                    "no trusted CA in " + state_dir.string() + " (run trust first)");
}

std::string Checker::issue(TimePoint now, TimePoint& expires) {
    std::array<unsigned char, protocol::kNonceBytes> raw{};
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
        throw Error(Errc::internal, "no random bytes");
    std::string nonce = to_hex(raw, false);
    expires = now + options_.nonce_lifetime;
    const std::lock_guard lock(nonce_mutex_);
    if (nonces_.size() >= options_.max_nonces)
        std::erase_if(nonces_, [&](const auto& entry) { return entry.second.expires < now; });
    if (nonces_.size() >= options_.max_nonces) return {};
    nonces_.emplace(nonce, Nonce{expires, false});
    return nonce;
}

Checker::NonceState Checker::consume(const std::string& nonce, TimePoint now) {
    const std::lock_guard lock(nonce_mutex_);
    const auto it = nonces_.find(nonce);
    if (it == nonces_.end()) return NonceState::unknown;
    if (it->second.used) return NonceState::used;
    // A used nonce stays until it expires, so a replay is told apart from a guess.
    it->second.used = true;
    if (it->second.expires < now) return NonceState::expired;
    return NonceState::fresh;
}

Reply Checker::challenge(std::string_view body) {
    const TimePoint now = options_.clock();
    std::string institution;
    try {
        institution = nlohmann::json::parse(body).at("institution_code").get<std::string>();
    } catch (const nlohmann::json::exception&) {
        return refusal_reply(Refusal::malformed_request, "challenge", {}, now);
    }
    if (!protocol::is_institution_code(institution))
        return refusal_reply(Refusal::malformed_request, "challenge", {}, now);
    if (!store_.accepts_institution(institution))
        return refusal_reply(Refusal::institution, "challenge", institution, now);
    TimePoint expires;
    const std::string nonce = issue(now, expires);
    if (nonce.empty()) return refusal_reply(Refusal::busy, "challenge", institution, now);
    const nlohmann::json answer = {{"nonce", nonce},
                                   {"expires", protocol::format_time(expires)},
                                   {"server_time", protocol::format_time(now)}};
    return {200, "application/json", answer.dump(), "op=challenge result=ok"};
}

Reply Checker::check(std::string_view body) {
    const TimePoint now = options_.clock();
    const auto request = read_request(body);
    if (!request || !protocol::is_institution_code(request->challenge.institution_code))
        return refusal_reply(Refusal::malformed_request, "check", {}, now);
    const auto& ch = request->challenge;
    const std::string& institution = ch.institution_code;
    const auto refuse = [&](Refusal r, const std::string& tag = {}) {
        Reply reply = refusal_reply(r, "check", institution, now);
        if (!tag.empty()) reply.log += " cert=" + tag;
        return reply;
    };
    if (!protocol::is_nonce(ch.nonce)) return refuse(Refusal::malformed_request);
    const auto client_time = protocol::parse_time(ch.time);
    if (!client_time) return refuse(Refusal::malformed_request);
    if (!store_.accepts_institution(institution)) return refuse(Refusal::institution);

    switch (consume(ch.nonce, now)) {
        case NonceState::unknown:
            return refuse(Refusal::unknown_nonce);
        case NonceState::expired:
            return refuse(Refusal::expired_nonce);
        case NonceState::used:
            return refuse(Refusal::replayed_nonce);
        case NonceState::fresh:
            break;
    }
    if (*client_time < now - options_.clock_skew) return refuse(Refusal::stale_time);
    if (*client_time > now + options_.clock_skew) return refuse(Refusal::future_time);

    std::optional<x509::Certificate> cert;
    try {
        cert = x509::Certificate::from_der(request->certificate);
    } catch (const Error&) {
        return refuse(Refusal::bad_certificate);
    }
    const CertificateKey key = key_of(*cert);
    const std::string tag = log_tag(key);
    bool signature_ok = false;
    try {
        signature_ok = cert->verify_signature(x509::Hash::sha256, protocol::canonical_bytes(ch),
                                              request->signature);
    } catch (const Error&) {
        signature_ok = false;  // not an RSA key, a signature of the wrong length
    }
    if (!signature_ok) return refuse(Refusal::bad_signature, tag);
    if (now < cert->not_before()) return refuse(Refusal::not_yet_valid, tag);
    // An expired certificate is checked as it was on its last valid second:
    // the grace below decides whether expiry still allows an answer.
    const TimePoint at = std::min(now, cert->not_after() - 1s);
    if (!x509::verify_chain(*cert, {}, anchors_, at).ok)
        return refuse(Refusal::untrusted_chain, tag);
    const bool in_grace = now > cert->not_after();
    if (in_grace && now > grace_end(cert->not_after()))
        return refuse(Refusal::expired_past_grace, tag);
    switch (store_.revocation(key)) {
        case Revocation::revoked:
            return refuse(Refusal::revoked, tag);
        case Revocation::crl:
            return refuse(Refusal::revoked_by_crl, tag);
        case Revocation::none:
            break;
    }

    const auto stored = store_.record_for(key);
    CardAnswer a{institution, TerminalFolders::new_identifier(),
                 now,         ch.consents,
                 in_grace,    in_grace ? jst_date(grace_end(cert->not_after())) : std::string()};
    std::optional<ResultOfQualificationConfirmation> record;
    if (stored) record = stored->record;
    const XmlMsg answer = card_answer(a, record);
    if (stored) {
        std::vector<Store::Consent> consents;
        const auto asked = canonical_consents(ch.consents);
        for (const ConsentItem item :
             {ConsentItem::medication, ConsentItem::checkups, ConsentItem::diagnosis,
              ConsentItem::operation, ConsentItem::limit, ConsentItem::specific_disease}) {
            const bool given = std::find(asked.begin(), asked.end(), item) != asked.end() &&
                               honoured(item, in_grace);
            consents.push_back({std::string(to_string(item)), given});
        }
        store_.record_consents(stored->id, consents, jst_time(now));
    }
    if (sink_) sink_(answer);
    return {200, std::string(kXml), xml_text(answer),
            "op=check result=answered validity=" + answer.body.qualification_validity.value_or("") +
                (in_grace ? " grace=yes" : "") + " cert=" + tag};
}

}  // namespace mynacard::qualification::server
