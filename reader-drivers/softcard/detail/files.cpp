#include "softcard/detail/files.h"

#include <algorithm>
#include <array>

#include "apdu/tlv.h"
#include "core/error.h"
#include "softcard/detail/crypto.h"

namespace mynacard::softcard::detail {

namespace {

using apdu::encode_tlv;

void append(Bytes& out, ByteView more) {
    out.insert(out.end(), more.begin(), more.end());
}

Bytes ascii(std::string_view s) {
    return Bytes(s.begin(), s.end());
}

// ASCII text padded with `pad` to a fixed width (PKCS#11 CK_UTF8CHAR fields).
Bytes padded(std::string_view s, std::size_t width, char pad = ' ') {
    Bytes out(width, static_cast<std::uint8_t>(pad));
    std::copy_n(s.begin(), std::min(s.size(), width), out.begin());
    return out;
}

void put_be32(Bytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> static_cast<unsigned>(shift)));
}

Ef transparent(std::uint16_t fid, Bytes data, std::vector<std::string> opened_by = {}) {
    Ef ef;
    ef.fid = fid;
    ef.data = std::move(data);
    ef.opened_by = std::move(opened_by);
    return ef;
}

Ef internal(std::uint16_t fid) {
    Ef ef;
    ef.fid = fid;
    ef.kind = EfKind::internal;
    return ef;
}

Ef pin(std::uint16_t fid, std::string secret) {
    Ef ef;
    ef.fid = fid;
    ef.kind = EfKind::pin;
    ef.secret = std::move(secret);
    return ef;
}

Ef key(std::uint16_t fid, KeyRef ref, std::string needs) {
    Ef ef;
    ef.fid = fid;
    ef.kind = EfKind::key;
    ef.key = ref;
    ef.secret = std::move(needs);
    return ef;
}

Ef record(std::uint16_t fid, std::vector<Bytes> records) {
    Ef ef;
    ef.fid = fid;
    ef.kind = EfKind::record;
    ef.records = std::move(records);
    return ef;
}

// Record signature of the 券面 APs: PKCS#1 v1.5 SHA-256 by the issuer key over
// every object before the signature, as written (card-facts.md §3.5, §4.3).
Bytes sign_objects(const Botan::Private_Key& issuer, ByteView objects,
                   Botan::RandomNumberGenerator& rng) {
    return sign_pkcs1_sha256(issuer, objects, rng);
}

// Outer object with an offset table (DF21) of BE u16 offsets, counted from
// the start of the file, of each following object (card-facts.md §3.4, §4.4).
Bytes with_offset_table(std::uint32_t outer_tag, const std::vector<Bytes>& objects) {
    std::size_t body = 2 + 1 + 2 * objects.size();  // DF21 tag, length, table
    for (const auto& o : objects) body += o.size();
    const std::size_t tag_size = outer_tag > 0xFF ? 2 : 1;
    std::size_t pos = tag_size + apdu::encode_length(body).size() + 3 + 2 * objects.size();
    Bytes table;
    for (const auto& o : objects) {
        if (pos > 0xFFFF) throw Error(Errc::invalid_argument, "card record too large");
        table.push_back(static_cast<std::uint8_t>(pos >> 8));
        table.push_back(static_cast<std::uint8_t>(pos));
        pos += o.size();
    }
    Bytes value = encode_tlv(0xDF21, table);
    for (const auto& o : objects) append(value, o);
    return encode_tlv(outer_tag, value);
}

Bytes key_id(std::string_view text) {
    return padded(text, 16, '0');
}

