#include "card/card.h"

#include <optional>
#include <string>

#include "apdu/status.h"
#include "card/detail/files.h"
#include "card/detail/names.h"
#include "card/detail/session.h"
#include "card/records.h"
#include "core/error.h"

namespace mynacard::card {

namespace {

using detail::ReselectOnExit;
using detail::Session;

// Where a secret lives: its AP, its key-reference EF and its name.
struct SecretRef {
    ByteView aid;
    std::string_view ap_name;
    std::uint16_t ef = 0;
    std::string_view name;
    int max_tries = 3;
};

SecretRef secret_of(const CardProfile& profile, Pin pin) {
    switch (pin) {
        case Pin::auth:
            return {profile.jpki_aid, detail::jpki_ap_name, detail::jpki::auth_pin,
                    detail::pin_name(pin), profile.auth_pin.max_tries};
        case Pin::sign:
            return {profile.jpki_aid, detail::jpki_ap_name, detail::jpki::sign_pin,
                    detail::pin_name(pin), profile.sign_pin.max_tries};
        case Pin::text:
            return {profile.text_aid, detail::text_ap_name, detail::text::pin,
                    detail::pin_name(pin), profile.text_pin.max_tries};
    }
    throw Error(Errc::internal, "unknown PIN");
}

void select_secret(Session& s, const SecretRef& ref) {
    if (!s.select_file(ref.ef, ref.name)) {
        // card-facts.md §2.3: no sign password (nor certificate) under 15 or
        // under adult guardianship.
        throw Error(Errc::not_found, "the card has no " + std::string(ref.name));
    }
}

// SELECT EF of the secret, read the tries left and apply decision 5 before
// any VERIFY with data: blocked → pin_blocked, last try → confirmation.
void prepare_verify(Session& s, const SecretRef& ref, PinOptions options) {
    select_secret(s, ref);
    const int tries = s.query_tries(ref.max_tries, ref.name);
    if (tries <= 0) detail::fail_blocked(ref.name);
    if (options.held_pin && tries < ref.max_tries) {
        throw Error(Errc::confirmation_required,
                    "the " + std::string(ref.name) +
                        " was tried elsewhere since it was entered; it must be entered again",
                    tries);
    }
    if (tries == 1 && !options.confirm_last_try) {
        throw Error(
            Errc::confirmation_required,
            "the " + std::string(ref.name) +
                " has one try left; a wrong entry blocks it, so it needs explicit confirmation",
            1);
    }
}

std::uint16_t certificate_ef(Certificate which) noexcept {
    switch (which) {
        case Certificate::auth:
            return detail::jpki::auth_cert;
        case Certificate::sign:
            return detail::jpki::sign_cert;
        case Certificate::auth_ca:
            return detail::jpki::auth_ca;
        case Certificate::sign_ca:
            return detail::jpki::sign_ca;
    }
    return detail::jpki::auth_cert;
}

std::string certificate_name(Certificate which) {
    switch (which) {
        case Certificate::auth:
            return "user authentication certificate (EF 000A)";
        case Certificate::sign:
            return "signature certificate (EF 0001)";
        case Certificate::auth_ca:
            return "authentication CA certificate (EF 000B)";
        case Certificate::sign_ca:
            return "signature CA certificate (EF 0002)";
    }
    return "certificate";
}

// 照合番号 formats (card-facts.md §4.2): A is the My Number, so its check
// digit is checked too — a typo costs no try of a counter of unknown size.
void check_face_code(FaceCode code, ByteView value) {
    const std::size_t digits =
        code == FaceCode::a ? detail::face::code_a_digits : detail::face::code_b_digits;
    bool ok = value.size() == digits;
    for (const std::uint8_t c : value) ok = ok && c >= '0' && c <= '9';
    if (ok && code == FaceCode::a) {
        // A view, not a copy: the code is the My Number (decision 11).
        ok = is_valid_my_number(
            std::string_view(reinterpret_cast<const char*>(value.data()), value.size()));
    }
    if (!ok) {
        throw Error(Errc::pin_format, "the " + std::string(detail::face_code_name(code)) +
                                          " must be " + std::to_string(digits) + " digits" +
                                          (code == FaceCode::a ? " with a valid check digit" : ""));
    }
}

}  // namespace

// The scope of every public operation: one channel transaction, and the
// check that a reset by another process did not put another card in.
class MyNumberCard::Operation {
  public:
    explicit Operation(MyNumberCard& card) : tx_(card.channel_) {
        card.check_same_card_after_reset();
    }

