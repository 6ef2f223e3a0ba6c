#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "card/card.h"
#include "core/bytes.h"
#include "pcsc/pcsc.h"
#include "pinhelper/pinhelper.h"
#include "pkcs11/objects.h"
#include "pkcs11/p11.h"
#include "x509/x509.h"

namespace mynacard::pkcs11 {

// One inserted card. Dropped as soon as the card leaves its reader (or a
// new card arrives): its connection, cached certificates, login state and
// the authentication PIN go with it, and so do its sessions.
struct CardState {
    std::uint64_t id = 0;           // sessions remember it: a new card ≠ old sessions
    std::uint32_t event_count = 0;  // pcsc-lite's insertion/removal counter
    std::unique_ptr<pcsc::Connection> connection;  // opened on the first APDU
    std::optional<bool> recognised;  // JPKI AP present (decided by the auth certificate read)
    std::array<std::optional<x509::Certificate>, 4> certificates;  // by card::Certificate
    // The card this state belongs to (decision 8): checked after a reset by
    // another process, for as long as this state lives.
    card::CardIdentity identity;
    std::array<std::optional<int>, 2> tries;  // by Token; read lazily, updated after VERIFYs
    // When each counter was read: C_GetTokenInfo reads it again once it is
    // older than tries_max_age, so the PIN flags follow tries spent elsewhere.
    std::array<std::chrono::steady_clock::time_point, 2> tries_read{};
    std::array<bool, 2> logged_in{};  // by Token (software state, decision 5)
    // Whether the card has the signature password (EF 001B). A minor's card
    // has none (card-facts.md §2.3: SELECT EF 001B answers 6A82): its
    // signature slot then has no token. Unknown until the slot is first used
    // (finding out takes an APDU, and C_GetSlotList sends none).
    std::optional<bool> has_sign_token;
    SecureBytes auth_pin;  // the authentication token's login only (docs/pkcs11.md)
    // The reader's PIN pad (PC/SC part 10, quirk table applied): asked once
    // per card with a control call, never an APDU.
    std::optional<bool> pin_pad;
    // The authentication token was logged in on the PIN pad: the module
    // holds no PIN, so every signature asks the pad again.
    bool auth_on_pad = false;
};

struct Reader {
    std::string name;
    bool present = false;
    bool listed = true;  // still in pcscd's reader list
    std::uint32_t event_count = 0;
    std::unique_ptr<CardState> card;
    std::array<bool, 2> event{};  // a slot event not yet reported (C_WaitForSlotEvent)
};

struct SignOperation {
    const MechanismSpec* mechanism = nullptr;
    Obj key = Obj::auth_priv;
    Bytes data;  // single-part input or the multi-part data so far
    bool multipart = false;
    std::optional<SecureBytes> context_pin;  // CKU_CONTEXT_SPECIFIC, for exactly one signature
};

struct Session {
    CK_SLOT_ID slot = 0;
    CK_FLAGS flags = 0;
    std::uint64_t card_id = 0;
    std::optional<std::vector<CK_OBJECT_HANDLE>> found;  // C_FindObjects* results
    std::size_t found_pos = 0;
    std::optional<SignOperation> sign;
};

// Everything the module knows, created by C_Initialize and destroyed by
// C_Finalize. Not thread-safe: the C shell serialises every call (one
// module mutex; docs/pkcs11.md), so one PC/SC context serves all calls.
// Methods mirror the C_* functions; they throw Rv or mynacard::Error.
class Module {
  public:
    // Runs a function with the module lock released (a dialog the person
    // answers in their own time); set by the C shell. The module re-checks
    // the session and the card afterwards: other threads ran meanwhile.
    using Unlocked = std::function<void(const std::function<void()>&)>;

