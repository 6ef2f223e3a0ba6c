#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit.h"
#include "card/card.h"
#include "core/bytes.h"
#include "core/error.h"
#include "pinhelper/pinhelper.h"
#include "pkcs11/errors.h"
#include "pkcs11/objects.h"
#include "pkcs11/p11.h"
#include "pkcs11/prompts.h"
#include "pkcs11/state.h"
#include "session/session.h"
#include "session/source.h"
#include "x509/x509.h"

namespace mynacard::pkcs11 {

// Everything the module knows, created by C_Initialize and destroyed by
// C_Finalize. Not thread-safe: the C shell serialises every call (one
// module mutex; docs/pkcs11.md), so one card session (one PC/SC context)
// serves all calls. Methods mirror the C_* functions; they throw Rv or
// mynacard::Error.
class Module {
  public:
    // Runs a function with the module lock released (a dialog the person
    // answers in their own time); set by the C shell. The module re-checks
    // the session and the card afterwards: other threads ran meanwhile.
    using Unlocked = std::function<void(const std::function<void()>&)>;

    // Cards come from `source` (pcscd in the product), people are asked
    // through `prompts`, card uses go to the audit log at `audit_log`
    // (decision 11, best effort). Asks `prompts` once whether a person can
    // be asked (decision 9); no card I/O (decision 6).
    Module(std::unique_ptr<session::CardSource> source, std::unique_ptr<Prompts> prompts,
           Unlocked unlocked = {}, std::filesystem::path audit_log = audit::Log::default_path());
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    ~Module();

