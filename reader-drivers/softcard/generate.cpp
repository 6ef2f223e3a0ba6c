// Test PKI and profile generator (Botan 2; decision 3 keeps OpenSSL out).

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>

#include <botan/auto_rng.h>
#include <botan/chacha_rng.h>
#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/pkix_types.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/x509_ca.h>
#include <botan/x509_ext.h>
#include <botan/x509_key.h>
#include <botan/x509cert.h>

#include "core/error.h"
#include "softcard/detail/crypto.h"
#include "softcard/detail/images.h"
#include "softcard/holder.h"
#include "softcard/profile.h"

namespace mynacard::softcard {

namespace {

namespace fs = std::filesystem;
namespace ch = std::chrono;
namespace ext = Botan::Cert_Extension;

constexpr std::size_t kRsaBits = 2048;  // card-facts.md §2.6, §8

// File names in a PKI directory (documented in README.md and profile.h).
constexpr const char* kAuthRoot = "auth_root";
constexpr const char* kSignRoot = "sign_root";
constexpr const char* kApCaKey = "ap_ca_key.pem";
constexpr const char* kApCaPub = "ap_ca_pub";

// card-facts.md §8.1 with O=JPKI-TEST (test hierarchy, §8.1 last paragraph).
constexpr const char* kJlisOu = "Japan Agency for Local Authority Information Systems (TEST)";
// card-facts.md §8.2: JPKI SAN otherName attributes (1 name … 6 address flags).
constexpr const char* kSanOid = "1.2.392.200149.8.5.5.";
constexpr const char* kSignPolicy = "1.2.392.200149.8.5.1.1.20";

// CV-certificate key ids (card-facts.md §3.5: test cards 6000033 / 6000023).
constexpr const char* kTextCaKeyId = "6000033";
constexpr const char* kFaceCaKeyId = "6000023";

void write_file(const fs::path& path, ByteView data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
    if (!out) throw Error(Errc::io, "cannot write " + path.string());
}

void write_text(const fs::path& path, const std::string& text) {
    write_file(path, Bytes(text.begin(), text.end()));
}

Bytes read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::io, "cannot read " + path.string());
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Bytes to_bytes_vec(const std::vector<std::uint8_t>& v) {
    return Bytes(v.begin(), v.end());
}

Botan::X509_DN root_dn(const char* purpose_ou) {
    Botan::X509_DN dn;
    dn.add_attribute("X520.Country", "JP");
    dn.add_attribute("X520.Organization", "JPKI-TEST");
    dn.add_attribute("X520.OrganizationalUnit", purpose_ou);
    dn.add_attribute("X520.OrganizationalUnit", kJlisOu);
    return dn;
}

Botan::X509_Time at(ch::sys_days day, ch::seconds time_of_day = ch::seconds{0}) {
    return Botan::X509_Time(ch::system_clock::time_point(day) + time_of_day);
}

// Reproducible builds (packaging/README.md): the build makes the test PKI
// and profiles the mynacard-virtual-reader package ships. With
// SOURCE_DATE_EPOCH set (scripts/package sets it), "today" is that day and
// the random generator is seeded from it and the file's purpose, so two
// builds of one commit write the same bytes. These are test keys, published
// in the package anyway; without SOURCE_DATE_EPOCH, real time and real
// randomness as before.
std::optional<long long> source_date_epoch() {
    const char* text = std::getenv("SOURCE_DATE_EPOCH");
    if (text == nullptr || *text == '\0') return std::nullopt;
    char* end = nullptr;
    const long long value = std::strtoll(text, &end, 10);
    if (*end != '\0' || value < 0)
        throw Error(Errc::invalid_argument, "SOURCE_DATE_EPOCH is not a number of seconds");
    return value;
}

std::unique_ptr<Botan::RandomNumberGenerator> make_rng(const std::string& purpose) {
    const auto epoch = source_date_epoch();
    if (!epoch) return std::make_unique<Botan::AutoSeeded_RNG>();
    const std::string seed = "mynacard-sim " + purpose + " " + std::to_string(*epoch);
    // 32 bytes: ChaCha_RNG counts as seeded only with its security level's
    // worth (256 bits) of input.
    const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
    return std::make_unique<Botan::ChaCha_RNG>(sha256->process(seed));
}

ch::sys_days today() {
    if (const auto epoch = source_date_epoch())
        return ch::floor<ch::days>(ch::sys_seconds(ch::seconds(*epoch)));
    return ch::floor<ch::days>(ch::system_clock::now());
}

std::string format_date(ch::year_month_day d) {
    const int v = static_cast<int>(d.year()) * 10000 +
                  static_cast<int>(static_cast<unsigned>(d.month())) * 100 +
                  static_cast<int>(static_cast<unsigned>(d.day()));
    std::string out = std::to_string(v);
    return std::string(8 - std::min<std::size_t>(out.size(), 8), '0') + out;
}

// The n-th birthday strictly after `from` (29 Feb falls back to 28 Feb).
ch::sys_days nth_birthday_after(ch::sys_days from, ch::year_month_day birth, int n) {
    const ch::year_month_day f{from};
    for (ch::year y = f.year();; ++y) {
        ch::year_month_day b = y / birth.month() / birth.day();
        if (!b.ok()) b = y / ch::February / ch::day{28};
        if (ch::sys_days(b) > from && --n == 0) return ch::sys_days(b);
    }
}

std::string random_digits(Botan::RandomNumberGenerator& rng, std::size_t n) {
    std::string out;
    while (out.size() < n) {
        const std::uint8_t b = rng.next_byte();
        if (b < 250) out.push_back(static_cast<char>('0' + b % 10));  // unbiased
    }
    return out;
}

// Opaque subject identifier like the test card's CN (card-facts.md §8.2): no personal data.
std::string opaque_id(Botan::RandomNumberGenerator& rng, const std::string& municipality) {
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::string out;
    while (out.size() < 14) out.push_back(kAlphabet[rng.next_byte() % 36]);
    return out + municipality + "003A";
}

std::size_t utf8_chars(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u ? 1 : 0;
    return n;
}

std::unique_ptr<Botan::Private_Key> new_rsa_key(Botan::RandomNumberGenerator& rng) {
    return std::make_unique<Botan::RSA_PrivateKey>(rng, kRsaBits);
}

Botan::X509_Certificate make_cert(const Botan::Private_Key& issuer_key,
                                  const Botan::X509_DN& issuer,
                                  const Botan::Public_Key& subject_key,
                                  const Botan::X509_DN& subject, const Botan::X509_Time& not_before,
                                  const Botan::X509_Time& not_after, Botan::Extensions extensions,
                                  Botan::RandomNumberGenerator& rng) {
    Botan::AlgorithmIdentifier sig_algo;
    std::unique_ptr<Botan::PK_Signer> signer(
        Botan::choose_sig_format(issuer_key, rng, "SHA-256", sig_algo));  // sha256WithRSAEncryption
    return Botan::X509_CA::make_cert(signer.get(), rng, sig_algo, subject_key.subject_public_key(),
                                     not_before, not_after, issuer, subject, extensions);
}

struct Root {
    Botan::X509_Certificate cert;
    std::unique_ptr<Botan::Private_Key> key;
};

Root load_root(const fs::path& pki, const char* stem) {
    const Bytes der = read_file(pki / (std::string(stem) + ".der"));
    Botan::DataSource_Memory src(der.data(), der.size());
    Root r{Botan::X509_Certificate(src), nullptr};
    r.key = detail::load_private_key(read_file(pki / (std::string(stem) + "_key.pem")));
    return r;
}

Botan::X509_Certificate make_root(const Botan::Private_Key& key, const char* purpose_ou,
                                  Botan::RandomNumberGenerator& rng) {
    Botan::Extensions e;
    e.add(std::make_unique<ext::Basic_Constraints>(true, ext::NO_CERT_PATH_LIMIT).release(), true);
    e.add(std::make_unique<ext::Key_Usage>(
              Botan::Key_Constraints(Botan::KEY_CERT_SIGN | Botan::CRL_SIGN))
              .release(),
          true);
    e.add(std::make_unique<ext::Subject_Key_ID>(key.subject_public_key(), "SHA-1").release());
    // Roots valid from ten years ago: the "expired" profile's certificates
    // were issued six years ago and must still chain to a root that was
    // valid when they were issued (J-LIS roots live 10 years; card-facts.md §8.1).
    const auto start = ch::sys_days(ch::year_month_day{today()} - ch::years{10});
    const auto end = ch::sys_days(ch::year_month_day{today()} + ch::years{10});
    const auto dn = root_dn(purpose_ou);
    return make_cert(key, dn, key, dn, at(start), at(end), e, rng);
}

void write_root(const fs::path& dir, const char* stem, const Botan::X509_Certificate& cert,
                const Botan::Private_Key& key) {
    write_file(dir / (std::string(stem) + ".der"), to_bytes_vec(cert.BER_encode()));
    write_text(dir / (std::string(stem) + ".pem"), cert.PEM_encode());
    write_text(dir / (std::string(stem) + "_key.pem"), detail::pkcs8_pem(key));
}

Botan::Extensions ee_extensions(const Botan::Public_Key& subject, const Root& issuer) {
    Botan::Extensions e;
    e.add(std::make_unique<ext::Authority_Key_ID>(issuer.cert.subject_key_id()).release());
    e.add(std::make_unique<ext::Subject_Key_ID>(subject.subject_public_key(), "SHA-1").release());
    return e;
}

Secret secret(const std::string& value, int max_tries, int tries_left) {
    Secret s;
    s.value.assign(value.begin(), value.end());
    s.max_tries = max_tries;
    s.tries_left = tries_left;
    return s;
}

void check_pin_formats(const ProfileOptions& o) {
    auto digits4 = [](const std::string& s) {
        return s.size() == 4 &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    bool letter = false, digit = false, other = false;
    for (char c : o.sign_pin) {
        if (c >= 'A' && c <= 'Z')
            letter = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else
            other = true;
    }
    const bool sign_ok =
        o.sign_pin.size() >= 6 && o.sign_pin.size() <= 16 && letter && digit && !other;
    if (!digits4(o.auth_pin) || !digits4(o.text_pin) || !sign_ok)
        throw Error(Errc::invalid_argument,
                    "PINs: auth and text 4 digits, sign 6–16 of A–Z0–9 with a letter and a digit");
}

}  // namespace

void create_pki(const fs::path& directory) {
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) throw Error(Errc::io, "cannot create " + directory.string() + ": " + ec.message());
    const auto rng_owner = make_rng("pki");
    Botan::RandomNumberGenerator& rng = *rng_owner;
    const auto auth_key = new_rsa_key(rng);
    write_root(directory, kAuthRoot, make_root(*auth_key, "JPKI for user authentication", rng),
               *auth_key);
    const auto sign_key = new_rsa_key(rng);
    write_root(directory, kSignRoot, make_root(*sign_key, "JPKI for digital signature", rng),
               *sign_key);
    // The key that certifies the 券面 APs' issuer key (EF 0004 CV certificates).
    const auto ap_ca = new_rsa_key(rng);
    write_text(directory / kApCaKey, detail::pkcs8_pem(*ap_ca));
    write_file(directory / (std::string(kApCaPub) + ".der"),
               to_bytes_vec(Botan::X509::BER_encode(*ap_ca)));
    write_text(directory / (std::string(kApCaPub) + ".pem"), Botan::X509::PEM_encode(*ap_ca));
}

