// Readers, slots and tokens (PKCS#11 3.0 §5.5): what the card service
// lists becomes slots (reader index × 2 + token), with no APDU (decision 6);
// a token's certificates and PIN counters are read on first use and kept.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "pkcs11/errors.h"
#include "pkcs11/module.h"
#include "pkcs11/rules.h"

namespace mynacard::pkcs11 {

namespace {

// Token labels as users know them from OpenSC (decision 4); manufacturer and
// model of CK_TOKEN_INFO (§3.2: blank-padded, not NUL-terminated).
constexpr std::string_view auth_label = "JPKI (User Authentication PIN)";
constexpr std::string_view sign_label = "JPKI (Digital Signature PIN)";
constexpr std::string_view token_manufacturer = "J-LIS";
constexpr std::string_view token_model = "My Number Card";
constexpr std::string_view library_manufacturer = "mynacard";
constexpr std::string_view library_description = "mynacard My Number Card PKCS#11";
constexpr std::size_t serial_hex_chars = 16;  // CK_TOKEN_INFO.serialNumber is 16 chars
// How long a PIN counter read from the card stands for the card: another
// program may spend tries meanwhile, and CKF_USER_PIN_FINAL_TRY must not
// stay false when the card shows one try (decision 5). Applications poll
// C_GetTokenInfo (browsers every few seconds); re-reading at most every two
// seconds keeps the flags true at three APDUs a read.
constexpr auto tries_max_age = std::chrono::seconds(2);

template <std::size_t N>
void pad(CK_UTF8CHAR (&field)[N], std::string_view text) {
    std::memset(field, ' ', N);
    std::memcpy(field, text.data(), std::min(N, text.size()));
}

// What a PIN counter says in CK_TOKEN_INFO.flags (§3.2 CK_TOKEN_INFO).
[[nodiscard]] CK_FLAGS pin_flags(int tries, int max_tries) noexcept {
    if (tries <= 0) return CKF_USER_PIN_LOCKED;
    if (tries == 1) return CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW;
    if (tries < max_tries) return CKF_USER_PIN_COUNT_LOW;
    return 0;
}

// The buffer-size protocol of the list calls (PKCS#11 3.0 §5.2: "Conventions
// for functions returning output in a variable-length buffer"): a NULL
// buffer asks for the count, a short one gets CKR_BUFFER_TOO_SMALL with the
// count, else the items are copied.
template <class T>
void fill_list(const std::vector<T>& items, T* list, CK_ULONG& count) {
    const CK_ULONG n = items.size();
    if (list == nullptr) {
        count = n;
        return;
    }
    if (count < n) {
        count = n;
        throw Rv(CKR_BUFFER_TOO_SMALL);
    }
    std::copy(items.begin(), items.end(), list);
    count = n;
}

}  // namespace

Module::Module(std::unique_ptr<session::CardSource> source, std::unique_ptr<Prompts> prompts,
               Unlocked unlocked, std::filesystem::path audit_log)
    : cards_(std::move(source),
             session::AuditTrail(std::move(audit_log), session::AuditWrite::best_effort)),
      prompts_(std::move(prompts)),
      unlocked_(std::move(unlocked)) {
    if (!prompts_) throw Error(Errc::internal, "module without prompts");
    pin_helper_ = prompts_->available();
}

Module::~Module() {
    for (auto& r : readers_) drop_card(r);
}

void Module::drop_card(Reader& reader) noexcept {
    cards_.forget(reader.name);  // its connection and identity
    if (!reader.card) return;
    const auto id = reader.card->id;
    std::erase_if(sessions_, [id](const auto& entry) { return entry.second.card_id == id; });
    reader.card.reset();  // SecureBytes zeroise the authentication PIN
}

void Module::drop_all() noexcept {
    for (auto& r : readers_) drop_card(r);
}

void Module::refresh() {
    // Reader states only (SCardListReaders + SCardGetStatusChange): no APDU.
    // A card service that went away is restarted once by the card session;
    // still gone, no reader is listed until it answers again.
    std::vector<session::ReaderStatus> states;
    try {
        states = cards_.readers();
    } catch (const Error& e) {
        if (e.code() != Errc::service_stopped && e.code() != Errc::reader_unavailable) throw;
    }
    if (cards_.restarts() != restarts_seen_) {
        // Every card's connection went with the old service: what the
        // module knew of them (logins, PINs) goes too.
        restarts_seen_ = cards_.restarts();
        drop_all();
    }
    const bool report = refreshed_once_;
    refreshed_once_ = true;
    for (auto& r : readers_) r.listed = false;
    for (const auto& st : states) {
        auto it = std::find_if(readers_.begin(), readers_.end(),
                               [&](const Reader& r) { return r.name == st.name; });
        if (it == readers_.end()) {
            readers_.push_back(Reader{});
            it = std::prev(readers_.end());
            it->name = st.name;
        }
        Reader& r = *it;
        r.listed = true;
        if (!st.present) {
            if (r.present) r.event = {report, report};
            r.present = false;
            drop_card(r);
            continue;
        }
        const bool changed = !r.present || st.event_count != r.event_count;
        if (changed) {
            r.event = {report, report};
            drop_card(r);
        }
        r.present = true;
        r.event_count = st.event_count;
        if (!r.card) {
            r.card = std::make_unique<CardState>();
            r.card->id = next_card_id_++;
            r.card->event_count = st.event_count;
        }
    }
    for (auto& r : readers_) {
        if (r.listed) continue;
        if (r.present) r.event = {true, true};
        r.present = false;
        drop_card(r);
    }
}

Reader& Module::reader_of(CK_SLOT_ID slot) {
    const auto index = slot / tokens_per_reader;
    if (index >= readers_.size() || !shown_.at(slot % tokens_per_reader))
        throw Rv(CKR_SLOT_ID_INVALID);
    return readers_[index];
}

std::optional<Module::ShownTokens> Module::parse_shown_tokens(std::string_view text) {
    ShownTokens shown{};
    if (text.empty()) return ShownTokens{true, true};
    while (true) {
        const auto comma = text.find(',');
        const std::string_view name = text.substr(0, comma);
        if (name == "auth")
            shown.at(static_cast<std::size_t>(Token::auth)) = true;
        else if (name == "sign")
            shown.at(static_cast<std::size_t>(Token::sign)) = true;
        else
            return std::nullopt;
        if (comma == std::string_view::npos) return shown;
        text.remove_prefix(comma + 1);
    }
}

Token Module::token_of(CK_SLOT_ID slot) noexcept {
    return slot % tokens_per_reader == 0 ? Token::auth : Token::sign;
}

const x509::Certificate* Module::certificate(Reader& reader, card::Certificate which) {
    if (!reader.card) throw Rv(CKR_DEVICE_REMOVED);
    auto& slot = reader.card->certificates.at(static_cast<std::size_t>(which));
    if (slot) return &*slot;
    // The signature certificate needs the signature password: it is read at
    // C_Login on the signature token and unknown before.
    if (which == card::Certificate::sign) return nullptr;
    Bytes der =
        with_card(reader, [&](card::MyNumberCard& card) { return card.read_certificate(which); });
    auto& cached = reader.card->certificates.at(static_cast<std::size_t>(which));
    cached = x509::Certificate::from_der(der);
    return &*cached;
}

CardState& Module::token(CK_SLOT_ID slot) {
    Reader& r = reader_of(slot);
    if (!r.present || !r.card) throw Rv(CKR_TOKEN_NOT_PRESENT);
    if (!r.card->recognised) {
        // Recognition is the first read of the authentication certificate:
        // SELECT of the JPKI AID first (decision 6), and the certificate is
        // what the token serial is made of anyway.
        try {
            (void)certificate(r, card::Certificate::auth);
            r.card->recognised = true;
        } catch (const Error& e) {
            if (e.code() != Errc::not_found && e.code() != Errc::card_error &&
                e.code() != Errc::malformed_data)
                throw;
            if (r.card) r.card->recognised = false;
        }
    }
    if (!r.card) throw Rv(CKR_DEVICE_REMOVED);
    if (!*r.card->recognised) throw Rv(CKR_TOKEN_NOT_RECOGNIZED);
    if (token_of(slot) == Token::sign && !r.card->has_sign_token) {
        // A minor's card has no signature password (SELECT EF 001B → 6A82,
        // card-facts.md §2.3): no token in this slot. The tries left are
        // what C_GetTokenInfo needs anyway, so finding out costs nothing.
        try {
            (void)tries(r, Token::sign);
            r.card->has_sign_token = true;
        } catch (const Error& e) {
            if (e.code() != Errc::not_found) throw;
            if (r.card) r.card->has_sign_token = false;
        }
        if (!r.card) throw Rv(CKR_DEVICE_REMOVED);
    }
    if (token_of(slot) == Token::sign && !*r.card->has_sign_token) throw Rv(CKR_TOKEN_NOT_PRESENT);
    return *r.card;
}

bool Module::shows_token(const Reader& reader, Token t) noexcept {
    if (!reader.present || !reader.card || !reader.card->recognised.value_or(true)) return false;
    return t == Token::auth || reader.card->has_sign_token.value_or(true);
}

int Module::tries(Reader& reader, Token t) {
    const auto ti = static_cast<std::size_t>(t);
    const auto now = std::chrono::steady_clock::now();
    auto& cached = reader.card->tries.at(ti);
    if (cached && now - reader.card->tries_read.at(ti) < tries_max_age) return *cached;
    const int n =
        with_card(reader, [&](card::MyNumberCard& card) { return card.tries_left(pin_of(t)); });
    if (!reader.card) throw Rv(CKR_DEVICE_REMOVED);
    reader.card->tries.at(ti) = n;
    reader.card->tries_read.at(ti) = now;
    return n;
}

void Module::get_info(CK_INFO& info) const {
    info = CK_INFO{};
    info.cryptokiVersion = {3, 0};
    pad(info.manufacturerID, library_manufacturer);
    info.flags = 0;
    pad(info.libraryDescription, library_description);
    info.libraryVersion = {MYNACARD_VERSION_MAJOR, MYNACARD_VERSION_MINOR};
}

void Module::get_slot_list(bool token_present, CK_SLOT_ID_PTR list, CK_ULONG& count) {
    refresh();
    std::vector<CK_SLOT_ID> ids;
    for (std::size_t i = 0; i < readers_.size(); ++i) {
        const Reader& r = readers_[i];
        if (!r.listed) continue;
        // No APDU here (decision 6): any present card counts as a token; one
        // that turns out not to be a My Number Card answers
        // CKR_TOKEN_NOT_RECOGNIZED when first used, and is left out after.
        // So is the signature slot of a card without the signature password.
        for (CK_ULONG t = 0; t < tokens_per_reader; ++t) {
            if (!shown_.at(t)) continue;
            if (token_present && !shows_token(r, static_cast<Token>(t))) continue;
            ids.push_back(i * tokens_per_reader + t);
        }
    }
    fill_list(ids, list, count);
}

void Module::get_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO& info) {
    refresh();
    const Reader& r = reader_of(slot);
    info = CK_SLOT_INFO{};
    pad(info.slotDescription, r.name);
    pad(info.manufacturerID, library_manufacturer);
    info.flags = CKF_REMOVABLE_DEVICE | CKF_HW_SLOT;
    if (shows_token(r, token_of(slot))) info.flags |= CKF_TOKEN_PRESENT;
    info.hardwareVersion = {0, 0};
    info.firmwareVersion = {0, 0};
}