    void get_info(CK_INFO& info) const;
    void get_slot_list(bool token_present, CK_SLOT_ID_PTR list, CK_ULONG& count);
    void get_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO& info);
    void get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO& info);
    void get_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG& count);
    void get_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO& info);
    // Returns true and the slot when an event is pending; false when none.
    [[nodiscard]] bool poll_slot_event(CK_SLOT_ID& slot);

    // Which of the two tokens this process sees, indexed by Token: both,
    // unless the environment names one (MYNACARD_PKCS11_TOKENS, read by
    // C_Initialize; docs/pkcs11.md). For applications that log in to every
    // token with one password (pdfsig). A hidden token's slots are not
    // listed and their ids are invalid.
    using ShownTokens = std::array<bool, tokens_per_reader>;
    void show_tokens(ShownTokens shown) noexcept { shown_ = shown; }
    // "auth", "sign", "auth,sign" (either order); empty: both. nullopt when
    // the text names anything else.
    [[nodiscard]] static std::optional<ShownTokens> parse_shown_tokens(std::string_view text);

    [[nodiscard]] CK_SESSION_HANDLE open_session(CK_SLOT_ID slot, CK_FLAGS flags);
    void close_session(CK_SESSION_HANDLE h);
    void close_all_sessions(CK_SLOT_ID slot);
    void get_session_info(CK_SESSION_HANDLE h, CK_SESSION_INFO& info);
    void login(CK_SESSION_HANDLE h, CK_USER_TYPE user, ByteView pin, bool pin_given);
    void logout(CK_SESSION_HANDLE h);
    // C_SetPIN: the token's PIN through MyNumberCard::change_pin.
    // NULL (nullopt) PINs: both entered through the PIN helper (protected path).
    void set_pin(CK_SESSION_HANDLE h, std::optional<ByteView> old_pin,
                 std::optional<ByteView> new_pin);
    void session_cancel(CK_SESSION_HANDLE h, CK_FLAGS flags);

    void find_init(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count);
    void find(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR out, CK_ULONG max, CK_ULONG& count);
    void find_final(CK_SESSION_HANDLE h);
    [[nodiscard]] CK_RV get_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                                            CK_ATTRIBUTE_PTR tmpl, CK_ULONG count);
    void get_object_size(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj, CK_ULONG& size);

    void sign_init(CK_SESSION_HANDLE h, const CK_MECHANISM& mechanism, CK_OBJECT_HANDLE key);
    // C_Sign and C_SignFinal: `data` is the last part (empty for Final).
    [[nodiscard]] CK_RV sign(CK_SESSION_HANDLE h, ByteView data, bool final_only,
                             CK_BYTE_PTR signature, CK_ULONG& length);
    void sign_update(CK_SESSION_HANDLE h, ByteView part);

    // A session call on an invalid handle must not touch any reader.
    void check_session(CK_SESSION_HANDLE h);

  private:
    // slots.cpp: readers, slots, tokens, certificates, tries.
    void refresh();
    void drop_card(Reader& reader) noexcept;
    void drop_all() noexcept;
    [[nodiscard]] Reader& reader_of(CK_SLOT_ID slot);
    [[nodiscard]] static Token token_of(CK_SLOT_ID slot) noexcept;
    // The card of a slot, recognised as a My Number Card (reads and caches
    // the authentication certificate the first time).
    [[nodiscard]] CardState& token(CK_SLOT_ID slot);
    [[nodiscard]] const x509::Certificate* certificate(Reader& reader, card::Certificate which);
    [[nodiscard]] int tries(Reader& reader, Token token);
    // Whether the reader's card shows a token in this slot (no APDU).
    [[nodiscard]] static bool shows_token(const Reader& reader, Token token) noexcept;
    // Runs fn(card) on the reader's card through the card session; a card
    // that went away is dropped (its sessions with it) and reported as
    // CKR_DEVICE_REMOVED.
    template <typename F>
    decltype(auto) with_card(Reader& reader, F&& fn);
    // One audit record (decision 11) of a use of the token's key; a log
    // that cannot be written does not stop the application (best effort).
    void record(std::string_view reader, audit::Operation operation, audit::Result result,
                Token token, const x509::Certificate* cert) noexcept;

    // sessions.cpp
    [[nodiscard]] Session& session(CK_SESSION_HANDLE h);
    void end_login(Reader& reader, Token token) noexcept;
    // After a dialog: the session and the card it was opened on, still there
    // (CKR_SESSION_HANDLE_INVALID / CKR_DEVICE_REMOVED otherwise).
    [[nodiscard]] CardState& still_open(CK_SESSION_HANDLE h, std::uint64_t card_id);
    // Runs fn outside the module lock (or in place without a C shell).
    void unlocked(const std::function<void()>& fn);

    // find.cpp
    [[nodiscard]] bool visible(const Session& s, Obj obj) const;
    [[nodiscard]] Obj object_of(const Session& s, CK_OBJECT_HANDLE h) const;

    // asking.cpp: what a person is asked, and the tries it depends on.
    // Keeps the cached tries and the audit log true after a PIN was refused
    // or not sent: the one place for login, sign and C_SetPIN.
    void note_pin_failure(Reader& reader, Token token, std::uint64_t card_id, const Error& e,
                          audit::Operation operation, const x509::Certificate* cert);
    // Decision 5: a PIN the application supplied, or one typed on a PIN pad
    // the module cannot show anything on, is sent as the last try only when
    // a person confirms it in the helper's dialog. False: nobody confirmed.
    [[nodiscard]] bool person_confirms_last_try(CK_SESSION_HANDLE h, Token token,
                                                pinhelper::Purpose purpose);
    // Decision 11: whether the holder lets this program have the signature
    // certificate (asked once per program and certificate); audited.
    [[nodiscard]] bool consent_to_release(const std::string& reader_name,
                                          const x509::Certificate& cert);
    // The PIN from the protected path, asked outside the module lock with
    // the tries left read fresh from the card (decision 5); `shown` gets the
    // tries left the dialog showed (a last try confirmed there is confirmed
    // for exactly that count).
    [[nodiscard]] SecureBytes ask_pin(CK_SESSION_HANDLE h, Token token, pinhelper::Purpose purpose,
                                      pinhelper::Entry entry, int* shown = nullptr);

    // login.cpp
    // Decision 9: a PIN-pad reader takes the authentication PIN itself.
    [[nodiscard]] bool reader_pin_pad(Reader& reader);
    void login_on_pad(CK_SESSION_HANDLE h, Reader& reader);
    // The PIN of a C_Login: the application's, or the dialog's (asked again
    // when the tries drop to one while it is open), verified on the card.
    void verify_login(CK_SESSION_HANDLE h, CK_USER_TYPE user, ByteView pin, bool pin_given);

    session::Session cards_;  // readers, connections, identities, audit trail
    std::unique_ptr<Prompts> prompts_;
    std::uint64_t restarts_seen_ = 0;  // cards_.restarts() at the last refresh
    std::vector<Reader> readers_;      // first-seen order: slot ids stay stable
    std::map<CK_SESSION_HANDLE, Session> sessions_;
    CK_SESSION_HANDLE next_session_ = 1;
    std::uint64_t next_card_id_ = 1;
    bool refreshed_once_ = false;
    // CKF_PROTECTED_AUTHENTICATION_PATH: a person can be asked here.
    bool pin_helper_ = false;
    ShownTokens shown_{true, true};
    Unlocked unlocked_;
};

template <typename F>
decltype(auto) Module::with_card(Reader& reader, F&& fn) {
    if (!reader.card) throw Rv(CKR_TOKEN_NOT_PRESENT);
    try {
        // The card session forgets the card itself (or restarts the
        // service) before the error arrives here.
        return cards_.use(reader.name, std::forward<F>(fn));
    } catch (const Error& e) {
        switch (e.code()) {
            case Errc::card_removed:
            case Errc::no_card:
            case Errc::reader_unavailable:
                drop_card(reader);
                throw Rv(CKR_DEVICE_REMOVED);
            case Errc::service_stopped:
                drop_all();
                throw Rv(CKR_DEVICE_REMOVED);
            default:
                throw;
        }
    }
}

}  // namespace mynacard::pkcs11