std::vector<Ef> jpki_files(const Profile& p) {
    // card-facts.md §2.1; all ids 0001–001E so each also has a short EF id.
    std::vector<Ef> efs;
    const bool sign = p.behaviour.sign_cert_present;
    if (sign) {
        efs.push_back(transparent(
            0x0001, with_filler(p.sign_cert_der, physical_size(p.sign_cert_der.size())), {"sign"}));
    }
    efs.push_back(
        transparent(0x0002, with_filler(p.sign_ca_der, physical_size(p.sign_ca_der.size()))));
    efs.push_back(internal(0x0005));
    efs.push_back(transparent(0x0006, token_info(p)));
    // EF 0008: byte0 sign cert present (8F), byte1 auth cert present (card-facts.md §2.1).
    efs.push_back(
        transparent(0x0008, Bytes{static_cast<std::uint8_t>(sign ? 0x8F : 0x00), 0x8F, 0x00}));
    Ef protected_9 = transparent(0x0009, Bytes(16, 0xFF));
    protected_9.never_readable = true;
    efs.push_back(std::move(protected_9));
    efs.push_back(
        transparent(0x000A, with_filler(p.auth_cert_der, physical_size(p.auth_cert_der.size()))));
    efs.push_back(
        transparent(0x000B, with_filler(p.auth_ca_der, physical_size(p.auth_ca_der.size()))));
    efs.push_back(internal(0x0010));
    efs.push_back(internal(0x0016));  // terminal-CA key reference (80 A2, not emulated)
    efs.push_back(key(0x0017, KeyRef::auth, "auth"));
    efs.push_back(pin(0x0018, "auth"));
    efs.push_back(internal(0x0019));
    if (sign) {
        efs.push_back(key(0x001A, KeyRef::sign, "sign"));
        efs.push_back(pin(0x001B, "sign"));
    }
    efs.push_back(internal(0x001C));
    efs.push_back(internal(0x001E));
    return efs;
}

std::vector<Ef> text_files(const Profile& p, const Botan::Private_Key& issuer,
                           const Botan::Private_Key& card_key, Botan::RandomNumberGenerator& rng) {
    // card-facts.md §3.3: exactly 17 bytes, FF FF filler included.
    Bytes my_number = encode_tlv(0xFF10, ascii(p.my_number));
    my_number.insert(my_number.end(), {0xFF, 0xFF});

    // card-facts.md §3.4
    const Bytes attributes = with_offset_table(
        0xFF20,
        {encode_tlv(0xDF22, ascii(p.holder_name)), encode_tlv(0xDF23, ascii(p.holder_address)),
         encode_tlv(0xDF24, ascii(p.birth_date)), encode_tlv(0xDF25, ascii(p.sex))});
    // Digest covers the outer value after the offset table: DF22 to the end.
    const auto outer = apdu::parse_tlv(attributes);
    const auto table = apdu::parse_tlv(outer.value);
    const ByteView digest_source = outer.value.subspan(table.total_size());

    // card-facts.md §3.5: FF30 { DF31 H(EF0001), DF32 H(EF0002 part), DF33 sig }.
    Bytes signed_part = encode_tlv(0xDF31, sha256(my_number));
    append(signed_part, encode_tlv(0xDF32, sha256(digest_source)));
    Bytes integrity_value = signed_part;
    append(integrity_value, encode_tlv(0xDF33, sign_objects(issuer, signed_part, rng)));
    const Bytes integrity = encode_tlv(0xFF30, integrity_value);

    // EF 0005 AP basic info: DF41 identification, DF42 key id, DF43 32 bytes + 96 FF.
    Bytes basic_value = encode_tlv(0xDF41, Bytes{0x01, 0x03, 0x0E, 0x01});
    append(basic_value, encode_tlv(0xDF42, key_id("6000034")));
    Bytes df43 = sha256(ascii(p.card_serial));
    df43.resize(128, 0xFF);
    append(basic_value, encode_tlv(0xDF43, df43));

    const Bytes card_pub = card_public_key_tlvs(card_key);
    // EF 0006: session-key delivery key under A1. Secure messaging is not
    // emulated, so the card key's public half stands in for it.
    const Bytes session_key = encode_tlv(0xA1, card_pub);
    // EF 0007: FF50 { DF51 card public key, DF52 issuer signature over DF51 }.
    Bytes spk_value = encode_tlv(0xDF51, card_pub);
    const Bytes spk_signed = spk_value;
    append(spk_value, encode_tlv(0xDF52, sign_objects(issuer, spk_signed, rng)));

    const std::vector<std::string> any{"text", "text_a", "text_b"};
    std::vector<Ef> efs;
    efs.push_back(transparent(0x0001, my_number, {"text", "text_a"}));
    efs.push_back(transparent(0x0002, with_filler(attributes, physical_size(attributes.size())),
                              {"text", "text_b"}));
    efs.push_back(transparent(0x0003, integrity, any));
    efs.push_back(transparent(0x0004, p.text_cv_cert));
    efs.push_back(transparent(0x0005, with_filler(encode_tlv(0xFF40, basic_value), 256)));
    efs.push_back(
        transparent(0x0006, with_filler(session_key, physical_size(session_key.size())), any));
    efs.push_back(transparent(0x0007, encode_tlv(0xFF50, spk_value), any));
    efs.push_back(transparent(0x0008, Bytes(16, 0xFF)));
    efs.push_back(internal(0x0010));
    efs.push_back(pin(0x0011, "text"));
    efs.push_back(pin(0x0012, "text_0012"));  // issued blocked (card-facts.md §3.1)
    efs.push_back(internal(0x0013));
    efs.push_back(pin(0x0014, "text_a"));
    efs.push_back(pin(0x0015, "text_b"));
    efs.push_back(internal(0x001C));
    efs.push_back(internal(0x001E));
    return efs;
}

