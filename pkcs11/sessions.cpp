// Sessions (PKCS#11 3.0 §5.6): opened on a card, gone with it; the login
// state they share per token ends with the last one.
#include <algorithm>

#include "pkcs11/errors.h"
#include "pkcs11/module.h"

namespace mynacard::pkcs11 {

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

void Module::session_cancel(CK_SESSION_HANDLE h, CK_FLAGS flags) {
    Session& s = session(h);
    if (flags & CKF_SIGN) s.sign.reset();
    if (flags & CKF_FIND_OBJECTS) s.found.reset();
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

}  // namespace mynacard::pkcs11
