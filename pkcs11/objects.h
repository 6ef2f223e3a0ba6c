#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "card/card.h"
#include "core/bytes.h"
#include "pkcs11/p11.h"
#include "x509/x509.h"

namespace mynacard::pkcs11 {

// The two tokens of one card (decision 4); slot id = reader index * 2 + token.
enum class Token : CK_ULONG { auth = 0, sign = 1 };
inline constexpr CK_ULONG tokens_per_reader = 2;

// Every object a token can show. Handles are slot * objects_per_slot + Obj,
// so a handle names its token and stays the same for the whole process.
enum class Obj : CK_ULONG {
    auth_cert = 1, auth_ca, auth_pub, auth_priv, sign_cert, sign_ca, sign_pub, sign_priv,
};
inline constexpr CK_ULONG objects_per_slot = 16;

struct ObjectSpec {
    Obj obj;
    Token token;
    CK_OBJECT_CLASS cls;
    card::Certificate source;   // the certificate its values come from
    std::uint8_t id;            // CKA_ID, as OpenSC's JPKI emulator (pkcs15-jpki.c)
    std::string_view label;     // CKA_LABEL, as OpenSC's JPKI emulator
    bool after_login;           // visible only while the token is logged in: the
                                // private keys (CKA_PRIVATE, PKCS#11 3.0 §4.4: no
                                // access before login; libp11 logs in only when it
                                // finds no key without) and the signature certificate
    bool is_private;            // CKA_PRIVATE
    CK_ULONG category;          // CKA_CERTIFICATE_CATEGORY (§4.6.3): 1 user, 2 authority
};

[[nodiscard]] const ObjectSpec& spec(Obj obj);
[[nodiscard]] std::span<const Obj> objects_of(Token token) noexcept;

// The signature mechanisms the card can do (decision 4): the card signs a
// DigestInfo with PKCS#1 v1.5 padding; the *_RSA_PKCS ones hash on the host.
struct MechanismSpec {
    CK_MECHANISM_TYPE type;
    std::optional<x509::Hash> hash;  // none: the input already is a DigestInfo
};
[[nodiscard]] std::span<const MechanismSpec> mechanisms() noexcept;
[[nodiscard]] const MechanismSpec* find_mechanism(CK_MECHANISM_TYPE type) noexcept;

enum class AttrStatus { ok, sensitive, invalid };
struct AttrValue {
    AttrStatus status = AttrStatus::ok;
    Bytes value;
};

// The certificate an object's values come from; nullptr when it is not
// known yet (the signature certificate before login).
using CertSource = std::function<const x509::Certificate*(card::Certificate)>;

// One attribute of one object (PKCS#11 3.0 §4: common, certificate, key and
// RSA key attributes). Values that need a certificate ask `certs` for it, so
// a search on CKA_CLASS or CKA_ID reads nothing from the card.
[[nodiscard]] AttrValue attribute(Obj obj, CK_ATTRIBUTE_TYPE type, const CertSource& certs);

// A positive INTEGER in DER (X.690 §8.3) around a big-endian magnitude:
// CKA_SERIAL_NUMBER holds the DER encoding (§4.6.3).
[[nodiscard]] Bytes der_integer(ByteView magnitude);

}  // namespace mynacard::pkcs11