void create_profile(const fs::path& pki_directory, const fs::path& out_directory,
                    const ProfileOptions& options) {
    const std::string& v = options.variant;
    if (v != "default" && v != "minor" && v != "sign-blocked" && v != "expired" &&
        v != "contactless")
        throw Error(Errc::invalid_argument, "unknown profile variant '" + v + "'");
    check_pin_formats(options);
    const auto rng_owner = make_rng("profile " + v + " " + options.name);
    Botan::RandomNumberGenerator& rng = *rng_owner;
    const Root auth_root = load_root(pki_directory, kAuthRoot);
    const Root sign_root = load_root(pki_directory, kSignRoot);
    const auto ap_ca = detail::load_private_key(read_file(pki_directory / kApCaKey));

    const bool minor = v == "minor";
    Profile p;
    p.name = options.name;
    p.directory = out_directory;
    p.interface = v == "contactless" ? Interface::contactless : Interface::contact;
    p.behaviour.sign_cert_present = !minor;

    // Fictional holder; 架空町 ("fictional town") keeps the address unreal.
    const ch::sys_days now = today();
    const ch::sys_days issued =
        v == "expired" ? ch::sys_days(ch::year_month_day{now} - ch::years{6}) : now;
    ch::year_month_day birth;
    if (minor) {
        p.holder_name = "山田　太郎";
        p.sex = "1";
        birth = ch::year_month_day{now} - ch::years{10};  // under 15: no signature certificate
        if (!birth.ok()) birth = birth.year() / birth.month() / ch::day{28};
    } else {
        p.holder_name = "山田　花子";
        p.sex = "2";
        birth = ch::year{1980} / ch::February / ch::day{17};  // 昭和55年
    }
    p.birth_date = format_date(birth);
    p.holder_address = "東京都清瀬市架空町１丁目２番３号";
    p.municipality_code = "13221";  // 清瀬市 (without the check digit)
    const std::string locality = "Kiyose-shi";
    const std::string body = random_digits(rng, 11);
    p.my_number = body + std::to_string(my_number_check_digit(body));
    p.security_code = random_digits(rng, 4);
    p.card_serial = random_digits(rng, 15);
    // Card: 10th birthday after issue for adults, 5th for minors (W-pocket31);
    // certificates: 5th birthday after issue (card-facts.md §8.2).
    p.card_expiry =
        format_date(ch::year_month_day{nth_birthday_after(issued, birth, minor ? 5 : 10)});
    const ch::sys_days cert_end = nth_birthday_after(issued, birth, 5);

    // Secrets (card-facts.md §2.3, §3.1, §4.1). Tries of the 照合番号 and the
    // birth-date key are unknown; 10 follows the relayed Digital Agency note.
    const std::string code_b = verification_code_b(p.birth_date, p.card_expiry, p.security_code);
    p.secrets["auth"] = secret(options.auth_pin, 3, 3);
    if (!minor) p.secrets["sign"] = secret(options.sign_pin, 5, v == "sign-blocked" ? 0 : 5);
    p.secrets["text"] = secret(options.text_pin, 3, 3);
    p.secrets["text_a"] = secret(p.my_number, 10, 10);
    p.secrets["text_b"] = secret(code_b, 10, 10);
    p.secrets["face_a"] = secret(p.my_number, 10, 10);
    p.secrets["face_b"] = secret(code_b, 10, 10);
    p.secrets["face_birth"] = secret(era_birth_code(p.birth_date), 10, 10);

    // Validity: from issue until the 5th birthday, 23:59:59 JST.
    const auto not_before = at(issued);
    const auto not_after = at(cert_end, ch::hours{14} + ch::minutes{59} + ch::seconds{59});

    // Auth certificate: opaque CN only (card-facts.md §8.2).
    const auto auth_key = new_rsa_key(rng);
    {
        Botan::X509_DN dn;
        dn.add_attribute("X520.Country", "JP");
        dn.add_attribute("X520.CommonName", opaque_id(rng, p.municipality_code));
        auto e = ee_extensions(*auth_key, auth_root);
        e.add(std::make_unique<ext::Key_Usage>(Botan::Key_Constraints(Botan::DIGITAL_SIGNATURE))
                  .release(),
              true);
        p.auth_cert_der = to_bytes_vec(make_cert(*auth_root.key, auth_root.cert.subject_dn(),
                                                 *auth_key, dn, not_before, not_after, e, rng)
                                           .BER_encode());
        p.auth_key_pkcs8 = detail::pkcs8_der(*auth_key);
    }
    p.auth_ca_der = to_bytes_vec(auth_root.cert.BER_encode());
    p.sign_ca_der = to_bytes_vec(sign_root.cert.BER_encode());

    if (!minor) {
        // Signature certificate: locality + opaque CN; personal data as SAN otherNames.
        const auto sign_key = new_rsa_key(rng);
        Botan::X509_DN dn;
        dn.add_attribute("X520.Country", "JP");
        dn.add_attribute("X520.Locality", locality);
        dn.add_attribute("X520.CommonName", opaque_id(rng, p.municipality_code));
        Botan::AlternativeName san;
        const auto era = to_era(p.birth_date);
        const std::pair<int, std::string> attrs[] = {
            {1, p.holder_name},
            {2, std::string(utf8_chars(p.holder_name), '0')},  // no substitute characters
            {3, p.sex},
            {4, std::to_string(era.era) + p.birth_date},
            {5, p.holder_address},
            {6, std::string(utf8_chars(p.holder_address), '0')},
        };
        for (const auto& [n, value] : attrs)
            san.add_othername(Botan::OID(kSanOid + std::to_string(n)), value, Botan::UTF8_STRING);
        auto e = ee_extensions(*sign_key, sign_root);
        e.add(std::make_unique<ext::Key_Usage>(
                  Botan::Key_Constraints(Botan::DIGITAL_SIGNATURE | Botan::NON_REPUDIATION))
                  .release(),
              true);
        e.add(std::make_unique<ext::Subject_Alternative_Name>(san).release());
        e.add(std::make_unique<ext::Certificate_Policies>(
                  std::vector<Botan::OID>{Botan::OID(kSignPolicy)})
                  .release(),
              true);
        p.sign_cert_der = to_bytes_vec(make_cert(*sign_root.key, sign_root.cert.subject_dn(),
                                                 *sign_key, dn, not_before, not_after, e, rng)
                                           .BER_encode());
        p.sign_key_pkcs8 = detail::pkcs8_der(*sign_key);
    }

    // 券面 APs: one issuer key certified twice (EF 0004 of each AP) by the AP CA.
    const auto issuer = new_rsa_key(rng);
    const auto card_key = new_rsa_key(rng);
    p.ap_issuer_key_pkcs8 = detail::pkcs8_der(*issuer);
    p.card_key_pkcs8 = detail::pkcs8_der(*card_key);
    auto id16 = [](const std::string& s) {
        Bytes b(16, '0');
        std::copy_n(s.begin(), std::min<std::size_t>(s.size(), 16), b.begin());
        return b;
    };
    p.text_cv_cert = detail::make_cv_certificate(
        id16(kTextCaKeyId), id16("JPKITEST" + p.municipality_code + "033"), *issuer, *ap_ca, rng);
    p.face_cv_cert = detail::make_cv_certificate(
        id16(kFaceCaKeyId), id16("JPKITEST" + p.municipality_code + "023"), *issuer, *ap_ca, rng);

    p.name_png = detail::render_text_png(p.holder_name);
    p.address_png = detail::render_text_png(p.holder_address);
    p.my_number_png = detail::render_text_png(p.my_number);
    p.security_code_png = detail::render_text_png(p.security_code);
    p.photo_jp2 = detail::render_photo_jp2(
        96, 128, static_cast<std::uint32_t>(std::stoul(p.card_serial.substr(0, 6))));

    save_profile(p, out_directory);
}

}  // namespace mynacard::softcard