void Module::get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO& info) {
    refresh();
    CardState& c = token(slot);
    Reader& r = reader_of(slot);
    const Token t = token_of(slot);
    const auto& rule = profile().rule(pin_of(t));
    info = CK_TOKEN_INFO{};
    pad(info.label, t == Token::auth ? auth_label : sign_label);
    pad(info.manufacturerID, token_manufacturer);
    pad(info.model, token_model);
    // Stable per card, not a constant, and different for the two tokens of
    // one card (applications key tokens by serial, e.g. RFC 7512 URIs and
    // NSS): the start of the SHA-256 of the authentication certificate
    // (cached, so no further APDU), its last digit naming the token.
    const auto* auth_cert = certificate(r, card::Certificate::auth);
    std::string serial = to_hex(x509::digest(x509::Hash::sha256, auth_cert->der()), true)
                             .substr(0, serial_hex_chars - 1);
    serial += t == Token::auth ? '1' : '2';
    pad(info.serialNumber, serial);
    info.flags =
        CKF_LOGIN_REQUIRED | CKF_WRITE_PROTECTED | CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED;
    info.flags |= pin_flags(tries(r, t), rule.max_tries);
    // The PIN helper is this token's protected authentication path: C_Login
    // with a NULL PIN shows mynacard-helper's dialog (decision 9,
    // docs/pin-helper.md). Decided at C_Initialize, so it never changes
    // under an application.
    // The PIN pad serves the 4-digit authentication PIN only: a numeric pad
    // cannot type the signature password's letters (card-facts.md §2.3).
    if (pin_helper_ || (t == Token::auth && reader_pin_pad(r)))
        info.flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
    CK_ULONG sessions = 0, rw = 0;
    for (const auto& [h, s] : sessions_) {
        if (s.slot != slot || s.card_id != c.id) continue;
        ++sessions;
        if (s.flags & CKF_RW_SESSION) ++rw;
    }
    info.ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
    info.ulSessionCount = sessions;
    info.ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
    info.ulRwSessionCount = rw;
    info.ulMaxPinLen = rule.max_length;
    info.ulMinPinLen = rule.min_length;
    info.ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    info.ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    info.ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info.ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info.hardwareVersion = {0, 0};
    info.firmwareVersion = {0, 0};
    std::memset(info.utcTime, ' ', sizeof info.utcTime);  // no CKF_CLOCK_ON_TOKEN
}