  private:
    apdu::ChannelTransaction tx_;
};

// Decision 5 as one scope, for every operation that sends a secret: the
// operation's transaction; its AP selected; the secret's EF selected and its
// tries read and judged before any VERIFY with data (blocked, tried
// elsewhere since a held PIN was typed, last try unconfirmed: nothing is
// sent); and, from then on, the AP re-selected when the scope ends, however
// it ends, so no other process can ride on the verified state
// (card-facts.md §2.5). Members end in reverse: re-select, then the
// transaction.
class MyNumberCard::PinScope {
  public:
    PinScope(MyNumberCard& card, const SecretRef& ref, PinOptions options)
        : op_(card), session_(card.channel_, card.profile_.read_chunk), ref_(ref) {
        session_.require_application(ref.aid, ref.ap_name);
        prepare_verify(session_, ref, options);
        reselect_.emplace(card.channel_, ref.aid);
    }

    // VERIFY with the PIN the host holds, or (nullptr) the one the user
    // types on the reader's PIN pad.
    void verify(const SecureBytes* typed, const PinRule& rule) {
        if (typed != nullptr)
            session_.verify(*typed, ref_.name);
        else
            session_.verify_on_pin_pad(rule.min_length, rule.max_length, ref_.name);
    }
    void verify(const SecureBytes& typed) { session_.verify(typed, ref_.name); }

    [[nodiscard]] Session& session() noexcept { return session_; }
    [[nodiscard]] const SecretRef& secret() const noexcept { return ref_; }

