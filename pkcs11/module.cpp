#include "pkcs11/module.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <utility>

#include "consent/consent.h"
#include "core/error.h"
#include "core/paths.h"
#include "pinhelper/pinhelper.h"
#include "pkcs11/errors.h"

namespace mynacard::pkcs11 {

namespace {

// The calling program is this process: the module runs inside it.
std::string calling_program() {
    return own_executable();
}

const card::CardProfile& profile() {
    return card::CardProfile::my_number_card();
}

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

[[nodiscard]] card::Pin pin_of(Token t) noexcept {
    return t == Token::auth ? card::Pin::auth : card::Pin::sign;
}

// A PIN as the card compares it, its format checked without touching the
// card (decision 5): the length first (CKR_PIN_LEN_RANGE), then the
// characters (Errc::pin_format → CKR_PIN_INVALID); the signature password
// upper-cased.
[[nodiscard]] SecureBytes checked_pin(card::Pin which, ByteView typed) {
    const auto& rule = profile().rule(which);
    if (typed.size() < rule.min_length || typed.size() > rule.max_length)
        throw Rv(CKR_PIN_LEN_RANGE);
    SecureBytes value =
        which == card::Pin::sign
            ? card::normalise_pin(
                  which,
                  std::string_view(reinterpret_cast<const char*>(typed.data()), typed.size()))
            : SecureBytes(typed.begin(), typed.end());
    card::check_pin_format(profile(), which, value);
    return value;
}

[[nodiscard]] std::string_view key_name(Token t) noexcept {
    return t == Token::auth ? "auth" : "sign";
}

// What a PIN counter says in CK_TOKEN_INFO.flags (§3.2 CK_TOKEN_INFO).
[[nodiscard]] CK_FLAGS pin_flags(int tries, int max_tries) noexcept {
    if (tries <= 0) return CKF_USER_PIN_LOCKED;
    if (tries == 1) return CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW;
    if (tries < max_tries) return CKF_USER_PIN_COUNT_LOW;
    return 0;
}

}  // namespace

Module::Module(Unlocked unlocked)
    : pin_helper_(pinhelper::available()), unlocked_(std::move(unlocked)) {}

Module::~Module() {
    for (auto& r : readers_) drop_card(r);
}

// ------------------------------------------------------------ readers/slots

pcsc::Context& Module::context() {
    if (!context_) context_ = std::make_unique<pcsc::Context>();
    return *context_;
}

void Module::drop_card(Reader& reader) {
    if (!reader.card) return;
    const auto id = reader.card->id;
    std::erase_if(sessions_, [id](const auto& entry) { return entry.second.card_id == id; });
    reader.card.reset();  // SecureBytes zeroise the authentication PIN
}

void Module::refresh() {
    // Reader states only (SCardListReaders + SCardGetStatusChange): no APDU.
    std::vector<pcsc::ReaderState> states;
    for (int attempt = 0;; ++attempt) {
        try {
            states = context().states();
            break;
        } catch (const Error& e) {
            if (e.code() != Errc::service_stopped && e.code() != Errc::reader_unavailable) throw;
            // pcscd went away (or never ran): a new context next time, and
            // every card's connection is gone with the old one.
            context_.reset();
            for (auto& r : readers_) drop_card(r);
            if (attempt > 0) break;
        }
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
    if (index >= readers_.size()) throw Rv(CKR_SLOT_ID_INVALID);
    return readers_[index];
}

Token Module::token_of(CK_SLOT_ID slot) noexcept {
    return slot % tokens_per_reader == 0 ? Token::auth : Token::sign;
}

template <typename F>
decltype(auto) Module::with_card(Reader& reader, F&& fn) {
    if (!reader.card) throw Rv(CKR_TOKEN_NOT_PRESENT);
    CardState& c = *reader.card;
    try {
        if (!c.connection)
            c.connection = std::make_unique<pcsc::Connection>(context(), reader.name);
        card::MyNumberCard card(*c.connection, c.identity);
        return fn(card, *c.connection);
    } catch (const Error& e) {
        switch (e.code()) {
            case Errc::card_removed:
            case Errc::no_card:
            case Errc::reader_unavailable:
                drop_card(reader);
                throw Rv(CKR_DEVICE_REMOVED);
            case Errc::service_stopped:
                context_.reset();
                for (auto& r : readers_) drop_card(r);
                throw Rv(CKR_DEVICE_REMOVED);
            default:
                throw;
        }
    }
}

const x509::Certificate* Module::certificate(Reader& reader, card::Certificate which) {
    if (!reader.card) throw Rv(CKR_DEVICE_REMOVED);
    auto& slot = reader.card->certificates.at(static_cast<std::size_t>(which));
    if (slot) return &*slot;
    // The signature certificate needs the signature password: it is read at
    // C_Login on the signature token and unknown before.
    if (which == card::Certificate::sign) return nullptr;
    Bytes der = with_card(reader, [&](card::MyNumberCard& card, pcsc::Connection&) {
        return card.read_certificate(which);
    });
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
    const int n = with_card(reader, [&](card::MyNumberCard& card, pcsc::Connection&) {
        return card.tries_left(pin_of(t));
    });
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
            if (token_present && !shows_token(r, static_cast<Token>(t))) continue;
            ids.push_back(i * tokens_per_reader + t);
        }
    }
    const CK_ULONG n = ids.size();
    if (list == nullptr) {
        count = n;
        return;
    }
    if (count < n) {
        count = n;
        throw Rv(CKR_BUFFER_TOO_SMALL);
    }
    std::copy(ids.begin(), ids.end(), list);
    count = n;
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
    const auto all = mechanisms();
    const CK_ULONG n = all.size();
    if (list == nullptr) {
        count = n;
        return;
    }
    if (count < n) {
        count = n;
        throw Rv(CKR_BUFFER_TOO_SMALL);
    }
    for (CK_ULONG i = 0; i < n; ++i) list[i] = all[i].type;
    count = n;
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
            slot = i * tokens_per_reader + t;
            return true;
        }
    }
    return false;
}