void Module::get_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG& count) {
    refresh();
    const Reader& r = reader_of(slot);
    if (!r.present) throw Rv(CKR_TOKEN_NOT_PRESENT);
    std::vector<CK_MECHANISM_TYPE> types;
    for (const auto& m : mechanisms()) types.push_back(m.type);
    fill_list(types, list, count);
}

void Module::get_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO& info) {
    refresh();
    const Reader& r = reader_of(slot);
    if (!r.present) throw Rv(CKR_TOKEN_NOT_PRESENT);
    if (find_mechanism(type) == nullptr) throw Rv(CKR_MECHANISM_INVALID);
    const auto bits = static_cast<CK_ULONG>(profile().signature_bytes * 8);
    info.ulMinKeySize = bits;
    info.ulMaxKeySize = bits;
    info.flags = CKF_SIGN | CKF_HW;
}

bool Module::poll_slot_event(CK_SLOT_ID& slot) {
    refresh();
    for (std::size_t i = 0; i < readers_.size(); ++i) {
        for (std::size_t t = 0; t < tokens_per_reader; ++t) {
            if (!readers_[i].event.at(t)) continue;
            readers_[i].event.at(t) = false;
            if (!shown_.at(t)) continue;
            slot = i * tokens_per_reader + t;
            return true;
        }
    }
    return false;
}

void Module::record(std::string_view reader, audit::Operation operation, audit::Result result,
                    Token t, const x509::Certificate* cert) noexcept {
    // Decision 11 wants every card use logged; a log that cannot be written
    // must not break the browser or ssh that loaded us: the operation
    // proceeds and nothing is reported (docs/pkcs11.md).
    try {
        auto subject = session::Subject::of(key_of(t));
        if (cert != nullptr) subject.serial(cert->serial());
        cards_.trail().record(reader, operation, result, subject);
    } catch (...) {  // NOLINT(bugprone-empty-catch): see above
    }
}

}  // namespace mynacard::pkcs11