    // Decides once whether the PIN helper can be offered (decision 9): no
    // card I/O, only whether the helper and a display exist.
    explicit Module(Unlocked unlocked = {});
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
    pcsc::Context& context();
    void refresh();
    void drop_card(Reader& reader);
    [[nodiscard]] Reader& reader_of(CK_SLOT_ID slot);
    [[nodiscard]] static Token token_of(CK_SLOT_ID slot) noexcept;
    // The card of a slot, recognised as a My Number Card (reads and caches
    // the authentication certificate the first time).
    [[nodiscard]] CardState& token(CK_SLOT_ID slot);
    [[nodiscard]] Session& session(CK_SESSION_HANDLE h);
    [[nodiscard]] const x509::Certificate* certificate(Reader& reader, card::Certificate which);
    [[nodiscard]] int tries(Reader& reader, Token token);
    // Whether the reader's card shows a token in this slot (no APDU).
    [[nodiscard]] static bool shows_token(const Reader& reader, Token token) noexcept;
    [[nodiscard]] bool visible(const Session& s, Obj obj) const;
    [[nodiscard]] Obj object_of(const Session& s, CK_OBJECT_HANDLE h) const;
    void end_login(Reader& reader, Token token) noexcept;
    // After a dialog: the session and the card it was opened on, still there
    // (CKR_SESSION_HANDLE_INVALID / CKR_DEVICE_REMOVED otherwise).
    [[nodiscard]] CardState& still_open(CK_SESSION_HANDLE h, std::uint64_t card_id);
    // Runs fn outside the module lock (or in place without a C shell).
    void unlocked(const std::function<void()>& fn);
    // Keeps the cached tries and the audit log true after a PIN was refused
    // or not sent: the one place for login, sign and C_SetPIN.
    void note_pin_failure(Reader& reader, Token token, std::uint64_t card_id, const Error& e,
                          audit::Operation operation, const x509::Certificate* cert);
    // Decision 5: a PIN the application supplied, or one typed on a PIN pad
    // the module cannot show anything on, is sent as the last try only when
    // a person confirms it in the helper's dialog. False: nobody confirmed.
    [[nodiscard]] bool person_confirms_last_try(CK_SESSION_HANDLE h, Token token,
                                                pinhelper::Purpose purpose);
    // C_Login with a NULL PIN on a protected-path token: the tries left read
    // fresh from the card (decision 5), then `mynacard-helper pin`.
    // Decision 9: a PIN-pad reader takes the authentication PIN itself.
    [[nodiscard]] bool reader_pin_pad(Reader& reader);
    void login_on_pad(CK_SESSION_HANDLE h, Reader& reader);
    // The PIN of a C_Login: the application's, or the dialog's (asked again
    // when the tries drop to one while it is open), verified on the card.
    void verify_login(CK_SESSION_HANDLE h, CK_USER_TYPE user, ByteView pin, bool pin_given);
    // Decision 11: whether the holder lets this program have the signature
    // certificate (asked once per program and certificate); audited.
    [[nodiscard]] bool consent_to_release(const std::string& reader_name,
                                          const x509::Certificate& cert);
    // The PIN from `mynacard-helper pin`, asked outside the module lock;
    // `shown` gets the tries left the dialog showed (decision 5: a last try
    // confirmed there is confirmed for exactly that count).
    [[nodiscard]] SecureBytes ask_helper(CK_SESSION_HANDLE h, Token token,
                                         pinhelper::Purpose purpose, pinhelper::Entry entry,
                                         int* shown = nullptr);
    static void audit_event(std::string_view reader, audit::Operation operation,
                            audit::Result result, Token token,
                            const x509::Certificate* cert) noexcept;

    // Runs fn(card, connection) on the reader's card; a card that went away
    // is dropped (its sessions with it) and reported as CKR_DEVICE_REMOVED.
    template <typename F>
    decltype(auto) with_card(Reader& reader, F&& fn);

    std::unique_ptr<pcsc::Context> context_;
    std::vector<Reader> readers_;  // first-seen order: slot ids stay stable
    std::map<CK_SESSION_HANDLE, Session> sessions_;
    CK_SESSION_HANDLE next_session_ = 1;
    std::uint64_t next_card_id_ = 1;
    bool refreshed_once_ = false;
    // CKF_PROTECTED_AUTHENTICATION_PATH: the PIN helper can show its dialog here.
    bool pin_helper_ = false;
    Unlocked unlocked_;
};

}  // namespace mynacard::pkcs11
