// Signing (PKCS#11 3.0 §5.11): single- and multi-part, the buffer-size
// protocol, and the held-PIN rules of decision 5.
#include <cstring>
#include <utility>

#include "core/error.h"
#include "pkcs11/errors.h"
#include "pkcs11/module.h"
#include "pkcs11/rules.h"

namespace mynacard::pkcs11 {

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

    const auto* cert = certificate(r, certificate_of(t));
    const std::uint64_t card_id = c.id;
    Bytes sig;
    try {
        sig = with_card(r, [&](card::MyNumberCard& card) {
            const card::Key key = key_of(t);
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
    record(r.name, audit::Operation::sign, audit::Result::ok, t, cert);
    std::memcpy(signature, sig.data(), sig.size());
    length = sig.size();
    return CKR_OK;
}

}  // namespace mynacard::pkcs11