std::vector<Ef> face_files(const Profile& p, const Botan::Private_Key& issuer,
                           const Botan::Private_Key& card_key, Botan::RandomNumberGenerator& rng) {
    const Bytes card_pub = card_public_key_tlvs(card_key);

    // EF 0001 age record: FF10 { DF11 birth, DF12 card key, DF13 sig } (§4.3).
    Bytes age_value = encode_tlv(0xDF11, ascii(p.birth_date));
    append(age_value, encode_tlv(0xDF12, card_pub));
    const Bytes age_signed = age_value;
    append(age_value, encode_tlv(0xDF13, sign_objects(issuer, age_signed, rng)));
    const Bytes age = encode_tlv(0xFF10, age_value);

    // EF 0002 card face (§4.4). The signature covers three groups hashed
    // separately — DF22–DF24, DF25–DF26, DF27 — as one DigestInfo holding the
    // three SHA-256 values; DF29 and DF2A follow it unsigned.
    const Bytes df22 = encode_tlv(0xDF22, ascii(p.birth_date));
    const Bytes df23 = encode_tlv(0xDF23, ascii(p.sex));
    const Bytes df24 = encode_tlv(0xDF24, card_pub);
    const Bytes df25 = encode_tlv(0xDF25, p.name_png);
    const Bytes df26 = encode_tlv(0xDF26, p.address_png);
    const Bytes df27 = encode_tlv(0xDF27, p.photo_jp2);
    Bytes g1 = df22;
    append(g1, df23);
    append(g1, df24);
    Bytes g2 = df25;
    append(g2, df26);
    Bytes digests = sha256(g1);
    append(digests, sha256(g2));
    append(digests, sha256(df27));
    const Bytes df28 = encode_tlv(0xDF28, sign_pkcs1_raw(issuer, sha256_digest_info(digests), rng));
    const Bytes face = with_offset_table(
        0xFF20, {df22, df23, df24, df25, df26, df27, df28, encode_tlv(0xDF29, ascii(p.card_expiry)),
                 encode_tlv(0xDF2A, p.security_code_png)});
    if (face.size() > 0x7FFF)
        throw Error(Errc::invalid_argument, "card face record exceeds the short READ BINARY range");

    // EF 0003 AP basic info: FF30 { DF31 id, DF32 key id, DF33 version, DF34 municipality, DF35 }.
    Bytes basic_value = encode_tlv(0xDF31, Bytes{0x06, 0x03, 0x0E, 0x01});
    append(basic_value, encode_tlv(0xDF32, key_id("6000024")));
    append(basic_value, encode_tlv(0xDF33, Bytes{0x01}));
    append(basic_value, encode_tlv(0xDF34, ascii(p.municipality_code)));
    Bytes df35 = key_id("6000025");
    for (int i = 0; df35.size() < 16 + 256; ++i)
        append(df35, sha256(ascii(p.card_serial + std::to_string(i))));
    df35.resize(16 + 256);
    append(basic_value, encode_tlv(0xDF35, df35));

    // EF 0005: FF40 { DF41 My Number PNG, DF42 card key, DF43 sig }.
    Bytes mn_value = encode_tlv(0xDF41, p.my_number_png);
    append(mn_value, encode_tlv(0xDF42, card_pub));
    const Bytes mn_signed = mn_value;
    append(mn_value, encode_tlv(0xDF43, sign_objects(issuer, mn_signed, rng)));
    const Bytes mn = encode_tlv(0xFF40, mn_value);

    // card-facts.md §10.8: A opens 0002–0006, B 0002–0004 and 0006, birth 0001.
    std::vector<Ef> efs;
    efs.push_back(transparent(0x0001, with_filler(age, physical_size(age.size())), {"face_birth"}));
    efs.push_back(
        transparent(0x0002, with_filler(face, physical_size(face.size())), {"face_a", "face_b"}));
    efs.push_back(transparent(0x0003, with_filler(encode_tlv(0xFF30, basic_value), 512)));
    efs.push_back(transparent(0x0004, p.face_cv_cert));
    efs.push_back(transparent(0x0005, with_filler(mn, physical_size(mn.size())), {"face_a"}));
    efs.push_back(transparent(0x0006, Bytes(32, 0xFF), {"face_a", "face_b"}));
    efs.push_back(pin(0x0011, "face_birth"));
    efs.push_back(pin(0x0012, "face_b"));
    efs.push_back(pin(0x0013, "face_a"));
    efs.push_back(internal(0x001A));
    efs.push_back(internal(0x001C));
    efs.push_back(internal(0x001E));
    return efs;
}

