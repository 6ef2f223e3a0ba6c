#include "softcard/profile.h"

#include <fstream>
#include <iterator>

#include <botan/data_src.h>
#include <botan/pem.h>
#include <botan/x509cert.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "softcard/detail/crypto.h"

namespace mynacard::softcard {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kFormat = 1;

// profile.json "files" keys; the file names save_profile() writes.
struct FileSlot {
    const char* key;
    const char* file;
    enum Kind { cert, private_key, blob } kind;
};
constexpr FileSlot kFiles[] = {
    {"auth_cert", "auth_cert.der", FileSlot::cert},
    {"sign_cert", "sign_cert.der", FileSlot::cert},
    {"auth_ca", "auth_ca.der", FileSlot::cert},
    {"sign_ca", "sign_ca.der", FileSlot::cert},
    {"auth_key", "auth_key.pem", FileSlot::private_key},
    {"sign_key", "sign_key.pem", FileSlot::private_key},
    {"ap_issuer_key", "ap_issuer_key.pem", FileSlot::private_key},
    {"card_key", "card_key.pem", FileSlot::private_key},
    {"text_cv_cert", "text_ap_cv_cert.bin", FileSlot::blob},
    {"face_cv_cert", "face_ap_cv_cert.bin", FileSlot::blob},
    {"name_png", "name.png", FileSlot::blob},
    {"address_png", "address.png", FileSlot::blob},
    {"my_number_png", "my_number.png", FileSlot::blob},
    {"security_code_png", "security_code.png", FileSlot::blob},
    {"photo_jp2", "photo.jp2", FileSlot::blob},
};

Bytes* blob_member(Profile& p, std::string_view key) {
    if (key == "auth_cert") return &p.auth_cert_der;
    if (key == "sign_cert") return &p.sign_cert_der;
    if (key == "auth_ca") return &p.auth_ca_der;
    if (key == "sign_ca") return &p.sign_ca_der;
    if (key == "text_cv_cert") return &p.text_cv_cert;
    if (key == "face_cv_cert") return &p.face_cv_cert;
    if (key == "name_png") return &p.name_png;
    if (key == "address_png") return &p.address_png;
    if (key == "my_number_png") return &p.my_number_png;
    if (key == "security_code_png") return &p.security_code_png;
    if (key == "photo_jp2") return &p.photo_jp2;
    return nullptr;
}

SecureBytes* key_member(Profile& p, std::string_view key) {
    if (key == "auth_key") return &p.auth_key_pkcs8;
    if (key == "sign_key") return &p.sign_key_pkcs8;
    if (key == "ap_issuer_key") return &p.ap_issuer_key_pkcs8;
    if (key == "card_key") return &p.card_key_pkcs8;
    return nullptr;
}

Bytes read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::io, "cannot read " + path.string());
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, ByteView data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
    if (!out) throw Error(Errc::io, "cannot write " + path.string());
}

std::uint16_t parse_sw(const json& j, const char* key, std::uint16_t fallback) {
    if (!j.contains(key)) return fallback;
    const Bytes b = from_hex(j.at(key).get<std::string>());
    if (b.size() != 2)
        throw Error(Errc::malformed_data, std::string("behaviour.") + key + " is not 4 hex digits");
    return be16(b, 0);
}

std::string sw_hex(std::uint16_t s) {
    const Bytes b{static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s)};
    return to_hex(b);
}

std::string str(const json& j, const char* key) {
    if (!j.contains(key))
        throw Error(Errc::malformed_data, std::string("missing key '") + key + "'");
    return j.at(key).get<std::string>();
}

}  // namespace