// ---------------------------------------------------------------- sessions

Session& Module::session(CK_SESSION_HANDLE h) {
    if (!sessions_.contains(h)) throw Rv(CKR_SESSION_HANDLE_INVALID);
    refresh();  // a removed card takes its sessions with it
    const auto it = sessions_.find(h);
    if (it == sessions_.end()) throw Rv(CKR_SESSION_HANDLE_INVALID);
    return it->second;
}

void Module::check_session(CK_SESSION_HANDLE h) {
    (void)session(h);
}

CK_SESSION_HANDLE Module::open_session(CK_SLOT_ID slot, CK_FLAGS flags) {
    refresh();
    (void)reader_of(slot);
    // §5.6: CKF_SERIAL_SESSION must be set, for backward compatibility.
    if ((flags & CKF_SERIAL_SESSION) == 0) throw Rv(CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    CardState& c = token(slot);
    const CK_SESSION_HANDLE h = next_session_++;
    Session s;
    s.slot = slot;
    s.flags = flags & (CKF_SERIAL_SESSION | CKF_RW_SESSION);
    s.card_id = c.id;
    sessions_.emplace(h, std::move(s));
    return h;
}

void Module::end_login(Reader& reader, Token t) noexcept {
    if (!reader.card) return;
    CardState& c = *reader.card;
    c.logged_in.at(static_cast<std::size_t>(t)) = false;
    if (t == Token::auth) {
        secure_zero(c.auth_pin.data(), c.auth_pin.size());
        c.auth_pin.clear();
        c.auth_pin.shrink_to_fit();
    }
    // Operations on the token's keys end with the login.
    for (auto& [h, s] : sessions_)
        if (s.card_id == c.id && token_of(s.slot) == t) s.sign.reset();
}

void Module::close_session(CK_SESSION_HANDLE h) {
    const Session& s = session(h);
    const CK_SLOT_ID slot = s.slot;
    sessions_.erase(h);
    const bool last = std::none_of(sessions_.begin(), sessions_.end(),
                                   [slot](const auto& e) { return e.second.slot == slot; });
    if (last) end_login(reader_of(slot), token_of(slot));
}

void Module::close_all_sessions(CK_SLOT_ID slot) {
    refresh();
    Reader& r = reader_of(slot);
    std::erase_if(sessions_, [slot](const auto& e) { return e.second.slot == slot; });
    end_login(r, token_of(slot));
}

void Module::get_session_info(CK_SESSION_HANDLE h, CK_SESSION_INFO& info) {
    const Session& s = session(h);
    const Reader& r = reader_of(s.slot);
    const bool user = r.card && r.card->logged_in.at(static_cast<std::size_t>(token_of(s.slot)));
    const bool rw = (s.flags & CKF_RW_SESSION) != 0;
    info.slotID = s.slot;
    info.state = user ? (rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS)
                      : (rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION);
    info.flags = s.flags;
    info.ulDeviceError = 0;
}

void Module::audit_event(std::string_view reader, audit::Operation operation, audit::Result result,
                         Token t, const x509::Certificate* cert) noexcept {
    // Decision 11 wants every card use logged; a log that cannot be written
    // must not break the browser or ssh that loaded us: the operation
    // proceeds and nothing is reported (docs/pkcs11.md).
    try {
        audit::Log log(audit::Log::default_path());
        audit::Event ev;
        ev.operation = operation;
        ev.result = result;
        ev.reader = std::string(reader);
        ev.key = std::string(key_name(t));
        if (cert != nullptr) ev.cert_serial_hash = audit::serial_hash(cert->serial());
        log.append(ev);
    } catch (...) {  // NOLINT(bugprone-empty-catch): see above
    }
}

void Module::unlocked(const std::function<void()>& fn) {
    if (unlocked_)
        unlocked_(fn);
    else
        fn();
}

CardState& Module::still_open(CK_SESSION_HANDLE h, std::uint64_t card_id) {
    const Session& s = session(h);  // refreshes: a removed card took its sessions
    Reader& r = reader_of(s.slot);
    if (!r.card || r.card->id != card_id || s.card_id != card_id) throw Rv(CKR_DEVICE_REMOVED);
    return *r.card;
}

void Module::note_pin_failure(Reader& r, Token t, std::uint64_t card_id, const Error& e,
                              audit::Operation operation, const x509::Certificate* cert) {
    if (!r.card || r.card->id != card_id) return;
    auto& cached = r.card->tries.at(static_cast<std::size_t>(t));
    switch (e.code()) {
        case Errc::pin_incorrect:
        case Errc::confirmation_required:  // carries the tries the card showed
            if (e.tries_left() >= 0) {
                cached = e.tries_left();
                r.card->tries_read.at(static_cast<std::size_t>(t)) =
                    std::chrono::steady_clock::now();
            } else {
                cached.reset();
            }
            break;
        case Errc::pin_blocked:
            cached = 0;
            r.card->tries_read.at(static_cast<std::size_t>(t)) = std::chrono::steady_clock::now();
            break;
        default:
            break;
    }
    audit_event(r.name, operation, audit::result_of(e.code()), t, cert);
}

bool Module::person_confirms_last_try(CK_SESSION_HANDLE h, Token t, pinhelper::Purpose purpose) {
    if (!pin_helper_) return false;  // nobody to ask: no last try (docs/pkcs11.md)
    const Session& s = session(h);
    Reader& r = reader_of(s.slot);
    pinhelper::Request request;
    request.pin = pin_of(t);
    request.purpose = purpose;
    request.entry = pinhelper::Entry::confirm_last_try;
    request.program = calling_program();
    request.pid = static_cast<long>(::getpid());
    request.reader = r.name;
    request.tries_left = 1;
    bool confirmed = false;
    unlocked([&]() {
        try {
            confirmed = pinhelper::confirm_last_try(request);
        } catch (const Error&) {
            confirmed = false;  // no dialog, cancelled, timed out: not confirmed
        }
    });
    return confirmed;
}

void Module::login(CK_SESSION_HANDLE h, CK_USER_TYPE user, ByteView pin, bool pin_given) {
    Session& s = session(h);
    const Token t = token_of(s.slot);
    Reader& r = reader_of(s.slot);
    CardState& c = *r.card;
    const auto ti = static_cast<std::size_t>(t);
    if (user == CKU_SO) throw Rv(CKR_USER_TYPE_INVALID);  // the card has no SO PIN
    if (user != CKU_USER && user != CKU_CONTEXT_SPECIFIC) throw Rv(CKR_USER_TYPE_INVALID);
    if (user == CKU_USER && c.logged_in.at(ti)) throw Rv(CKR_USER_ALREADY_LOGGED_IN);
    if (user == CKU_CONTEXT_SPECIFIC) {
        if (!s.sign) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
        if (!c.logged_in.at(ti)) throw Rv(CKR_USER_NOT_LOGGED_IN);
    }
    if (!pin_given && user == CKU_USER && t == Token::auth && reader_pin_pad(r)) {
        login_on_pad(h, r);
        return;
    }
    // A NULL PIN asks the PIN helper, when the token advertises it.
    if (!pin_given && !pin_helper_) throw Rv(CKR_ARGUMENTS_BAD);
    verify_login(h, user, pin, pin_given);
}

void Module::verify_login(CK_SESSION_HANDLE h, CK_USER_TYPE user, ByteView pin, bool pin_given) {
    const Token t = token_of(session(h).slot);
    const card::Pin which = pin_of(t);
    const auto purpose =
        user == CKU_CONTEXT_SPECIFIC ? pinhelper::Purpose::sign : pinhelper::Purpose::login;
    const std::uint64_t card_id = reader_of(session(h).slot).card->id;
    // Format first, without touching the card (decision 5); the helper's
    // answer goes through exactly the same checks as a typed PIN.
    SecureBytes value = pin_given ? checked_pin(which, pin) : SecureBytes{};
    bool person_confirmed = false;
    // Rounds: the dialog is asked again when the tries dropped to one while
    // it was open; an application's PIN meets the last try once, then a
    // person confirms or nothing is sent. Three rounds cover both.
    for (int round = 0;; ++round) {
        card::PinOptions options;
        if (!pin_given) {
            int shown = -1;
            value =
                checked_pin(which, ask_helper(h, t, purpose, pinhelper::Entry::current, &shown));
            // The dialog asked for a ticked confirmation exactly when it
            // showed one try; the card's count is read again inside the
            // VERIFY transaction, so a count that dropped meanwhile is caught.
            options.confirm_last_try = shown == 1;
        } else {
            options.confirm_last_try = person_confirmed;
        }
        CardState& c = still_open(h, card_id);
        Reader& r = reader_of(session(h).slot);
        try {
            if (user == CKU_CONTEXT_SPECIFIC) {
                with_card(r, [&](card::MyNumberCard& card, pcsc::Connection&) {
                    card.verify_pin(which, value, options);
                });
                Session& s = session(h);
                if (!s.sign) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
                s.sign->context_pin = std::move(value);
            } else if (t == Token::auth) {
                with_card(r, [&](card::MyNumberCard& card, pcsc::Connection&) {
                    card.verify_pin(which, value, options);
                });
                c.auth_pin = std::move(value);
            } else {
                // Login on the signature token reads the signature certificate
                // with the password (VERIFY + read + reset in one transaction);
                // the password itself is not kept.
                Bytes der = with_card(r, [&](card::MyNumberCard& card, pcsc::Connection&) {
                    return card.read_sign_certificate(value, options);
                });
                c.certificates.at(static_cast<std::size_t>(card::Certificate::sign)) =
                    x509::Certificate::from_der(der);
            }
            break;
        } catch (const Error& e) {
            bool again = false;
            if (e.code() == Errc::confirmation_required && round < 2 && r.card &&
                r.card->id == card_id) {
                // Fewer tries than the dialog showed: ask again. An
                // application's PIN on the last try: a person confirms.
                if (!pin_given)
                    again = true;
                else if (!person_confirmed)
                    again = person_confirmed = person_confirms_last_try(h, t, purpose);
            }
            if (again) continue;
            // A dialog ran: references from before it may be stale.
            note_pin_failure(reader_of(session(h).slot), t, card_id, e, audit::Operation::login,
                             nullptr);
            throw;
        }
    }
    CardState& c = still_open(h, card_id);
    Reader& r = reader_of(session(h).slot);
    c.tries.at(static_cast<std::size_t>(t)) = profile().rule(which).max_tries;
    c.tries_read.at(static_cast<std::size_t>(t)) = std::chrono::steady_clock::now();
    const auto* cert =
        certificate(r, t == Token::auth ? card::Certificate::auth : card::Certificate::sign);
    if (user == CKU_USER && t == Token::sign && cert != nullptr) {
        const bool allowed = consent_to_release(r.name, *cert);
        CardState& again = still_open(h, card_id);
        if (!allowed) {
            // The holder did not agree to hand this program the certificate:
            // no login, and the certificate read for it is forgotten.
            again.certificates.at(static_cast<std::size_t>(card::Certificate::sign)).reset();
            throw Rv(CKR_FUNCTION_REJECTED);
        }
    }
    CardState& done = still_open(h, card_id);
    if (user == CKU_USER) {
        // Another thread may have logged in while a dialog was open.
        if (done.logged_in.at(static_cast<std::size_t>(t))) throw Rv(CKR_USER_ALREADY_LOGGED_IN);
        done.logged_in.at(static_cast<std::size_t>(t)) = true;
    }
    Reader& done_reader = reader_of(session(h).slot);
    audit_event(done_reader.name, audit::Operation::login, audit::Result::ok, t,
                certificate(done_reader,
                            t == Token::auth ? card::Certificate::auth : card::Certificate::sign));
}

bool Module::consent_to_release(const std::string& reader_name, const x509::Certificate& cert) {
    // Decision 11: the signature certificate carries the holder's name,
    // address, birth date and sex. The first time a program logs in to the
    // signature token (which is when it gets the certificate), the holder
    // sees what it discloses and who asks; the answer is remembered per
    // program and certificate (docs/consent.md). MYNACARD_CONSENT=allow|deny
    // decides without asking; nobody to ask means no. The dialog runs
    // outside the module lock, on copies: the card may go meanwhile.
    const std::string program = calling_program();
    const std::string reader = reader_name;
    const x509::Certificate released = cert;
    bool allowed = false;
    unlocked([&]() {
        allowed = consent::ask_consent(program, static_cast<long>(::getpid()), released) ==
                  consent::Decision::allow;
    });
    audit_event(reader,
                allowed ? audit::Operation::consent_given : audit::Operation::consent_refused,
                allowed ? audit::Result::ok : audit::Result::cancelled, Token::sign, &released);
    return allowed;
}

bool Module::reader_pin_pad(Reader& r) {
    if (!r.card) throw Rv(CKR_DEVICE_REMOVED);
    if (!r.card->pin_pad) {
        r.card->pin_pad = with_card(
            r, [](card::MyNumberCard& card, pcsc::Connection&) { return card.has_pin_pad(); });
    }
    return *r.card->pin_pad;
}

void Module::login_on_pad(CK_SESSION_HANDLE h, Reader& reader) {
    const auto ti = static_cast<std::size_t>(Token::auth);
    const std::uint64_t card_id = reader.card->id;
    // The pad shows nothing of the tries left: on the last try a person
    // confirms in the helper's dialog first (decision 5), as for a PIN the
    // application supplied.
    bool person_confirmed = false;
    for (int round = 0;; ++round) {
        (void)still_open(h, card_id);
        Reader& r = reader_of(session(h).slot);
        try {
            with_card(r, [&](card::MyNumberCard& card, pcsc::Connection&) {
                card.verify_pin_on_pad(card::Pin::auth,
                                       card::PinOptions{.confirm_last_try = person_confirmed});
            });
            break;
        } catch (const Error& e) {
            if (e.code() == Errc::confirmation_required && round == 0 && r.card &&
                r.card->id == card_id &&
                person_confirms_last_try(h, Token::auth, pinhelper::Purpose::login)) {
                person_confirmed = true;
                continue;
            }
            note_pin_failure(reader_of(session(h).slot), Token::auth, card_id, e,
                             audit::Operation::login, nullptr);
            // Cancelled on the pad or nothing typed in time: no try spent.
            if (e.code() == Errc::cancelled || e.code() == Errc::timeout)
                throw Rv(CKR_FUNCTION_CANCELED);
            throw;
        }
    }
    CardState& c = still_open(h, card_id);
    Reader& r = reader_of(session(h).slot);
    c.tries.at(ti) = profile().rule(card::Pin::auth).max_tries;
    c.tries_read.at(ti) = std::chrono::steady_clock::now();
    c.logged_in.at(ti) = true;
    c.auth_on_pad = true;
    audit_event(r.name, audit::Operation::login, audit::Result::ok, Token::auth,
                certificate(r, card::Certificate::auth));
}

SecureBytes Module::ask_helper(CK_SESSION_HANDLE h, Token t, pinhelper::Purpose purpose,
                               pinhelper::Entry entry, int* shown) {
    const auto ti = static_cast<std::size_t>(t);
    Reader& r = reader_of(session(h).slot);
    const std::uint64_t card_id = r.card->id;
    // Decision 5: the tries left shown are read now, not a cached value. A
    // new PIN has none: they belong to the PIN the card holds.
    int left = -1;
    if (entry == pinhelper::Entry::current) {
        r.card->tries.at(ti).reset();
        left = tries(r, t);
    }
    if (shown != nullptr) *shown = left;
    const auto operation = purpose == pinhelper::Purpose::change_pin ? audit::Operation::pin_change
                                                                     : audit::Operation::login;

    pinhelper::Request request;
    request.pin = pin_of(t);
    request.purpose = purpose;
    request.entry = entry;
    request.program = calling_program();
    request.pid = static_cast<long>(::getpid());
    request.reader = r.name;
    request.tries_left = left;
    const std::string reader = r.name;
    SecureBytes pin;
    std::optional<Error> failed;
    // The person answers in their own time: other threads' calls go on
    // meanwhile (the card state is read again inside the VERIFY transaction).
    unlocked([&]() {
        try {
            pin = pinhelper::ask(request);
        } catch (const Error& e) {
            failed = e;
        }
    });
    (void)still_open(h, card_id);
    if (!failed) {
        if (left == 0) throw Rv(CKR_PIN_LOCKED);  // the helper only explains then
        return pin;
    }
    switch (failed->code()) {
        case Errc::cancelled:
        case Errc::timeout:
            // Nothing reached the card: no try spent.
            audit_event(reader, operation, audit::Result::cancelled, t, nullptr);
            throw Rv(CKR_FUNCTION_CANCELED);
        case Errc::pin_blocked:
            throw Rv(CKR_PIN_LOCKED);
        case Errc::unsupported:
            throw Rv(CKR_ARGUMENTS_BAD);  // as without a helper
        default:
            throw Rv(left == 0 ? CKR_PIN_LOCKED : CKR_FUNCTION_FAILED);
    }
}

void Module::logout(CK_SESSION_HANDLE h) {
    const Session& s = session(h);
    Reader& r = reader_of(s.slot);
    const Token t = token_of(s.slot);
    if (!r.card || !r.card->logged_in.at(static_cast<std::size_t>(t)))
        throw Rv(CKR_USER_NOT_LOGGED_IN);
    // The card holds no verified state to reset: every operation re-selects
    // the AP when it ends (card layer, decision 5).
    end_login(r, t);
}

void Module::set_pin(CK_SESSION_HANDLE h, std::optional<ByteView> old_pin,
                     std::optional<ByteView> new_pin) {
    const Session& s = session(h);
    // §5.6 C_SetPIN: only in a read/write session.
    if ((s.flags & CKF_RW_SESSION) == 0) throw Rv(CKR_SESSION_READ_ONLY);
    const Token t = token_of(s.slot);
    const std::uint64_t card_id = reader_of(s.slot).card->id;
    const auto ti = static_cast<std::size_t>(t);
    const card::Pin which = pin_of(t);
    // §5.6: on a protected authentication path both PINs may be NULL and are
    // then entered there: the PIN dialog asks the current PIN, then the new
    // one twice (docs/pin-helper.md, --entry). Both or neither.
    if (old_pin.has_value() != new_pin.has_value() || (!old_pin && !pin_helper_))
        throw Rv(CKR_ARGUMENTS_BAD);
    SecureBytes current, next;
    int shown = -1;
    if (old_pin) {
        // Both formats before any APDU (decision 5).
        current = checked_pin(which, *old_pin);
        next = checked_pin(which, *new_pin);
    } else {
        using pinhelper::Entry;
        const auto purpose = pinhelper::Purpose::change_pin;
        current = checked_pin(which, ask_helper(h, t, purpose, Entry::current, &shown));
        next = checked_pin(which, ask_helper(h, t, purpose, Entry::new_pin));
        const SecureBytes again = checked_pin(which, ask_helper(h, t, purpose, Entry::repeat_new));
        // Two different new PINs: a typing mistake; nothing reaches the card.
        if (again != next) throw Rv(CKR_PIN_INVALID);
    }
    // The last try: confirmed in the dialog that showed it, or by a person
    // asked now for a PIN the application supplied (decision 5).
    bool confirmed = shown == 1;
    for (int round = 0;; ++round) {
        CardState& c = still_open(h, card_id);
        Reader& r = reader_of(session(h).slot);
        try {
            with_card(r, [&](card::MyNumberCard& card, pcsc::Connection&) {
                card.change_pin(which, current, next,
                                card::PinOptions{.confirm_last_try = confirmed});
            });
            break;
        } catch (const Error& e) {
            if (e.code() == Errc::confirmation_required && round == 0 && old_pin && r.card &&
                r.card->id == card_id &&
                person_confirms_last_try(h, t, pinhelper::Purpose::change_pin)) {
                confirmed = true;
                continue;
            }
            note_pin_failure(reader_of(session(h).slot), t, card_id, e,
                             audit::Operation::pin_change, nullptr);
            throw;
        }
        (void)c;
    }
    CardState& c = still_open(h, card_id);
    Reader& r = reader_of(session(h).slot);
    c.tries.at(ti) = profile().rule(which).max_tries;
    c.tries_read.at(ti) = std::chrono::steady_clock::now();
    // A login session goes on with the new PIN (the old one no longer works).
    if (t == Token::auth && c.logged_in.at(ti) && !c.auth_on_pad) {
        secure_zero(c.auth_pin.data(), c.auth_pin.size());
        c.auth_pin = next;
    }
    audit_event(r.name, audit::Operation::pin_change, audit::Result::ok, t, nullptr);
}

void Module::session_cancel(CK_SESSION_HANDLE h, CK_FLAGS flags) {
    Session& s = session(h);
    if (flags & CKF_SIGN) s.sign.reset();
    if (flags & CKF_FIND_OBJECTS) s.found.reset();
}

// ----------------------------------------------------------------- objects

bool Module::visible(const Session& s, Obj obj) const {
    const ObjectSpec& o = spec(obj);
    const Token t = token_of(s.slot);
    if (o.token != t) return false;
    if (!o.after_login) return true;
    const Reader& r = readers_.at(s.slot / tokens_per_reader);
    return r.card && r.card->logged_in.at(static_cast<std::size_t>(t));
}

Obj Module::object_of(const Session& s, CK_OBJECT_HANDLE h) const {
    const CK_ULONG n = h % objects_per_slot;
    if (h / objects_per_slot != s.slot || n < static_cast<CK_ULONG>(Obj::auth_cert) ||
        n > static_cast<CK_ULONG>(Obj::sign_priv))
        throw Rv(CKR_OBJECT_HANDLE_INVALID);
    const auto obj = static_cast<Obj>(n);
    if (!visible(s, obj)) throw Rv(CKR_OBJECT_HANDLE_INVALID);
    return obj;
}

void Module::find_init(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
    Session& s = session(h);
    if (s.found) throw Rv(CKR_OPERATION_ACTIVE);
    if (tmpl == nullptr && count > 0) throw Rv(CKR_ARGUMENTS_BAD);
    const CK_SLOT_ID slot = s.slot;
    Reader& r = reader_of(slot);
    const CertSource certs = [&](card::Certificate w) { return certificate(r, w); };
    std::vector<CK_OBJECT_HANDLE> found;
    for (const Obj obj : objects_of(token_of(slot))) {
        if (!visible(s, obj)) continue;
        bool match = true;
        for (CK_ULONG i = 0; match && i < count; ++i) {
            const AttrValue v = attribute(obj, tmpl[i].type, certs);
            match = v.status == AttrStatus::ok && v.value.size() == tmpl[i].ulValueLen &&
                    (v.value.empty() ||
                     (tmpl[i].pValue != nullptr &&
                      std::memcmp(v.value.data(), tmpl[i].pValue, v.value.size()) == 0));
        }
        if (match) found.push_back(slot * objects_per_slot + static_cast<CK_ULONG>(obj));
    }
    // The card may have gone while certificates were read.
    Session& again = session(h);
    again.found = std::move(found);
    again.found_pos = 0;
}

void Module::find(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR out, CK_ULONG max, CK_ULONG& count) {
    Session& s = session(h);
    if (!s.found) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
    if (out == nullptr && max > 0) throw Rv(CKR_ARGUMENTS_BAD);
    CK_ULONG n = 0;
    while (n < max && s.found_pos < s.found->size()) out[n++] = (*s.found)[s.found_pos++];
    count = n;
}

void Module::find_final(CK_SESSION_HANDLE h) {
    Session& s = session(h);
    if (!s.found) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
    s.found.reset();
}

CK_RV Module::get_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE handle,
                                  CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
    const Session& s = session(h);
    const Obj obj = object_of(s, handle);
    if (tmpl == nullptr && count > 0) throw Rv(CKR_ARGUMENTS_BAD);
    Reader& r = reader_of(s.slot);
    const CertSource certs = [&](card::Certificate w) { return certificate(r, w); };
    // §5.7 C_GetAttributeValue: every attribute is processed; the three
    // "not really errors" are returned, any one of them when several apply.
    CK_RV rv = CKR_OK;
    for (CK_ULONG i = 0; i < count; ++i) {
        CK_ATTRIBUTE& a = tmpl[i];
        const AttrValue v = attribute(obj, a.type, certs);
        if (v.status == AttrStatus::sensitive) {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            rv = CKR_ATTRIBUTE_SENSITIVE;
        } else if (v.status == AttrStatus::invalid) {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            rv = CKR_ATTRIBUTE_TYPE_INVALID;
        } else if (a.pValue == nullptr) {
            a.ulValueLen = v.value.size();
        } else if (a.ulValueLen >= v.value.size()) {
            if (!v.value.empty()) std::memcpy(a.pValue, v.value.data(), v.value.size());
            a.ulValueLen = v.value.size();
        } else {
            a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
            rv = CKR_BUFFER_TOO_SMALL;
        }
    }
    return rv;
}

