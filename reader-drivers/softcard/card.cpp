#include "softcard/card.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include <botan/auto_rng.h>
#include <botan/pubkey.h>

#include "apdu/command.h"
#include "apdu/status.h"
#include "core/error.h"
#include "softcard/detail/crypto.h"
#include "softcard/detail/files.h"

namespace mynacard::softcard {

using apdu::CommandApdu;
using detail::ApId;
using detail::Application;
using detail::Ef;
using detail::EfKind;
using detail::KeyRef;
namespace sw = apdu::sw;

namespace {

// card-facts.md §1.2 / §10.9
const Bytes kContactAtr{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
const Bytes kContactlessAtr{0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x05,
                            0xE0, 0xB3, 0x81, 0xA1, 0x00, 0x7F};

// card-facts.md §2.6: k − 11 for a 2048-bit key.
constexpr std::size_t kMaxSignInput = 245;

// Name of the text AP key reference issued blocked (card-facts.md §3.1).
constexpr const char* kTextBlocked = "text_0012";

Bytes status(std::uint16_t s) {
    return {static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s & 0xFF)};
}

Bytes data_and(Bytes data, std::uint16_t s) {
    data.push_back(static_cast<std::uint8_t>(s >> 8));
    data.push_back(static_cast<std::uint8_t>(s & 0xFF));
    return data;
}

Bytes tries_status(int tries) {
    return status(static_cast<std::uint16_t>(sw::verify_failed_base | std::clamp(tries, 0, 15)));
}

bool digits(const SecureBytes& v, std::size_t min, std::size_t max) {
    return v.size() >= min && v.size() <= max &&
           std::all_of(v.begin(), v.end(), [](std::uint8_t c) { return c >= '0' && c <= '9'; });
}

// card-facts.md §2.3: 6–16 of A–Z0–9 with at least one letter and one digit.
bool sign_password_format(const SecureBytes& v) {
    if (v.size() < 6 || v.size() > 16) return false;
    bool letter = false;
    bool digit = false;
    for (auto c : v) {
        if (c >= 'A' && c <= 'Z')
            letter = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else
            return false;
    }
    return letter && digit;
}

// CLA check (ISO/IEC 7816-4 §5.4.1): only 00 and 80 on channel 0, no SM, no chaining.
std::optional<std::uint16_t> check_cla(std::uint8_t cla) {
    if (cla == 0x00 || cla == 0x80) return std::nullopt;
    if (cla == 0xFF) return sw::cla_not_supported;
    const bool first_interindustry = (cla & 0xE0) == 0x00;
    const bool proprietary_like =
        (cla & 0xF0) == 0x80;  // 8x uses the first-interindustry bit layout
    if (first_interindustry || proprietary_like) {
        if ((cla & 0x03) != 0) return sw::channel_not_supported;  // card-facts.md §1.1
        if ((cla & 0x0C) != 0) return std::uint16_t{0x6882};      // secure messaging not supported
        if ((cla & 0x10) != 0) return std::uint16_t{0x6884};      // command chaining not supported
        return sw::cla_not_supported;
    }
    if ((cla & 0xC0) == 0x40)
        return sw::channel_not_supported;  // further interindustry: channels 4–19
    return sw::cla_not_supported;
}

// VERIFY / CHANGE REFERENCE DATA naming something that is not a key
// reference: the current EF (P2=80) → "no current EF" for a key; a short EF id
// → "referenced data not found".
std::uint16_t not_a_key_reference(std::uint8_t p2) {
    return p2 == 0x80 ? sw::no_current_ef : sw::data_not_found;
}

}  // namespace

class CardState {
  public:
    explicit CardState(Profile p) : profile(std::move(p)) {
        for (const auto& [name, secret] : profile.secrets) secrets.emplace(name, secret);
        // Issued blocked on every card examined (card-facts.md §3.1).
        Secret blocked;
        blocked.max_tries = 3;
        blocked.tries_left = 0;
        secrets.emplace(kTextBlocked, std::move(blocked));
        if (profile.ap_issuer_key_pkcs8.empty() || profile.card_key_pkcs8.empty())
            throw Error(Errc::invalid_argument, "profile lacks the 券面 issuer or card key");
        auto issuer = detail::load_private_key(profile.ap_issuer_key_pkcs8);
        card_key = detail::load_private_key(profile.card_key_pkcs8);
        apps = detail::build_applications(profile, *issuer, *card_key, rng);
    }

