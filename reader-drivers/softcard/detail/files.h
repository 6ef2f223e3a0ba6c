#pragma once

// The file system of the software card: applications, EFs and their access
// rules, built from a Profile (card-facts.md §2–§5).

#include <cstdint>
#include <string>
#include <vector>

#include <botan/pk_keys.h>
#include <botan/rng.h>

#include "core/bytes.h"
#include "softcard/profile.h"

namespace mynacard::softcard::detail {

enum class EfKind {
    transparent,  // READ BINARY
    record,       // READ RECORD
    pin,          // key reference for VERIFY / CHANGE REFERENCE DATA
    key,          // private key for COMPUTE DIGITAL SIGNATURE
    internal,     // exists, selectable, no command of ours uses it (READ → 6981)
};

enum class KeyRef { none, auth, sign };

struct Ef {
    std::uint16_t fid = 0;
    EfKind kind = EfKind::transparent;
    Bytes data;                  // transparent: the physical content, filler included
    std::vector<Bytes> records;  // record: record 1 is records[0]
    // Reading needs any one of these secrets verified; empty = free.
    std::vector<std::string> opened_by;
    bool never_readable = false;  // protected file nobody can read (JPKI EF 0009)
    std::string secret;           // pin: the secret's name; key: the PIN it needs
    KeyRef key = KeyRef::none;
};

enum class ApId { mf, isd, jpki, text, face, common, juki };

struct Application {
    ApId id = ApId::mf;
    Bytes aid;  // empty for the MF
    std::vector<Ef> efs;
    // COMPUTE DIGITAL SIGNATURE with P2=00 signs with the AP's own card key,
    // no credential (券面 APs, card-facts.md §2.6 last paragraph).
    bool card_key_signs = false;
};

// Physical EF size for an object: larger than the DER, filled with FF as on
// the card (card-facts.md §2.1 "filler").
[[nodiscard]] std::size_t physical_size(std::size_t object_size);
[[nodiscard]] Bytes with_filler(Bytes object, std::size_t physical);

// The 160-byte serialised CK_TOKEN_INFO of JPKI EF 0006 (card-facts.md §2.2).
[[nodiscard]] Bytes token_info(const Profile& profile);

// Builds every application. `issuer` signs the text/face records (its
// certificate is the profile's EF 0004), `card_key` is the card's own key.
[[nodiscard]] std::vector<Application> build_applications(const Profile& profile,
                                                          const Botan::Private_Key& issuer,
                                                          const Botan::Private_Key& card_key,
                                                          Botan::RandomNumberGenerator& rng);

// card-facts.md §1.5
inline const Bytes kAidJpki{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
inline const Bytes kAidText{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
inline const Bytes kAidFace{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};
inline const Bytes kAidCommon{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00};
inline const Bytes kAidJuki{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01};
inline const Bytes kAidIsd{0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00};

}  // namespace mynacard::softcard::detail