std::vector<Ef> common_files(const Profile& p) {
    // card-facts.md §5: simple-TLV 01 1C + serial(15) + municipality(5) + expiry(8).
    Bytes rec{0x01, 0x1C};
    append(rec, padded(p.card_serial, 15, '0'));
    append(rec, padded(p.municipality_code, 5, '0'));
    append(rec, padded(p.card_expiry, 8, '0'));
    std::vector<Ef> efs;
    efs.push_back(record(0x0001, {rec}));
    efs.push_back(record(0x0002, {key_id("6000011")}));
    efs.push_back(internal(0x0019));  // INTERNAL AUTHENTICATE key (not emulated)
    efs.push_back(internal(0x001C));  // 住基 PIN (not emulated)
    return efs;
}

}  // namespace

std::size_t physical_size(std::size_t object_size) {
    // At least 32 bytes of filler, rounded up to a multiple of 256.
    return (object_size + 32 + 255) / 256 * 256;
}

Bytes with_filler(Bytes object, std::size_t physical) {
    if (object.size() < physical) object.resize(physical, 0xFF);
    return object;
}

Bytes token_info(const Profile& p) {
    // card-facts.md §2.2: CK_TOKEN_INFO with 32-bit big-endian integers.
    Bytes t = padded("JPKIAPICCTOKEN2", 32);
    append(t, padded("JPKI-TEST mynacard softcard", 32));
    append(t, padded("E16R01NJ", 16));
    append(t, padded(p.card_serial, 16));
    put_be32(t, 0x0000040D);                              // flags
    put_be32(t, 1);                                       // ulMaxSessionCount
    put_be32(t, 0);                                       // ulSessionCount
    put_be32(t, 1);                                       // ulMaxRwSessionCount
    put_be32(t, 0);                                       // ulRwSessionCount
    put_be32(t, 16);                                      // ulMaxPinLen
    put_be32(t, 6);                                       // ulMinPinLen
    for (int i = 0; i < 4; ++i) put_be32(t, 0xFFFFFFFF);  // memory fields: unavailable
    append(t, ascii("03"));     // hardwareVersion as ASCII, as physical cards do
    append(t, ascii("01"));     // firmwareVersion
    append(t, padded("", 16));  // utcTime: no clock on the token
    return t;
}

std::vector<Application> build_applications(const Profile& profile,
                                            const Botan::Private_Key& issuer,
                                            const Botan::Private_Key& card_key,
                                            Botan::RandomNumberGenerator& rng) {
    std::vector<Application> apps;
    apps.push_back({ApId::mf, {}, {internal(0x001E)}, false});  // card-facts.md §1.4
    apps.push_back({ApId::isd, kAidIsd, {}, false});
    apps.push_back({ApId::jpki, kAidJpki, jpki_files(profile), false});
    apps.push_back({ApId::text, kAidText, text_files(profile, issuer, card_key, rng), true});
    apps.push_back({ApId::face, kAidFace, face_files(profile, issuer, card_key, rng), true});
    apps.push_back({ApId::common, kAidCommon, common_files(profile), false});
    apps.push_back(
        {ApId::juki, kAidJuki, {record(0x0002, {key_id("6000011")}), internal(0x001C)}, false});
    return apps;
}

}  // namespace mynacard::softcard::detail