Profile load_profile(const fs::path& directory) {
    const fs::path file = directory / "profile.json";
    const Bytes raw = read_file(file);
    Profile p;
    p.directory = directory;
    try {
        const json j = json::parse(raw.begin(), raw.end());
        if (j.value("format", kFormat) != kFormat)
            throw Error(Errc::malformed_data, "unsupported profile format");
        p.name = j.value("name", directory.filename().string());
        const std::string iface = j.value("interface", std::string("contact"));
        if (iface == "contact")
            p.interface = Interface::contact;
        else if (iface == "contactless")
            p.interface = Interface::contactless;
        else
            throw Error(Errc::malformed_data, "interface must be contact or contactless");
        p.atr = from_hex(j.value("atr", std::string()));

        const json& h = j.at("holder");
        p.my_number = str(h, "my_number");
        p.holder_name = str(h, "name");
        p.holder_address = str(h, "address");
        p.birth_date = str(h, "birth_date");
        p.sex = str(h, "sex");
        p.card_expiry = str(h, "card_expiry");
        p.security_code = str(h, "security_code");
        p.municipality_code = h.value("municipality_code", p.municipality_code);
        p.card_serial = h.value("card_serial", p.card_serial);
        if (p.my_number.size() != 12 || p.birth_date.size() != 8 || p.card_expiry.size() != 8)
            throw Error(Errc::malformed_data,
                        "holder: my_number must be 12 digits, dates YYYYMMDD");

        for (const auto& [name, s] : j.at("secrets").items()) {
            Secret secret;
            const std::string value = str(s, "value");
            secret.value.assign(value.begin(), value.end());
            secret.max_tries = s.value("max_tries", 3);
            secret.tries_left = s.value("tries_left", secret.max_tries);
            if (secret.max_tries < 1 || secret.max_tries > 15 || secret.tries_left < 0 ||
                secret.tries_left > secret.max_tries)
                throw Error(Errc::malformed_data,
                            "secrets." + name + ": tries out of range 0..max≤15");
            p.secrets[name] = std::move(secret);
        }

        if (j.contains("behaviour")) {
            const json& b = j.at("behaviour");
            p.behaviour.blocked_sw = parse_sw(b, "blocked_sw", p.behaviour.blocked_sw);
            p.behaviour.read_past_end_sw =
                parse_sw(b, "read_past_end_sw", p.behaviour.read_past_end_sw);
            p.behaviour.sign_without_pin_sw =
                parse_sw(b, "sign_without_pin_sw", p.behaviour.sign_without_pin_sw);
            p.behaviour.extended_read_binary =
                b.value("extended_read_binary", p.behaviour.extended_read_binary);
            p.behaviour.empty_verify_after_success_9000 = b.value(
                "empty_verify_after_success_9000", p.behaviour.empty_verify_after_success_9000);
            p.behaviour.sign_cert_present =
                b.value("sign_cert_present", p.behaviour.sign_cert_present);
        }

        const json& files = j.at("files");
        for (const auto& slot : kFiles) {
            if (!files.contains(slot.key)) continue;
            const Bytes content = read_file(directory / files.at(slot.key).get<std::string>());
            if (slot.kind == FileSlot::private_key) {
                *key_member(p, slot.key) = detail::pkcs8_der(*detail::load_private_key(content));
            } else if (slot.kind == FileSlot::cert) {
                // DER or PEM; kept as DER.
                Botan::DataSource_Memory src(content.data(), content.size());
                const auto der = Botan::X509_Certificate(src).BER_encode();
                *blob_member(p, slot.key) = Bytes(der.begin(), der.end());
            } else {
                *blob_member(p, slot.key) = content;
            }
        }
        const bool sign = p.behaviour.sign_cert_present;
        if (p.auth_cert_der.empty() || p.auth_key_pkcs8.empty() || p.ap_issuer_key_pkcs8.empty() ||
            p.card_key_pkcs8.empty() ||
            (sign && (p.sign_cert_der.empty() || p.sign_key_pkcs8.empty())))
            throw Error(
                Errc::malformed_data,
                "files: auth_cert, auth_key, ap_issuer_key, card_key (and sign_cert, sign_key "
                "when sign_cert_present) are required");
        for (const char* name :
             {"auth", "text", "text_a", "text_b", "face_a", "face_b", "face_birth"})
            if (p.secrets.count(name) == 0)
                throw Error(Errc::malformed_data, std::string("secrets.") + name + " is missing");
        if (sign && p.secrets.count("sign") == 0)
            throw Error(Errc::malformed_data, "secrets.sign is missing");
    } catch (const Error& e) {
        if (e.code() == Errc::io) throw;
        throw Error(Errc::malformed_data, file.string() + ": " + e.what());
    } catch (const std::exception& e) {  // nlohmann::json and Botan errors
        throw Error(Errc::malformed_data, file.string() + ": " + e.what());
    }
    return p;
}

void save_profile(const Profile& profile, const fs::path& directory) {
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) throw Error(Errc::io, "cannot create " + directory.string() + ": " + ec.message());
    Profile p = profile;  // the member accessors are non-const

    json files = json::object();
    for (const auto& slot : kFiles) {
        if (slot.kind == FileSlot::private_key) {
            const SecureBytes& der = *key_member(p, slot.key);
            if (der.empty()) continue;
            const std::string pem = Botan::PEM_Code::encode(der.data(), der.size(), "PRIVATE KEY");
            write_file(directory / slot.file, Bytes(pem.begin(), pem.end()));
        } else {
            const Bytes& data = *blob_member(p, slot.key);
            if (data.empty()) continue;
            write_file(directory / slot.file, data);
        }
        files[slot.key] = slot.file;
    }

    json secrets = json::object();
    for (const auto& [name, s] : p.secrets) {
        secrets[name] = {{"value", std::string(s.value.begin(), s.value.end())},
                         {"max_tries", s.max_tries},
                         {"tries_left", s.tries_left}};
    }
    const json j = {
        {"format", kFormat},
        {"name", p.name},
        {"interface", p.interface == Interface::contactless ? "contactless" : "contact"},
        {"atr", to_hex(p.atr)},
        {"holder",
         {{"name", p.holder_name},
          {"address", p.holder_address},
          {"birth_date", p.birth_date},
          {"sex", p.sex},
          {"my_number", p.my_number},
          {"card_expiry", p.card_expiry},
          {"security_code", p.security_code},
          {"municipality_code", p.municipality_code},
          {"card_serial", p.card_serial}}},
        {"secrets", secrets},
        {"behaviour",
         {{"blocked_sw", sw_hex(p.behaviour.blocked_sw)},
          {"read_past_end_sw", sw_hex(p.behaviour.read_past_end_sw)},
          {"sign_without_pin_sw", sw_hex(p.behaviour.sign_without_pin_sw)},
          {"extended_read_binary", p.behaviour.extended_read_binary},
          {"empty_verify_after_success_9000", p.behaviour.empty_verify_after_success_9000},
          {"sign_cert_present", p.behaviour.sign_cert_present}}},
        {"files", files},
    };
    const std::string text = j.dump(2) + "\n";
    write_file(directory / "profile.json", Bytes(text.begin(), text.end()));
}

}  // namespace mynacard::softcard