void Module::get_object_size(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE handle, CK_ULONG& size) {
    const Session& s = session(h);
    const Obj obj = object_of(s, handle);
    if (spec(obj).cls != CKO_CERTIFICATE) {
        size = CK_UNAVAILABLE_INFORMATION;  // §5.7: allowed when not meaningful
        return;
    }
    Reader& r = reader_of(s.slot);
    const auto* cert = certificate(r, spec(obj).source);
    size = cert ? cert->der().size() : CK_UNAVAILABLE_INFORMATION;
}

// ----------------------------------------------------------------- signing

void Module::sign_init(CK_SESSION_HANDLE h, const CK_MECHANISM& mechanism, CK_OBJECT_HANDLE key) {
    Session& s = session(h);
    if (s.sign) throw Rv(CKR_OPERATION_ACTIVE);
    const MechanismSpec* m = find_mechanism(mechanism.mechanism);
    if (m == nullptr) throw Rv(CKR_MECHANISM_INVALID);
    if (mechanism.pParameter != nullptr || mechanism.ulParameterLen != 0)
        throw Rv(CKR_MECHANISM_PARAM_INVALID);
    Obj obj{};
    try {
        obj = object_of(s, key);
    } catch (const Rv&) {
        throw Rv(CKR_KEY_HANDLE_INVALID);
    }
    if (spec(obj).cls != CKO_PRIVATE_KEY) throw Rv(CKR_KEY_FUNCTION_NOT_PERMITTED);
    const Reader& r = reader_of(s.slot);
    if (!r.card->logged_in.at(static_cast<std::size_t>(token_of(s.slot))))
        throw Rv(CKR_USER_NOT_LOGGED_IN);
    SignOperation op;
    op.mechanism = m;
    op.key = obj;
    s.sign = std::move(op);
}