    Bytes process(ByteView raw);
    void reset() {
        current_app = 0;  // MF: the power-on (card-manager) state
        current_ef.reset();
        verified.clear();
    }

    Profile profile;
    std::map<std::string, Secret> secrets;
    std::vector<Application> apps;
    std::size_t current_app = 0;  // index into apps; 0 = MF
    std::optional<std::size_t> current_ef;
    std::set<std::string> verified;
    std::unique_ptr<Botan::Private_Key> card_key;
    std::unique_ptr<Botan::Private_Key> auth_key, sign_key;  // parsed on first use
    Botan::AutoSeeded_RNG rng;

  private:
    Application& app() { return apps[current_app]; }
    bool at_mf() const { return apps[current_app].id == ApId::mf; }
    std::optional<std::size_t> find_ef(std::uint16_t fid) const {
        const auto& efs = apps[current_app].efs;
        for (std::size_t i = 0; i < efs.size(); ++i)
            if (efs[i].fid == fid) return i;
        return std::nullopt;
    }
    bool can_read(const Ef& ef) const {
        if (ef.never_readable) return false;
        if (ef.opened_by.empty()) return true;
        return std::any_of(ef.opened_by.begin(), ef.opened_by.end(),
                           [&](const std::string& s) { return verified.count(s) != 0; });
    }
    Secret* secret_of(const Ef& ef) {
        const auto it = secrets.find(ef.secret);
        return it == secrets.end() ? nullptr : &it->second;
    }
    const Botan::Private_Key& private_key(KeyRef ref);