  private:
    Operation op_;
    Session session_;
    SecretRef ref_;
    std::optional<ReselectOnExit> reselect_;
};

void MyNumberCard::check_same_card_after_reset() {
    if (!channel_.take_reset_flag() || identity_.auth_certificate.empty()) return;
    // architecture decision 8: after a reset, re-select and make sure it is
    // the same card before going on. Whatever was selected or verified is
    // gone; every operation selects its AP anyway.
    Session s(channel_, profile_.read_chunk);
    s.require_application(profile_.jpki_aid, detail::jpki_ap_name);
    s.require_file(certificate_ef(Certificate::auth), certificate_name(Certificate::auth));
    const Bytes now = s.read_object(detail::tag::der_sequence, "the authentication certificate");
    if (now != identity_.auth_certificate) {
        identity_.forget();
        throw Error(Errc::card_removed, "another card was put in the reader");
    }
}

MyNumberCard::MyNumberCard(apdu::CardChannel& channel, CardIdentity& identity,
                           const CardProfile& profile)
    : channel_(channel), profile_(profile), identity_(identity) {}

MyNumberCard::MyNumberCard(apdu::CardChannel& channel, const CardProfile& profile)
    : channel_(channel), profile_(profile), identity_(own_identity_) {}

Applications MyNumberCard::detect() {
    const Operation op(*this);
    Session s(channel_, profile_.read_chunk);
    Applications apps;
    apps.text = s.select_application(profile_.text_aid, detail::text_ap_name);
    apps.face = s.select_application(profile_.face_aid, detail::face_ap_name);
    // JPKI last: the AP most operations use stays selected.
    apps.jpki = s.select_application(profile_.jpki_aid, detail::jpki_ap_name);
    return apps;
}

MyNumberCard::Status MyNumberCard::status() {
    const Operation op(*this);
    Session s(channel_, profile_.read_chunk);
    Status st;
    // Empty VERIFYs only: nothing gets verified, so no reselect is needed.
    // 9 APDUs: 3 SELECT AP, 3 SELECT EF, 3 empty VERIFY; 10 on a minor's card.
    const auto tries = [&](const SecretRef& ref) -> std::optional<int> {
        if (!s.select_file(ref.ef, ref.name)) {
            // 6A82 is how a card without this PIN answers (a minor's card
            // has no sign PIN), but also how a card answers that lost its
            // AP to a reset nobody reported (a power glitch): select the AP
            // again and ask once more before calling the PIN absent.
            s.require_application(ref.aid, ref.ap_name);
            if (!s.select_file(ref.ef, ref.name)) return std::nullopt;
        }
        return s.query_tries(ref.max_tries, ref.name);
    };
    st.applications.text = s.select_application(profile_.text_aid, detail::text_ap_name);
    if (st.applications.text) st.text = tries(secret_of(profile_, Pin::text));
    st.applications.face = s.select_application(profile_.face_aid, detail::face_ap_name);
    st.applications.jpki = s.select_application(profile_.jpki_aid, detail::jpki_ap_name);
    if (st.applications.jpki) {
        st.auth = tries(secret_of(profile_, Pin::auth));
        st.sign = tries(secret_of(profile_, Pin::sign));
    }
    return st;
}

Bytes MyNumberCard::read_certificate(Certificate which) {
    if (which == Certificate::sign) {
        // card-facts.md §2.1: EF 0001 needs the sign password; asking the card
        // would only earn 6982.
        throw Error(
            Errc::security_status,
            "the signature certificate needs the signature password (read_sign_certificate)");
    }
    const Operation op(*this);
    Session s(channel_, profile_.read_chunk);
    const std::string name = certificate_name(which);
    s.require_application(profile_.jpki_aid, detail::jpki_ap_name);
    s.require_file(certificate_ef(which), name);
    Bytes der = s.read_object(detail::tag::der_sequence, "the " + name);
    if (which == Certificate::auth) identity_.auth_certificate = der;
    return der;
}

Bytes MyNumberCard::read_sign_certificate(const SecureBytes& sign_pin, PinOptions options) {
    check_pin_format(profile_, Pin::sign, sign_pin);
    PinScope scope(*this, secret_of(profile_, Pin::sign), options);
    scope.verify(sign_pin);
    Session& s = scope.session();
    const std::string name = certificate_name(Certificate::sign);
    s.require_file(detail::jpki::sign_cert, name);
    return s.read_object(detail::tag::der_sequence, "the " + name);
}

int MyNumberCard::tries_left(Pin pin) {
    const Operation op(*this);
    Session s(channel_, profile_.read_chunk);
    const SecretRef ref = secret_of(profile_, pin);
    s.require_application(ref.aid, ref.ap_name);
    select_secret(s, ref);
    return s.query_tries(ref.max_tries, ref.name);
}

namespace {

// The PIN pad types digits only (card-facts.md §2.3: the sign password has
// letters), so only the 4-digit PINs go there.
void require_pin_pad_pin(const CardProfile& profile, Pin pin) {
    if (!profile.rule(pin).digits_only)
        throw Error(Errc::unsupported, "the " + std::string(to_string(pin)) +
                                           " PIN has letters: a PIN pad cannot type it");
}

}  // namespace

Bytes MyNumberCard::sign(Key key, const SecureBytes& pin, ByteView digest_info,
                         PinOptions options) {
    return sign_with(key, PinSource{&pin}, digest_info, options);
}

Bytes MyNumberCard::sign_on_pad(Key key, ByteView digest_info, PinOptions options) {
    require_pin_pad_pin(profile_, key == Key::auth ? Pin::auth : Pin::sign);
    return sign_with(key, PinSource{}, digest_info, options);
}

Bytes MyNumberCard::sign_with(Key key, PinSource pin, ByteView digest_info, PinOptions options) {
    const Pin which = key == Key::auth ? Pin::auth : Pin::sign;
    if (pin.typed) check_pin_format(profile_, which, *pin.typed);
    if (digest_info.empty() || digest_info.size() > profile_.max_digest_info) {
        throw Error(
            Errc::invalid_argument,
            "the DigestInfo must be 1 to " + std::to_string(profile_.max_digest_info) + " bytes");
    }
    PinScope scope(*this, secret_of(profile_, which), options);
    scope.verify(pin.typed, profile_.rule(which));
    Session& s = scope.session();

    const std::uint16_t key_ef = key == Key::auth ? detail::jpki::auth_key : detail::jpki::sign_key;
    s.require_file(key_ef,
                   key == Key::auth ? "authentication key (EF 0017)" : "signature key (EF 001A)");
    // card-facts.md §2.6: 80 2A 00 80 Lc <DigestInfo> 00; the card pads
    // PKCS#1 v1.5 type 1 and returns the signature.
    apdu::CommandApdu c;
    c.cla = 0x80;
    c.ins = 0x2A;
    c.p1 = 0x00;  // input is a DigestInfo built by the host
    c.p2 = 0x80;  // key of the current EF
    c.data.assign(digest_info.begin(), digest_info.end());
    c.le = profile_.signature_bytes <= 256 ? 256 : profile_.signature_bytes;
    auto r = s.send(c);
    if (!r.ok()) detail::fail_sw("COMPUTE DIGITAL SIGNATURE", r.sw);
    if (r.data.size() != profile_.signature_bytes) {
        throw Error(Errc::malformed_data, "the card returned a signature of " +
                                              std::to_string(r.data.size()) + " bytes instead of " +
                                              std::to_string(profile_.signature_bytes));
    }
    return std::move(r.data);
}

void MyNumberCard::verify_pin(Pin pin, const SecureBytes& value, PinOptions options) {
    verify_with(pin, PinSource{&value}, options);
}

void MyNumberCard::verify_pin_on_pad(Pin pin, PinOptions options) {
    require_pin_pad_pin(profile_, pin);
    verify_with(pin, PinSource{}, options);
}

void MyNumberCard::verify_with(Pin pin, PinSource source, PinOptions options) {
    if (source.typed) check_pin_format(profile_, pin, *source.typed);
    PinScope scope(*this, secret_of(profile_, pin), options);
    scope.verify(source.typed, profile_.rule(pin));
}

void MyNumberCard::change_pin(Pin pin, const SecureBytes& current, const SecureBytes& next,
                              PinOptions options) {
    check_pin_format(profile_, pin, current);
    check_pin_format(profile_, pin, next);
    PinScope scope(*this, secret_of(profile_, pin), options);
    scope.verify(current);
    scope.session().change_reference_data(next, scope.secret().name);
}

TextApData MyNumberCard::read_text_ap(const SecureBytes& pin, PinOptions options) {
    check_pin_format(profile_, Pin::text, pin);
    PinScope scope(*this, secret_of(profile_, Pin::text), options);
    scope.verify(pin);
    Session& s = scope.session();

    TextApData out;
    s.require_file(detail::text::my_number, "My Number file (EF 0001)");
    out.my_number_file = s.read_exact(detail::text::my_number_file_size, "the My Number file");
    out.my_number = parse_my_number_file(out.my_number_file);

    s.require_file(detail::text::basic_four, "basic four record (EF 0002)");
    out.basic_file = s.read_object(detail::tag::basic_four, "the basic four record");
    out.basic = parse_basic_four(out.basic_file);

    s.require_file(detail::text::integrity, "integrity record (EF 0003)");
    out.integrity_record = s.read_object(detail::tag::integrity, "the integrity record");

    s.require_file(detail::text::ap_certificate, "AP certificate (EF 0004)");
    out.ap_certificate = s.read_object(detail::tag::cv_certificate, "the AP certificate");
    return out;
}

FaceData MyNumberCard::read_face_ap(FaceCode code, const SecureBytes& value, PinOptions options) {
    check_face_code(code, value);
    const SecretRef ref{profile_.face_aid, detail::face_ap_name,
                        code == FaceCode::a ? detail::face::code_a : detail::face::code_b,
                        detail::face_code_name(code), detail::face::unknown_max_tries};
    // Decision 5's last-try rule holds for the 照合番号 too (docs/decisions.md,
    // "The card-face AP's 照合番号 and the last try"): their counters are
    // unknown (card-facts.md §4.1 [U]), but a blocked one locks the card
    // face until the city office resets it, like a PIN. Blocked stops here.
    PinScope scope(*this, ref, options);
    scope.verify(value);
    Session& s = scope.session();
    s.require_file(detail::face::card_face, "card face record (EF 0002)");
    const Bytes record = s.read_object(detail::tag::basic_four, "the card face record");
    return parse_face_record(record);
}

void MyNumberCard::reset_security_state() {
    const Operation op(*this);
    Session s(channel_, profile_.read_chunk);
    // An absent JPKI AP has no security state to clear.
    (void)s.select_application(profile_.jpki_aid, detail::jpki_ap_name);
}

void wipe(TextApData& data) noexcept {
    mynacard::wipe(data.my_number);
    mynacard::wipe(data.basic.name);
    mynacard::wipe(data.basic.address);
    mynacard::wipe(data.basic.birth_date);
    mynacard::wipe(data.basic.sex);
    mynacard::wipe(data.my_number_file);
    mynacard::wipe(data.basic_file);
    mynacard::wipe(data.integrity_record);
    mynacard::wipe(data.ap_certificate);
}

void wipe(FaceData& data) noexcept {
    mynacard::wipe(data.birth_date);
    mynacard::wipe(data.sex);
    mynacard::wipe(data.expiry);
    mynacard::wipe(data.name_png);
    mynacard::wipe(data.address_png);
    mynacard::wipe(data.photo_jp2);
    mynacard::wipe(data.security_code_png);
    mynacard::wipe(data.record);
}

}  // namespace mynacard::card
