#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace mynacard::softcard {

enum class Interface { contact, contactless };

struct Secret {
    SecureBytes value;  // ASCII as sent in VERIFY
    int max_tries = 3;
    int tries_left = 3;
};

// Behaviour switches for facts that card-facts.md marks uncertain; the
// defaults follow the majority of sources.
struct Behaviour {
    std::uint16_t blocked_sw = 0x6984;             // §2.4: 6984 (switchable to 6983)
    std::uint16_t read_past_end_sw = 0x6B00;       // §6: 6B00 or 6282
    std::uint16_t sign_without_pin_sw = 0x6982;    // §10.6
    bool extended_read_binary = true;              // §1.3 [U]: accept extended Le
    bool empty_verify_after_success_9000 = false;  // §2.4 [U]: some cards answer 9000
    bool sign_cert_present = true;                 // §2.3: absent under 15
};

// Everything that makes one card: the holder, secrets, keys, certificates
// and generated card-face data. Loaded from a profile directory written by
// create_profile() (profile.json plus DER/PEM/PNG/JP2 files beside it).
struct Profile {
    std::string name;
    std::filesystem::path directory;
    Interface interface = Interface::contact;
    Bytes atr;  // empty: the default ATR of `interface` (card-facts.md §10.9)

    // Holder (fictional). Birth date Gregorian YYYYMMDD; sex per JIS X 0303.
    std::string my_number;  // 12 digits with a valid check digit
    std::string holder_name;
    std::string holder_address;
    std::string birth_date;
    std::string sex;
    std::string card_expiry;    // YYYYMMDD
    std::string security_code;  // 4 digits printed on the card face

    std::map<std::string, Secret> secrets;  // keys as in Card::tries_left

    Bytes auth_cert_der, sign_cert_der, auth_ca_der, sign_ca_der;
    SecureBytes auth_key_pkcs8, sign_key_pkcs8;  // DER PKCS#8
    // 券面事項入力補助AP and 券面AP signing data (issuer key certified in EF 0004).
    SecureBytes ap_issuer_key_pkcs8;
    SecureBytes card_key_pkcs8;  // the card key embedded in 券面 records
    Bytes name_png, address_png, my_number_png, security_code_png, photo_jp2;
    // EF 0004 of the text AP and the face AP: card-verifiable certificates of
    // the issuer key, signed by the PKI's "AP CA" key (card-facts.md §3.5).
    Bytes text_cv_cert, face_cv_cert;
    // Common-card AP record and GET DATA (card-facts.md §5, §1.4).
    std::string municipality_code = "13221";  // 5 digits 全国地方公共団体コード (no check digit)
    std::string card_serial = "000000000000001";  // 15 digits

    Behaviour behaviour;
};

// Loads a profile directory; throws Error(io / malformed_data) with the path.
// profile.json keys are documented in reader-drivers/softcard/README.md.
[[nodiscard]] Profile load_profile(const std::filesystem::path& directory);

// Writes `profile` as a profile directory (profile.json plus one file per
// certificate, key and image); load_profile() reads it back unchanged.
void save_profile(const Profile& profile, const std::filesystem::path& directory);

// Test PKI: self-signed O=JPKI-TEST roots for authentication and signature,
// plus the key that certifies the text and card-face APs' records.
// Files: auth_root.der/.pem + auth_root_key.pem, sign_root.der/.pem +
// sign_root_key.pem, ap_ca_key.pem + ap_ca_pub.pem/.der (SubjectPublicKeyInfo;
// verifies EF 0004 of the text and face APs). Creates the directory.
void create_pki(const std::filesystem::path& directory);

struct ProfileOptions {
    std::string name = "default";
    // "default", "minor" (no sign certificate), "sign-blocked", "expired",
    // "contactless".
    std::string variant = "default";
    // Initial secrets (card-facts.md §2.3, §3.1); create_profile checks the format.
    std::string auth_pin = "1234";
    std::string sign_pin = "ABC123";
    std::string text_pin = "1234";
};

// Creates a complete profile directory signed by the PKI in `pki_directory`.
void create_profile(const std::filesystem::path& pki_directory,
                    const std::filesystem::path& out_directory, const ProfileOptions& options);

}  // namespace mynacard::softcard