    Bytes select(const CommandApdu& c);
    Bytes select_ef(std::uint16_t fid);
    Bytes read_binary(const CommandApdu& c);
    Bytes read_record(const CommandApdu& c);
    Bytes verify(const CommandApdu& c);
    Bytes change_reference_data(const CommandApdu& c);
    Bytes compute_signature(const CommandApdu& c);
    Bytes get_challenge(const CommandApdu& c);
    Bytes get_data(const CommandApdu& c);
    // P2 = 80 (current EF) or 80|SFI (card-facts.md §2.4, §2.6); nothing on bad P2.
    std::optional<std::size_t> ef_by_p2(std::uint8_t p2, std::uint16_t& error);
    // The PIN EF that VERIFY / CHANGE REFERENCE DATA address with P2, and its
    // secret; sets `error` to the status word when P2 names no key.
    std::optional<std::pair<const Ef*, Secret*>> key_reference(std::uint8_t p2,
                                                               std::uint16_t& error);
};

const Botan::Private_Key& CardState::private_key(KeyRef ref) {
    auto& slot = ref == KeyRef::auth ? auth_key : sign_key;
    if (!slot) {
        const auto& der = ref == KeyRef::auth ? profile.auth_key_pkcs8 : profile.sign_key_pkcs8;
        slot = detail::load_private_key(der);
    }
    return *slot;
}

Bytes CardState::process(ByteView raw) {
    if (raw.size() < 4) return status(sw::wrong_length);
    if (const auto bad = check_cla(raw[0])) return status(*bad);
    CommandApdu c;
    try {
        c = CommandApdu::parse(raw);
    } catch (const Error&) {
        return status(sw::wrong_length);
    }
    const bool iso = c.cla == 0x00;
    switch (c.ins) {
        case 0xA4:
            return iso ? select(c) : status(sw::cla_not_supported);
        case 0xB0:
            return iso ? read_binary(c) : status(sw::cla_not_supported);
        case 0xB2:
            return iso ? read_record(c) : status(sw::cla_not_supported);
        case 0x20:
            return iso ? verify(c) : status(sw::cla_not_supported);
        case 0x24:
            return iso ? change_reference_data(c) : status(sw::cla_not_supported);
        case 0x84:
            return iso ? get_challenge(c) : status(sw::cla_not_supported);
        case 0xCA:
            return iso ? get_data(c) : status(sw::cla_not_supported);
        case 0x2A:
            return iso ? status(sw::cla_not_supported) : compute_signature(c);
        default:
            return status(sw::ins_not_supported);
    }
}

Bytes CardState::select(const CommandApdu& c) {
    // P2: 0C = no response data (what every tool sends); 00 (FCI) is accepted
    // and answered without data.
    if (c.p2 != 0x0C && c.p2 != 0x00) return status(sw::incorrect_p1p2);
    switch (c.p1) {
        case 0x00:
            if (c.data.empty()) {
                // SELECT MF: 6A86 after reset, 9000 without change once an AP is
                // selected (card-facts.md §1.4).
                return status(at_mf() ? sw::incorrect_p1p2 : sw::ok);
            }
            [[fallthrough]];
        case 0x02: {
            if (c.data.size() != 2) return status(sw::wrong_length);
            return select_ef(be16(c.data, 0));
        }
        case 0x04: {
            if (c.data.empty() || c.data.size() > 16) return status(sw::wrong_length);
            for (std::size_t i = 1; i < apps.size(); ++i) {
                if (apps[i].aid != c.data) continue;
                // Selecting any AP, even the current one, clears every security
                // state (card-facts.md §2.5); the ISD restores power-on state.
                reset();
                if (apps[i].id != ApId::isd) current_app = i;
                return status(sw::ok);
            }
            return status(sw::file_not_found);
        }
        default:
            return status(sw::incorrect_p1p2);
    }
}

Bytes CardState::select_ef(std::uint16_t fid) {
    if (fid == 0x3F00) return status(sw::file_not_found);  // card-facts.md §1.4
    const auto idx = find_ef(fid);
    if (!idx) return status(sw::file_not_found);
    current_ef = idx;
    return status(sw::ok);
}

Bytes CardState::read_binary(const CommandApdu& c) {
    if (!c.data.empty() || !c.le) return status(sw::wrong_length);
    if (c.extended && !profile.behaviour.extended_read_binary) return status(sw::wrong_length);
    std::size_t offset = 0;
    if ((c.p1 & 0x80) != 0) {
        // P1 = 100xxxxx: short EF id, P2 = 8-bit offset (card-facts.md §1.3).
        if ((c.p1 & 0x60) != 0 || (c.p1 & 0x1F) == 0) return status(sw::incorrect_p1p2);
        const auto idx = find_ef(c.p1 & 0x1F);
        if (!idx) return status(sw::file_not_found);
        current_ef = idx;
        offset = c.p2;
    } else {
        offset = (static_cast<std::size_t>(c.p1) << 8) | c.p2;
    }
    if (!current_ef) return status(sw::no_current_ef);
    const Ef& ef = app().efs[*current_ef];
    if (ef.kind != EfKind::transparent) return status(sw::incompatible_file);
    if (!can_read(ef)) return status(sw::security_not_satisfied);
    if (offset >= ef.data.size()) return status(profile.behaviour.read_past_end_sw);
    const std::size_t n = std::min(*c.le, ef.data.size() - offset);
    const auto first = ef.data.begin() + static_cast<std::ptrdiff_t>(offset);
    return data_and(Bytes(first, first + static_cast<std::ptrdiff_t>(n)), sw::ok);
}

Bytes CardState::read_record(const CommandApdu& c) {
    if (!c.data.empty() || !c.le) return status(sw::wrong_length);
    // P2 = SFI << 3 | 100 (record number in P1); SFI 0 = current EF.
    if ((c.p2 & 0x07) != 0x04 || c.p1 == 0) return status(sw::incorrect_p1p2);
    const std::uint8_t sfi = c.p2 >> 3;
    if (sfi != 0) {
        const auto idx = find_ef(sfi);
        if (!idx) return status(sw::file_not_found);
        current_ef = idx;
    }
    if (!current_ef) return status(sw::no_current_ef);
    const Ef& ef = app().efs[*current_ef];
    if (ef.kind != EfKind::record) return status(sw::incompatible_file);
    if (!can_read(ef)) return status(sw::security_not_satisfied);
    if (c.p1 > ef.records.size()) return status(sw::record_not_found);
    Bytes rec = ef.records[c.p1 - 1u];
    rec.resize(std::min(rec.size(), *c.le));
    return data_and(std::move(rec), sw::ok);
}

std::optional<std::size_t> CardState::ef_by_p2(std::uint8_t p2, std::uint16_t& error) {
    if (p2 == 0x80) {
        if (!current_ef) error = sw::no_current_ef;
        return current_ef;
    }
    if ((p2 & 0xE0) == 0x80) {  // 80|SFI, SFI 01–1E
        const auto idx = find_ef(p2 & 0x1F);
        if (!idx) error = sw::data_not_found;
        return idx;
    }
    error = sw::incorrect_p1p2;
    return std::nullopt;
}

std::optional<std::pair<const Ef*, Secret*>> CardState::key_reference(std::uint8_t p2,
                                                                      std::uint16_t& error) {
    const auto idx = ef_by_p2(p2, error);
    if (!idx) return std::nullopt;
    const Ef& ef = app().efs[*idx];
    Secret* secret = ef.kind == EfKind::pin ? secret_of(ef) : nullptr;
    if (secret == nullptr) {
        error = not_a_key_reference(p2);
        return std::nullopt;
    }
    return std::make_pair(&ef, secret);
}

Bytes CardState::verify(const CommandApdu& c) {
    if (c.le) return status(sw::wrong_length);
    if (c.p1 != 0x00) return status(sw::incorrect_p1p2);
    std::uint16_t error = 0;
    const auto ref = key_reference(c.p2, error);
    if (!ref) return status(error);
    const Ef& ef = *ref->first;
    Secret* secret = ref->second;

    if (c.data.empty()) {
        // Retry query: does not consume an attempt (card-facts.md §2.4).
        if (secret->tries_left <= 0) return tries_status(0);
        if (verified.count(ef.secret) != 0 && profile.behaviour.empty_verify_after_success_9000)
            return status(sw::ok);
        return tries_status(secret->tries_left);
    }
    if (secret->tries_left <= 0) return status(profile.behaviour.blocked_sw);
    // The card compares bytes; a wrong length is just a wrong secret.
    const bool match = c.data.size() == secret->value.size() &&
                       std::equal(c.data.begin(), c.data.end(), secret->value.begin());
    if (match) {
        secret->tries_left = secret->max_tries;
        verified.insert(ef.secret);
        return status(sw::ok);
    }
    --secret->tries_left;
    verified.erase(ef.secret);
    return tries_status(secret->tries_left);  // 63C0 on the attempt that exhausts
}

Bytes CardState::change_reference_data(const CommandApdu& c) {
    if (c.le) return status(sw::wrong_length);
    // P1=01: new value only, after VERIFY of the current one (card-facts.md §2.8).
    if (c.p1 != 0x01) return status(sw::incorrect_p1p2);
    std::uint16_t error = 0;
    const auto ref = key_reference(c.p2, error);
    if (!ref) return status(error);
    const Ef& ef = *ref->first;
    Secret* secret = ref->second;
    if (c.data.empty()) return status(sw::wrong_length);
    if (secret->tries_left <= 0) return status(profile.behaviour.blocked_sw);
    if (verified.count(ef.secret) == 0) return status(sw::security_not_satisfied);
    SecureBytes next(c.data.begin(), c.data.end());
    bool ok = false;
    if (ef.secret == "auth" || ef.secret == "text")
        ok = digits(next, 4, 4);
    else if (ef.secret == "sign")
        ok = sign_password_format(next);
    else
        return status(
            sw::conditions_not_satisfied);  // 照合番号 and birth date derive from the card face
    if (!ok) return status(sw::incorrect_data);
    secret->value = std::move(next);
    secret->tries_left = secret->max_tries;
    return status(sw::ok);
}

Bytes CardState::compute_signature(const CommandApdu& c) {
    if (c.data.empty()) return status(sw::wrong_length);
    const Botan::Private_Key* key = nullptr;
    if (c.p2 == 0x00 && app().card_key_signs) {
        key = card_key.get();  // 券面 APs: own key, no credential (card-facts.md §2.6)
    } else {
        std::uint16_t error = 0;
        const auto idx = ef_by_p2(c.p2, error);
        if (!idx) return status(error);
        const Ef& ef = app().efs[*idx];
        if (ef.kind != EfKind::key) return status(sw::incompatible_file);
        if (verified.count(ef.secret) == 0) return status(profile.behaviour.sign_without_pin_sw);
        key = &private_key(ef.key);
    }

    // P1 = method (card-facts.md §2.6). 00 is what every tool uses; 01–05
    // follow the single source that probed them.
    try {
        Bytes sig;
        switch (c.p1) {
            case 0x00:
                if (c.data.size() > kMaxSignInput) return status(sw::wrong_length);
                sig = detail::sign_pkcs1_raw(*key, c.data, rng);
                break;
            case 0x01:  // card hashes, signs the bare hash
                sig = detail::sign_pkcs1_raw(*key, detail::sha256(c.data), rng);
                break;
            case 0x02:  // data is a SHA-256 value, card adds the DigestInfo
                if (c.data.size() != 32) return status(sw::wrong_length);
                sig = detail::sign_pkcs1_raw(*key, detail::sha256_digest_info(c.data), rng);
                break;
            case 0x03:  // sha256WithRSAEncryption over the data
                sig = detail::sign_pkcs1_raw(
                    *key, detail::sha256_digest_info(detail::sha256(c.data)), rng);
                break;
            case 0x04:
            case 0x05: {
                if (c.p1 == 0x04 && c.data.size() != 32) return status(sw::wrong_length);
                Botan::PK_Signer signer(*key, rng,
                                        c.p1 == 0x04 ? "PSSR_Raw(SHA-256)" : "PSSR(SHA-256)");
                const auto s = signer.sign_message(c.data.data(), c.data.size(), rng);
                sig.assign(s.begin(), s.end());
                break;
            }
            default:
                return status(sw::incorrect_p1p2);
        }
        return data_and(std::move(sig), sw::ok);
    } catch (const Botan::Exception&) {
        return status(sw::no_precise_diagnosis);
    }
}

Bytes CardState::get_challenge(const CommandApdu& c) {
    if (c.p1 != 0 || c.p2 != 0) return status(sw::incorrect_p1p2);
    if (!c.data.empty() || !c.le) return status(sw::wrong_length);
    if (c.extended) return status(sw::conditions_not_satisfied);  // card-facts.md §1.3
    Bytes out(*c.le);
    rng.randomize(out.data(), out.size());
    return data_and(std::move(out), sw::ok);
}

Bytes CardState::get_data(const CommandApdu& c) {
    if (!c.data.empty()) return status(sw::wrong_length);
    // card-facts.md §1.4: a few MF objects; the rest answer 6A88.
    const std::uint16_t tag = static_cast<std::uint16_t>((c.p1 << 8) | c.p2);
    Bytes value;
    if (tag == 0x5F51) {
        // Contact ATR minus TS, also through the contactless interface.
        value.assign(kContactAtr.begin() + 1, kContactAtr.end());
    } else if (tag == 0x00F0) {
        value.assign(profile.municipality_code.begin(), profile.municipality_code.end());
    } else if (tag == 0x00F2) {
        value.assign(profile.card_expiry.begin(), profile.card_expiry.end());
    } else {
        return status(sw::data_not_found);
    }
    if (c.le) value.resize(std::min(value.size(), *c.le));
    return data_and(std::move(value), sw::ok);
}

Card::Card(Profile profile) : state_(std::make_unique<CardState>(std::move(profile))) {}
Card::~Card() = default;
Card::Card(Card&&) noexcept = default;
Card& Card::operator=(Card&&) noexcept = default;

const Profile& Card::profile() const noexcept {
    return state_->profile;
}

Bytes Card::atr() const {
    const auto& p = state_->profile;
    if (!p.atr.empty()) return p.atr;
    return p.interface == Interface::contactless ? kContactlessAtr : kContactAtr;
}

void Card::reset() {
    state_->reset();
}

Bytes Card::process(ByteView command) {
    try {
        return state_->process(command);
    } catch (const std::exception&) {
        // A card never throws: anything unexpected is "no precise diagnosis".
        return status(sw::no_precise_diagnosis);
    }
}

int Card::tries_left(const std::string& secret) const {
    const auto it = state_->secrets.find(secret);
    if (it == state_->secrets.end())
        throw Error(Errc::invalid_argument, "unknown secret '" + secret + "'");
    return it->second.tries_left;
}

bool Card::verified(const std::string& secret) const {
    return state_->verified.count(secret) != 0;
}

bool command_carries_secret(ByteView command) noexcept {
    if (command.size() < 6) return false;  // 4-byte header + Lc + data, at least
    const std::uint8_t cla = command[0];
    const std::uint8_t ins = command[1];
    if (ins == 0x20 || ins == 0x24) return true;  // VERIFY with data, CHANGE REFERENCE DATA
    return cla == 0x80 && ins == 0x32;            // CHANGE KEY (card-facts.md §2.8)
}

}  // namespace mynacard::softcard