void Module::sign_update(CK_SESSION_HANDLE h, ByteView part) {
    Session& s = session(h);
    if (!s.sign) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
    SignOperation& op = *s.sign;
    op.multipart = true;
    op.data.insert(op.data.end(), part.begin(), part.end());
    if (!op.mechanism->hash && op.data.size() > profile().max_digest_info) {
        s.sign.reset();
        throw Rv(CKR_DATA_LEN_RANGE);
    }
}

CK_RV Module::sign(CK_SESSION_HANDLE h, ByteView data, bool final_only, CK_BYTE_PTR signature,
                   CK_ULONG& length) {
    Session& s = session(h);
    if (!s.sign) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
    if (!final_only && s.sign->multipart) {
        s.sign.reset();
        throw Rv(CKR_OPERATION_ACTIVE);  // C_Sign cannot finish a multi-part operation
    }
    const std::size_t size = profile().signature_bytes;
    // §5.2: a size query (NULL buffer) or a short buffer leaves the
    // operation active; everything else ends it.
    if (signature == nullptr) {
        length = size;
        return CKR_OK;
    }
    if (length < size) {
        length = size;
        return CKR_BUFFER_TOO_SMALL;
    }
    SignOperation op = std::move(*s.sign);
    s.sign.reset();
    const CK_SLOT_ID slot = s.slot;
    const Token t = token_of(slot);
    Reader& r = reader_of(slot);

    const Bytes input = final_only ? std::move(op.data) : Bytes(data.begin(), data.end());
    Bytes digest_info;
    if (op.mechanism->hash) {
        digest_info =
            x509::digest_info(*op.mechanism->hash, x509::digest(*op.mechanism->hash, input));
    } else {
        if (input.empty() || input.size() > profile().max_digest_info) throw Rv(CKR_DATA_LEN_RANGE);
        digest_info = input;
    }
    CardState& c = *r.card;
    const SecureBytes* pin = nullptr;
    if (t == Token::auth) {
        pin = &c.auth_pin;
    } else if (op.context_pin) {
        pin = &*op.context_pin;  // used for exactly this signature, zeroised with `op`
    }
    // Logged in on the PIN pad: the pad takes the PIN for this signature too.
    const bool on_pad = t == Token::auth && c.auth_on_pad && c.auth_pin.empty();
    if (!on_pad && (pin == nullptr || pin->empty())) throw Rv(CKR_USER_NOT_LOGGED_IN);

    const auto* cert =
        certificate(r, t == Token::auth ? card::Certificate::auth : card::Certificate::sign);
    const std::uint64_t card_id = c.id;
    Bytes sig;
    try {
        sig = with_card(r, [&](card::MyNumberCard& card, pcsc::Connection&) {
            const card::Key key = t == Token::auth ? card::Key::auth : card::Key::sign;
            // Decision 5: the PIN was typed at C_Login, not for this
            // signature. It is sent only while the card shows the full
            // counter, so it is never the last try, and a PIN changed or
            // mistyped elsewhere costs at most one try. On the pad a person
            // types for this signature; the last try there is refused (the
            // pad shows no warning), and the next login confirms it.
            const card::PinOptions options{.confirm_last_try = false, .held_pin = !on_pad};
            return on_pad ? card.sign_on_pad(key, digest_info, options)
                          : card.sign(key, *pin, digest_info, options);
        });
    } catch (const Error& e) {
        note_pin_failure(r, t, card_id, e, audit::Operation::sign, cert);
        switch (e.code()) {
            case Errc::pin_incorrect:
            case Errc::confirmation_required:
            case Errc::pin_blocked:
                // The first refusal ends the login: every session of this
                // token drops to the public state, and the application asks
                // for the PIN again (docs/pkcs11.md).
                if (r.card && r.card->id == card_id) end_login(r, t);
                if (e.code() == Errc::pin_blocked) throw Rv(CKR_PIN_LOCKED);
                throw Rv(CKR_USER_NOT_LOGGED_IN);
            case Errc::cancelled:
            case Errc::timeout:
                throw Rv(CKR_FUNCTION_CANCELED);  // on the pad: no try spent
            default:
                throw;
        }
    }
    audit_event(r.name, audit::Operation::sign, audit::Result::ok, t, cert);
    std::memcpy(signature, sig.data(), sig.size());
    length = sig.size();
    return CKR_OK;
}

}  // namespace mynacard::pkcs11
