// The software card at APDU level (card-facts.md §1–§6, §10).

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <map>

#include <botan/bigint.h>
#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/x509_key.h>
#include <botan/x509cert.h>

#include "apdu/tlv.h"
#include "core/error.h"
#include "fixture.h"
#include "softcard/holder.h"

using namespace mynacard;
using namespace softcard_test;
using softcard::Card;

namespace {

Bytes digest_info_sha256(const Bytes& hash) {
    Bytes di = from_hex("3031300D060960864801650304020105000420");
    di.insert(di.end(), hash.begin(), hash.end());
    return di;
}

Bytes sha256(ByteView data) {
    auto h = Botan::HashFunction::create_or_throw("SHA-256");
    h->update(data.data(), data.size());
    const auto d = h->final();
    return Bytes(d.begin(), d.end());
}

std::string sign_apdu(const std::string& p2, const Bytes& input) {
    char lc[3];
    std::snprintf(lc, sizeof lc, "%02X", static_cast<unsigned>(input.size()));
    return "802A00" + p2 + lc + to_hex(input) + "00";
}

// Public key of a DER certificate.
std::unique_ptr<Botan::Public_Key> cert_key(const Bytes& der) {
    Botan::DataSource_Memory src(der.data(), der.size());
    return Botan::X509_Certificate(src).load_subject_public_key();
}

bool verify_raw(const Botan::Public_Key& key, const Bytes& digest_info, const Bytes& sig) {
    Botan::PK_Verifier v(key, "EMSA3(Raw)");
    return v.verify_message(digest_info.data(), digest_info.size(), sig.data(), sig.size());
}

// Card record public key `90 03 e 91 82 01 00 n` → Botan RSA key.
std::unique_ptr<Botan::Public_Key> record_key(ByteView tlvs) {
    const auto seq = apdu::parse_tlv_sequence(tlvs);
    EXPECT_EQ(seq.size(), 2u);
    EXPECT_EQ(seq[0].tag, 0x90u);
    EXPECT_EQ(seq[1].tag, 0x91u);
    EXPECT_EQ(seq[1].value.size(), 256u);
    return std::make_unique<Botan::RSA_PublicKey>(
        Botan::BigInt(seq[1].value.data(), seq[1].value.size()),
        Botan::BigInt(seq[0].value.data(), seq[0].value.size()));
}

std::map<std::uint32_t, ByteView> children(ByteView value) {
    std::map<std::uint32_t, ByteView> out;
    for (const auto& t : apdu::parse_tlv_sequence(value, true)) out[t.tag] = t.value;
    return out;
}

Bytes concat_tlvs(std::initializer_list<std::pair<std::uint32_t, ByteView>> items) {
    Bytes out;
    for (const auto& [tag, v] : items) {
        const auto t = apdu::encode_tlv(tag, v);
        out.insert(out.end(), t.begin(), t.end());
    }
    return out;
}

}  // namespace

// --- card level -------------------------------------------------------------

TEST(SoftcardCard, PowerOnStateAndMasterFile) {
    Card card(profile());
    EXPECT_EQ(hex_sw(card, "00A40000"), "6A86");        // §1.4: SELECT MF after reset
    EXPECT_EQ(hex_sw(card, "00A4000C023F00"), "6A82");  // SELECT 3F00
    EXPECT_EQ(hex_sw(card, "00A4020C023F00"), "6A82");
    EXPECT_EQ(hex_sw(card, sel_ef(0x000A)), "6A82");          // no JPKI EF at MF level
    EXPECT_EQ(hex_sw(card, sel_ef(0x001E)), "9000");          // MF EF 001E exists...
    EXPECT_EQ(hex_sw(card, "00B0000004"), "6981");            // ...but cannot be read
    EXPECT_EQ(hex_sw(card, "00A4040C05A000000063"), "6A82");  // foreign AID
    EXPECT_EQ(hex_sw(card, kSelJpki), "9000");
    EXPECT_EQ(hex_sw(card, "00A40000"), "9000");      // MF select no-op once an AP is selected
    EXPECT_EQ(hex_sw(card, sel_ef(0x000A)), "9000");  // still in the JPKI AP
    EXPECT_EQ(hex_sw(card, "00A4040C07A0000001510000"), "9000");  // GP ISD
    EXPECT_EQ(hex_sw(card, "00A40000"), "6A86");                  // back to power-on state
    EXPECT_EQ(hex_sw(card, sel_ef(0x000A)), "6A82");
}

TEST(SoftcardCard, SelectsEveryApplication) {
    Card card(profile());
    for (const char* sel : {kSelJpki, kSelText, kSelFace, kSelCommon, kSelJuki})
        EXPECT_EQ(hex_sw(card, sel), "9000") << sel;
    // P2=00 (FCI wanted) is accepted without data; other P2 values are not.
    const auto r = tx(card, "00A404000AD392F000260100000001");
    EXPECT_EQ(r, from_hex("9000"));
    EXPECT_EQ(hex_sw(card, "00A404040AD392F000260100000001"), "6A86");
    EXPECT_EQ(hex_sw(card, "00A4010C020001"), "6A86");
    EXPECT_EQ(hex_sw(card, "00A4040C09D392F0002601000000"), "6A82");  // prefix only
}

TEST(SoftcardCard, ClassAndInstructionErrors) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    EXPECT_EQ(hex_sw(card, "01A4020C02000A"), "6881");  // logical channel 1
    EXPECT_EQ(hex_sw(card, "83A4020C02000A"), "6881");
    EXPECT_EQ(hex_sw(card, "41A4020C02000A"), "6881");
    EXPECT_EQ(hex_sw(card, "0CB0000004"), "6882");        // secure messaging
    EXPECT_EQ(hex_sw(card, "10B0000004"), "6884");        // chaining
    EXPECT_EQ(hex_sw(card, "A0A4000C023F00"), "6E00");    // foreign class (GSM SIM probes)
    EXPECT_EQ(hex_sw(card, "FFCA000000"), "6E00");        // PC/SC pseudo-APDU never reaches a card
    EXPECT_EQ(hex_sw(card, "80B0000004"), "6E00");        // ISO command in proprietary class
    EXPECT_EQ(hex_sw(card, "002A9E9A03010203"), "6E00");  // ISO PSO class for 2A
    EXPECT_EQ(hex_sw(card, "00C0000000"), "6D00");        // GET RESPONSE: nothing pending
    EXPECT_EQ(hex_sw(card, "0088008002AABB00"), "6D00");
    EXPECT_EQ(hex_sw(card, "80FC0000"), "6D00");
    // Still in the JPKI AP after all that, and nothing crashed.
    EXPECT_EQ(hex_sw(card, sel_ef(0x000A)), "9000");
}

TEST(SoftcardCard, MalformedApdus) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    EXPECT_EQ(tx(card, "00A4"), from_hex("6700"));
    EXPECT_EQ(tx(card, ""), from_hex("6700"));
    EXPECT_EQ(hex_sw(card, "00A4020C03000A"), "6700");    // Lc says 3, 2 bytes follow
    EXPECT_EQ(hex_sw(card, "00A4020C0100"), "6700");      // FID of one byte
    EXPECT_EQ(hex_sw(card, "00A4020C03000A0B"), "6700");  // FID of three bytes
    EXPECT_EQ(hex_sw(card, "00A4040C11" + std::string(34, 'A')), "6700");  // AID > 16
    EXPECT_EQ(hex_sw(card, sel_ef(0x000A)), "9000");
    EXPECT_EQ(hex_sw(card, "00B00000"), "6700");        // READ BINARY without Le
    EXPECT_EQ(hex_sw(card, "00B0000001AA00"), "6700");  // ... with data
    EXPECT_EQ(hex_sw(card, "00200080000004"), "6700");  // broken extended length
}

TEST(SoftcardCard, AtrPerInterface) {
    EXPECT_EQ(Card(profile()).atr(), from_hex("3BE000FF8131FE4514"));
    EXPECT_EQ(Card(profile("contactless")).atr(), from_hex("3B8880010000 05E0B381A1007F"));
    auto p = profile();
    p.atr = from_hex("3B00");
    EXPECT_EQ(Card(p).atr(), from_hex("3B00"));
}

TEST(SoftcardCard, GetChallenge) {
    Card card(profile());
    const auto a = tx(card, "0084000008");
    const auto b = tx(card, "0084000008");
    ASSERT_EQ(a.size(), 10u);
    EXPECT_EQ(sw(a), 0x9000);
    EXPECT_NE(a, b);
    EXPECT_EQ(tx(card, "0084000000").size(), 258u);  // Le=00 → 256
    EXPECT_EQ(hex_sw(card, "0084010008"), "6A86");
    EXPECT_EQ(hex_sw(card, "00840000"), "6700");
    EXPECT_EQ(hex_sw(card, "00840000000100"), "6985");  // extended Le refused (§1.3)
}

TEST(SoftcardCard, GetData) {
    Card card(profile());
    EXPECT_EQ(tx(card, "00CA5F5100"), from_hex("E000FF8131FE45149000"));
    const auto p = profile();
    EXPECT_EQ(body(tx(card, "00CA00F000")), to_bytes(p.municipality_code));
    EXPECT_EQ(body(tx(card, "00CA00F200")), to_bytes(p.card_expiry));
    EXPECT_EQ(hex_sw(card, "00CA9F7F00"), "6A88");  // CPLC probe of other drivers
}

TEST(SoftcardCard, CommandCarriesSecret) {
    using softcard::command_carries_secret;
    EXPECT_TRUE(command_carries_secret(from_hex("002000800431323334")));
    EXPECT_FALSE(command_carries_secret(from_hex("00200080")));
    EXPECT_TRUE(command_carries_secret(from_hex("002401800435363738")));
    EXPECT_TRUE(command_carries_secret(from_hex("803200800431323334")));
    EXPECT_FALSE(command_carries_secret(from_hex("003200800431323334")));
    EXPECT_FALSE(command_carries_secret(from_hex("00A4020C02001B")));
    EXPECT_FALSE(command_carries_secret(from_hex("802A0080020102 00")));
}

// --- JPKI AP ------------------------------------------------------------------

TEST(SoftcardJpki, TokenInfo) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0006)), "9000");
    const auto r = tx(card, "00B0000000");
    ASSERT_EQ(sw(r), 0x9000);
    const auto t = body(r);
    ASSERT_EQ(t.size(), 160u);
    EXPECT_EQ(std::string(t.begin(), t.begin() + 32), "JPKIAPICCTOKEN2                 ");
    EXPECT_EQ(be16(t, 96 + 2), 0x040D);  // flags (BE u32 at 96)
    EXPECT_EQ(be16(t, 96), 0x0000);
    EXPECT_EQ(be16(t, 116 + 2), 16);  // maxPinLen
    EXPECT_EQ(be16(t, 120 + 2), 6);   // minPinLen
    EXPECT_EQ(std::string(t.begin() + 140, t.begin() + 144), "0301");
    // myna reads 0x20 bytes, TRET 0x14.
    EXPECT_EQ(body(tx(card, "00B0000014")), Bytes(t.begin(), t.begin() + 20));
}

TEST(SoftcardJpki, SmallFilesAndProtectedFiles) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    EXPECT_EQ(hex_sw(card, "00B0000004"), "6986");  // no EF selected yet
    ASSERT_EQ(hex_sw(card, sel_ef(0x0008)), "9000");
    EXPECT_EQ(tx(card, "00B0000000"), from_hex("8F8F009000"));
    ASSERT_EQ(hex_sw(card, sel_ef(0x0009)), "9000");
    EXPECT_EQ(hex_sw(card, "00B0000000"), "6982");
    for (unsigned fid : {0x0017u, 0x0018u, 0x001Au, 0x001Bu}) {
        ASSERT_EQ(hex_sw(card, sel_ef(fid)), "9000") << fid;
        EXPECT_EQ(hex_sw(card, "00B0000000"), "6981") << fid;  // key / PIN EF
    }
    for (unsigned fid : {0x0005u, 0x0010u, 0x0016u, 0x0019u, 0x001Cu, 0x001Eu})
        EXPECT_EQ(hex_sw(card, sel_ef(fid)), "9000") << fid;
    EXPECT_EQ(hex_sw(card, sel_ef(0x0003)), "6A82");
    EXPECT_EQ(hex_sw(card, sel_ef(0x0020)), "6A82");
}

TEST(SoftcardJpki, ReadsCertificateLikeOpenSc) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x000A)), "9000");
    // OpenSC: 4-byte header read, size = HHLL + 4.
    const auto head = tx(card, "00B0000004");
    ASSERT_EQ(sw(head), 0x9000);
    ASSERT_EQ(body(head).size(), 4u);
    EXPECT_EQ(head[0], 0x30);
    EXPECT_EQ(head[1], 0x82);
    const std::size_t size = be16(head, 2) + 4u;
    EXPECT_EQ(size, p.auth_cert_der.size());
    const auto all = read_all(card);
    ASSERT_GT(all.size(), size);  // physical EF is larger: FF filler
    EXPECT_EQ(Bytes(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(size)), p.auth_cert_der);
    EXPECT_TRUE(std::all_of(all.begin() + static_cast<std::ptrdiff_t>(size), all.end(),
                            [](std::uint8_t b) { return b == 0xFF; }));
    EXPECT_EQ(all.size() % 256, 0u);

    // Last partial chunk: min(Le, remaining); past the end: 6B00.
    char cmd[16];
    std::snprintf(cmd, sizeof cmd, "00B0%04X00", static_cast<unsigned>(all.size() - 10));
    EXPECT_EQ(body(tx(card, cmd)).size(), 10u);
    std::snprintf(cmd, sizeof cmd, "00B0%04X01", static_cast<unsigned>(all.size()));
    EXPECT_EQ(hex_sw(card, cmd), "6B00");
    EXPECT_EQ(hex_sw(card, "00B07FFF01"), "6B00");

    // myna: RB(0,07), then from offset 7.
    EXPECT_EQ(body(tx(card, "00B0000007")),
              Bytes(p.auth_cert_der.begin(), p.auth_cert_der.begin() + 7));
    EXPECT_EQ(body(tx(card, "00B0000710")),
              Bytes(p.auth_cert_der.begin() + 7, p.auth_cert_der.begin() + 23));
    // The CA certificates are free too.
    ASSERT_EQ(hex_sw(card, sel_ef(0x000B)), "9000");
    EXPECT_EQ(Bytes(read_all(card)).size() >= p.auth_ca_der.size(), true);
    ASSERT_EQ(hex_sw(card, sel_ef(0x0002)), "9000");
    const auto ca = read_all(card);
    EXPECT_EQ(Bytes(ca.begin(), ca.begin() + static_cast<std::ptrdiff_t>(p.sign_ca_der.size())),
              p.sign_ca_der);
}

TEST(SoftcardJpki, ExtendedAndSfiReads) {
    auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x000A)), "9000");
    const auto whole = tx(card, "00B00000000000");  // extended Le = 65536
    ASSERT_EQ(sw(whole), 0x9000);
    EXPECT_EQ(
        Bytes(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(p.auth_cert_der.size())),
        p.auth_cert_der);
    EXPECT_GT(body(whole).size(), 256u);

    // SFI: P1 = 80|0B, P2 = offset; the EF becomes current.
    Card card2(p);
    ASSERT_EQ(hex_sw(card2, kSelJpki), "9000");
    const auto sfi = tx(card2, "00B08B0004");
    EXPECT_EQ(body(sfi), Bytes(p.auth_ca_der.begin(), p.auth_ca_der.begin() + 4));
    EXPECT_EQ(body(tx(card2, "00B0000204")),
              Bytes(p.auth_ca_der.begin() + 2, p.auth_ca_der.begin() + 6));
    EXPECT_EQ(hex_sw(card2, "00B0810004"), "6982");  // sign cert by SFI, no PIN
    EXPECT_EQ(hex_sw(card2, "00B0830004"), "6A82");
    EXPECT_EQ(hex_sw(card2, "00B0A00004"), "6A86");

    p.behaviour.extended_read_binary = false;
    Card strict(p);
    ASSERT_EQ(hex_sw(strict, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(strict, sel_ef(0x000A)), "9000");
    EXPECT_EQ(hex_sw(strict, "00B00000000000"), "6700");
    EXPECT_EQ(hex_sw(strict, "00B0000000"), "9000");

    p.behaviour.read_past_end_sw = 0x6282;
    Card eof(p);
    ASSERT_EQ(hex_sw(eof, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(eof, sel_ef(0x000A)), "9000");
    EXPECT_EQ(tx(eof, "00B07F0001"), from_hex("6282"));
}

TEST(SoftcardJpki, SignCertificateNeedsSignPin) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0001)), "9000");
    EXPECT_EQ(hex_sw(card, "00B0000004"), "6982");
    ASSERT_EQ(hex_sw(card, sel_ef(0x001B)), "9000");
    ASSERT_EQ(hex_sw(card, verify("ABC123")), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0001)), "9000");
    const auto all = read_all(card);
    EXPECT_EQ(Bytes(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(p.sign_cert_der.size())),
              p.sign_cert_der);
    // Re-selecting the same AP logs out (OpenSC jpki_logout); so does reset().
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0001)), "9000");
    EXPECT_EQ(hex_sw(card, "00B0000004"), "6982");
    ASSERT_EQ(hex_sw(card, "0020009B06" + to_hex(to_bytes("ABC123"))), "9000");  // VERIFY by SFI
    EXPECT_EQ(hex_sw(card, "00B0000004"), "9000");
    card.reset();
    EXPECT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0001)), "9000");
    EXPECT_EQ(hex_sw(card, "00B0000004"), "6982");
    // The auth PIN does not open the sign certificate.
    ASSERT_EQ(hex_sw(card, sel_ef(0x0018)), "9000");
    ASSERT_EQ(hex_sw(card, verify("1234")), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0001)), "9000");
    EXPECT_EQ(hex_sw(card, "00B0000004"), "6982");
}

TEST(SoftcardJpki, AuthPinCounterSequence) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0018)), "9000");
    EXPECT_EQ(hex_sw(card, "00200080"), "63C3");
    EXPECT_EQ(hex_sw(card, verify("0000")), "63C2");
    EXPECT_EQ(hex_sw(card, "00200080"), "63C2");       // the query does not consume
    EXPECT_EQ(hex_sw(card, verify("12345")), "63C1");  // wrong length = wrong PIN
    EXPECT_EQ(card.tries_left("auth"), 1);
    EXPECT_EQ(hex_sw(card, verify("1234")), "9000");
    EXPECT_EQ(card.tries_left("auth"), 3);
    EXPECT_EQ(hex_sw(card, "00200080"), "63C3");  // default: 63Cx even when verified
    EXPECT_EQ(hex_sw(card, verify("9999")), "63C2");
    EXPECT_EQ(hex_sw(card, verify("9999")), "63C1");
    EXPECT_EQ(hex_sw(card, verify("9999")), "63C0");  // the exhausting attempt
    EXPECT_EQ(hex_sw(card, verify("1234")), "6984");  // blocked, even with the right PIN
    EXPECT_EQ(hex_sw(card, "00200080"), "63C0");
    EXPECT_EQ(card.tries_left("auth"), 0);
    // Counters survive AP selection and reset: the object is the card.
    card.reset();
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    EXPECT_EQ(hex_sw(card, "0020009800"), "6700");  // case 2 VERIFY is malformed
    EXPECT_EQ(hex_sw(card, "00200098"), "63C0");    // by SFI
}

TEST(SoftcardJpki, SignPinHasFiveTries) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x001B)), "9000");
    EXPECT_EQ(hex_sw(card, "00200080"), "63C5");
    EXPECT_EQ(hex_sw(card, verify("abc123")), "63C4");  // bytes compared, no case folding
    for (const char* expect : {"63C3", "63C2", "63C1", "63C0"})
        EXPECT_EQ(hex_sw(card, verify("WRONG1")), expect);
    EXPECT_EQ(hex_sw(card, verify("ABC123")), "6984");
    EXPECT_EQ(card.tries_left("sign"), 0);
    EXPECT_THROW((void)card.tries_left("nonsense"), Error);
}

TEST(SoftcardJpki, BehaviourSwitchesForVerify) {
    auto p = profile();
    p.behaviour.blocked_sw = 0x6983;
    p.behaviour.empty_verify_after_success_9000 = true;
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0018)), "9000");
    EXPECT_EQ(hex_sw(card, "00200080"), "63C3");
    ASSERT_EQ(hex_sw(card, verify("1234")), "9000");
    EXPECT_EQ(hex_sw(card, "00200080"), "9000");
    for (int i = 0; i < 3; ++i) (void)tx(card, verify("0000"));
    EXPECT_EQ(hex_sw(card, verify("1234")), "6983");
}

TEST(SoftcardJpki, VerifyErrors) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    EXPECT_EQ(hex_sw(card, verify("1234")), "6986");  // no current EF
    ASSERT_EQ(hex_sw(card, sel_ef(0x000A)), "9000");
    EXPECT_EQ(hex_sw(card, verify("1234")), "6986");  // current EF is not a key reference
    EXPECT_EQ(hex_sw(card, "0020008104" + to_hex(to_bytes("1234"))), "6A88");  // SFI 01: a cert
    EXPECT_EQ(hex_sw(card, "0020000004" + to_hex(to_bytes("1234"))), "6A86");
    EXPECT_EQ(hex_sw(card, "0020018004" + to_hex(to_bytes("1234"))), "6A86");
    EXPECT_EQ(card.tries_left("auth"), 3);
}

TEST(SoftcardJpki, SignatureVerifiesAgainstCertificate) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    const Bytes message = to_bytes("mynacard softcard test message");
    const Bytes di = digest_info_sha256(sha256(message));

    ASSERT_EQ(hex_sw(card, sel_ef(0x0017)), "9000");
    EXPECT_EQ(hex_sw(card, sign_apdu("80", di)), "6982");  // no PIN yet
    ASSERT_EQ(hex_sw(card, sel_ef(0x0018)), "9000");
    ASSERT_EQ(hex_sw(card, verify("1234")), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0017)), "9000");
    const auto r = tx(card, sign_apdu("80", di));
    ASSERT_EQ(sw(r), 0x9000);
    const auto sig = body(r);
    ASSERT_EQ(sig.size(), 256u);
    const auto auth_pub = cert_key(p.auth_cert_der);
    EXPECT_TRUE(verify_raw(*auth_pub, di, sig));
    Botan::PK_Verifier sha(*auth_pub, "EMSA3(SHA-256)");
    EXPECT_TRUE(sha.verify_message(message.data(), message.size(), sig.data(), sig.size()));
    Bytes tampered = message;
    tampered[0] ^= 1;
    EXPECT_FALSE(sha.verify_message(tampered.data(), tampered.size(), sig.data(), sig.size()));

    // P2 = 80|SFI: sign key 9A needs the sign PIN, not the auth PIN.
    EXPECT_EQ(hex_sw(card, sign_apdu("9A", di)), "6982");
    EXPECT_EQ(hex_sw(card, sign_apdu("97", di)), "9000");

    // Input limits and P1 (card-facts.md §2.6).
    EXPECT_EQ(hex_sw(card, sign_apdu("80", Bytes(246, 0x01))), "6700");
    EXPECT_EQ(hex_sw(card, sign_apdu("80", Bytes(245, 0x01))), "9000");
    EXPECT_EQ(hex_sw(card, "802A0080"), "6700");
    EXPECT_EQ(hex_sw(card, "802A068003010203 00"), "6A86");
    EXPECT_EQ(hex_sw(card, sign_apdu("00", di)), "6A86");  // JPKI keys need P2=80 / 80|SFI

    // P1=03: the card hashes and builds the DigestInfo: same as host-built.
    const auto r3 = tx(
        card, "802A0380" + [&] {
            char lc[3];
            std::snprintf(lc, sizeof lc, "%02X", static_cast<unsigned>(message.size()));
            return std::string(lc) + to_hex(message) + "00";
        }());
    EXPECT_EQ(body(r3), sig);

    // Sign key with the sign PIN.
    ASSERT_EQ(hex_sw(card, sel_ef(0x001B)), "9000");
    ASSERT_EQ(hex_sw(card, verify("ABC123")), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x001A)), "9000");
    const auto rs = tx(card, sign_apdu("80", di));
    ASSERT_EQ(sw(rs), 0x9000);
    EXPECT_TRUE(verify_raw(*cert_key(p.sign_cert_der), di, body(rs)));
    EXPECT_FALSE(verify_raw(*auth_pub, di, body(rs)));
}

TEST(SoftcardJpki, SignWithoutPinSwitch) {
    auto p = profile();
    p.behaviour.sign_without_pin_sw = 0x6985;
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0017)), "9000");
    EXPECT_EQ(hex_sw(card, sign_apdu("80", Bytes(51, 0x11))), "6985");
    ASSERT_EQ(hex_sw(card, sel_ef(0x000A)), "9000");
    EXPECT_EQ(hex_sw(card, sign_apdu("80", Bytes(51, 0x11))), "6981");  // not a key
}

TEST(SoftcardJpki, ChangeReferenceData) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0018)), "9000");
    const std::string change5678 = "0024018004" + to_hex(to_bytes("5678"));
    EXPECT_EQ(hex_sw(card, change5678), "6982");  // current PIN not verified
    ASSERT_EQ(hex_sw(card, verify("1234")), "9000");
    EXPECT_EQ(hex_sw(card, "0024018003" + to_hex(to_bytes("567"))), "6A80");
    EXPECT_EQ(hex_sw(card, "0024018004" + to_hex(to_bytes("56A8"))), "6A80");
    EXPECT_EQ(hex_sw(card, "0024008004" + to_hex(to_bytes("5678"))), "6A86");
    EXPECT_EQ(hex_sw(card, change5678), "9000");
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0018)), "9000");
    EXPECT_EQ(hex_sw(card, verify("1234")), "63C2");
    EXPECT_EQ(hex_sw(card, verify("5678")), "9000");

    ASSERT_EQ(hex_sw(card, sel_ef(0x001B)), "9000");
    ASSERT_EQ(hex_sw(card, verify("ABC123")), "9000");
    auto change = [&](const std::string& v) {
        char lc[3];
        std::snprintf(lc, sizeof lc, "%02X", static_cast<unsigned>(v.size()));
        return hex_sw(card, std::string("00240180") + lc + to_hex(to_bytes(v)));
    };
    EXPECT_EQ(change("abc123"), "6A80");             // lowercase
    EXPECT_EQ(change("ABCDEF"), "6A80");             // no digit
    EXPECT_EQ(change("123456"), "6A80");             // no letter
    EXPECT_EQ(change("AB12"), "6A80");               // too short
    EXPECT_EQ(change("A1234567890123456"), "6A80");  // 17
    EXPECT_EQ(change("NEWPASS9"), "9000");
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x001B)), "9000");
    EXPECT_EQ(hex_sw(card, verify("NEWPASS9")), "9000");
}

// --- text AP ------------------------------------------------------------------

namespace {
// Reads EF `fid` of the current AP; returns the SW on failure as 2 bytes.
Bytes read_ef(Card& card, std::uint16_t fid) {
    const auto s = tx(card, sel_ef(fid));
    if (sw(s) != 0x9000) return s;
    const auto first = tx(card, "00B0000000");
    if (sw(first) != 0x9000) return first;
    Bytes out = body(first);
    if (out.size() == 256) {
        const auto rest = read_all(card);
        out = rest;
    }
    return out;
}
}  // namespace

TEST(SoftcardText, MyNumberFileExactBytes) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelText), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0011)), "9000");
    ASSERT_EQ(hex_sw(card, verify("1234")), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0001)), "9000");
    const auto r = tx(card, "00B0000011");
    Bytes expect = from_hex("FF100C");
    const auto digits = to_bytes(p.my_number);
    expect.insert(expect.end(), digits.begin(), digits.end());
    expect.insert(expect.end(), {0xFF, 0xFF, 0x90, 0x00});
    EXPECT_EQ(r, expect);
    EXPECT_TRUE(softcard::is_valid_my_number(p.my_number));
    EXPECT_EQ(hex_sw(card, "00B0001101"), "6B00");  // the file is exactly 17 bytes
}

TEST(SoftcardText, AccessMatrix) {
    const auto p = profile();
    const std::string code_b =
        softcard::verification_code_b(p.birth_date, p.card_expiry, p.security_code);
    struct Case {
        std::uint16_t key;
        std::string secret;
        bool ef1, ef2, ef3;
    };
    const Case cases[] = {
        {0, "", false, false, false},
        {0x0011, "1234", true, true, true},
        {0x0014, p.my_number, true, false, true},
        {0x0015, code_b, false, true, true},
    };
    for (const auto& c : cases) {
        Card card(p);
        ASSERT_EQ(hex_sw(card, kSelText), "9000");
        if (c.key != 0) {
            ASSERT_EQ(hex_sw(card, sel_ef(c.key)), "9000");
            ASSERT_EQ(hex_sw(card, verify(c.secret)), "9000") << c.key;
        }
        const bool expect[] = {c.ef1, c.ef2, c.ef3};
        for (unsigned fid = 1; fid <= 3; ++fid) {
            ASSERT_EQ(hex_sw(card, sel_ef(fid)), "9000");
            EXPECT_EQ(hex_sw(card, "00B0000004"), expect[fid - 1] ? "9000" : "6982")
                << "key " << c.key << " EF " << fid;
        }
        for (unsigned fid : {0x0004u, 0x0005u, 0x0008u}) {  // free
            ASSERT_EQ(hex_sw(card, sel_ef(fid)), "9000");
            EXPECT_EQ(hex_sw(card, "00B0000004"), "9000") << fid;
        }
        for (unsigned fid : {0x0006u, 0x0007u}) {
            ASSERT_EQ(hex_sw(card, sel_ef(fid)), "9000");
            EXPECT_EQ(hex_sw(card, "00B0000004"), c.key != 0 ? "9000" : "6982") << fid;
        }
    }
}

TEST(SoftcardText, KeyReferences) {
    Card card(profile());
    ASSERT_EQ(hex_sw(card, kSelText), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0011)), "9000");
    EXPECT_EQ(hex_sw(card, "00200080"), "63C3");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0012)), "9000");
    EXPECT_EQ(hex_sw(card, "00200080"), "63C0");  // issued blocked
    EXPECT_EQ(hex_sw(card, verify("1234")), "6984");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0014)), "9000");
    EXPECT_EQ(hex_sw(card, "00200080"), "63CA");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0015)), "9000");
    EXPECT_EQ(hex_sw(card, verify("00000000000000")), "63C9");
    EXPECT_EQ(card.tries_left("text_b"), 9);
    // Text PIN change, then the 照合番号 cannot be changed.
    ASSERT_EQ(hex_sw(card, sel_ef(0x0011)), "9000");
    ASSERT_EQ(hex_sw(card, verify("1234")), "9000");
    EXPECT_EQ(hex_sw(card, "0024018004" + to_hex(to_bytes("4321"))), "9000");
    // The JPKI auth PIN is a different counter.
    EXPECT_EQ(card.tries_left("auth"), 3);
}

TEST(SoftcardText, BasicFourAttributesParse) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelText), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0011)), "9000");
    ASSERT_EQ(hex_sw(card, verify("1234")), "9000");
    const Bytes file = read_ef(card, 0x0002);
    ASSERT_GT(file.size(), 20u);
    const auto outer = apdu::parse_tlv(file);
    ASSERT_EQ(outer.tag, 0xFF20u);
    const auto objs = apdu::parse_tlv_sequence(outer.value);
    ASSERT_EQ(objs.size(), 5u);
    ASSERT_EQ(objs[0].tag, 0xDF21u);
    ASSERT_EQ(objs[0].value.size(), 8u);
    const std::uint32_t tags[] = {0xDF22, 0xDF23, 0xDF24, 0xDF25};
    for (std::size_t i = 0; i < 4; ++i) {
        const std::size_t off = be16(objs[0].value, 2 * i);
        EXPECT_EQ(objs[i + 1].tag, tags[i]);
        EXPECT_EQ(objs[i + 1].value.data() - objs[i + 1].header_size, file.data() + off) << i;
    }
    EXPECT_EQ(std::string(objs[1].value.begin(), objs[1].value.end()), p.holder_name);
    EXPECT_NE(p.holder_name.find("\xE3\x80\x80"), std::string::npos);  // U+3000
    EXPECT_EQ(std::string(objs[2].value.begin(), objs[2].value.end()), p.holder_address);
    EXPECT_NE(p.holder_address.find("\xEF\xBC\x91"), std::string::npos);  // full-width １
    EXPECT_EQ(std::string(objs[3].value.begin(), objs[3].value.end()), p.birth_date);
    EXPECT_EQ(std::string(objs[4].value.begin(), objs[4].value.end()), p.sex);
    // FF filler after the object.
    EXPECT_TRUE(std::all_of(file.begin() + static_cast<std::ptrdiff_t>(outer.total_size()),
                            file.end(), [](std::uint8_t b) { return b == 0xFF; }));
}

TEST(SoftcardText, IntegrityRecordAndCvCertificate) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelText), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0011)), "9000");
    ASSERT_EQ(hex_sw(card, verify("1234")), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0001)), "9000");
    const Bytes ef1 = body(tx(card, "00B0000011"));
    const Bytes ef2 = read_ef(card, 0x0002);
    const Bytes ef3 = read_ef(card, 0x0003);
    const Bytes ef4 = read_ef(card, 0x0004);
    ASSERT_EQ(ef3.size(), 336u);
    ASSERT_EQ(ef4.size(), 568u);
    EXPECT_EQ(Bytes(ef3.begin(), ef3.begin() + 5), from_hex("FF3082014B"));
    EXPECT_EQ(Bytes(ef4.begin(), ef4.begin() + 5), from_hex("7F21820233"));

    // CV certificate: body signed by the AP CA (public key in the PKI directory).
    const auto cv = apdu::parse_tlv(ef4);
    const auto cv_parts = apdu::parse_tlv_sequence(cv.value);
    ASSERT_EQ(cv_parts.size(), 2u);
    ASSERT_EQ(cv_parts[0].tag, 0x5F4Eu);
    ASSERT_EQ(cv_parts[0].value.size(), 297u);
    ASSERT_EQ(cv_parts[1].tag, 0x5F37u);
    // Botan 2 returns an owning raw pointer here.
    const std::unique_ptr<Botan::Public_Key> ca_pub(
        Botan::X509::load_key((fixture().pki() / "ap_ca_pub.der").string()));
    Botan::PK_Verifier cv_verifier(*ca_pub, "EMSA3(SHA-256)");
    EXPECT_TRUE(cv_verifier.verify_message(cv_parts[0].value.data(), cv_parts[0].value.size(),
                                           cv_parts[1].value.data(), cv_parts[1].value.size()));
    const auto issuer = record_key(cv_parts[0].value.subspan(32));

    // Integrity record.
    const auto rec = apdu::parse_tlv(ef3);
    const auto f = children(rec.value);
    EXPECT_EQ(Bytes(f.at(0xDF31).begin(), f.at(0xDF31).end()), sha256(ef1));
    const auto outer2 = apdu::parse_tlv(ef2);
    const auto table = apdu::parse_tlv(outer2.value);
    EXPECT_EQ(Bytes(f.at(0xDF32).begin(), f.at(0xDF32).end()),
              sha256(outer2.value.subspan(table.total_size())));
    const Bytes signed_part = concat_tlvs({{0xDF31, f.at(0xDF31)}, {0xDF32, f.at(0xDF32)}});
    Botan::PK_Verifier v(*issuer, "EMSA3(SHA-256)");
    EXPECT_TRUE(v.verify_message(signed_part.data(), signed_part.size(), f.at(0xDF33).data(),
                                 f.at(0xDF33).size()));
}

// --- face AP ------------------------------------------------------------------

TEST(SoftcardFace, AccessMatrix) {
    const auto p = profile();
    const std::string code_b =
        softcard::verification_code_b(p.birth_date, p.card_expiry, p.security_code);
    struct Case {
        std::uint16_t key;
        std::string secret;
        std::array<bool, 6> open;  // EF 0001..0006
    };
    const Case cases[] = {
        {0, "", {false, false, true, true, false, false}},
        {0x0011, softcard::era_birth_code(p.birth_date), {true, false, true, true, false, false}},
        {0x0012, code_b, {false, true, true, true, false, true}},
        {0x0013, p.my_number, {false, true, true, true, true, true}},
    };
    for (const auto& c : cases) {
        Card card(p);
        ASSERT_EQ(hex_sw(card, kSelFace), "9000");
        if (c.key != 0) {
            ASSERT_EQ(hex_sw(card, sel_ef(c.key)), "9000");
            ASSERT_EQ(hex_sw(card, verify(c.secret)), "9000") << c.key;
        }
        for (unsigned fid = 1; fid <= 6; ++fid) {
            ASSERT_EQ(hex_sw(card, sel_ef(fid)), "9000");
            EXPECT_EQ(hex_sw(card, "00B0000004"), c.open[fid - 1u] ? "9000" : "6982")
                << "key " << c.key << " EF " << fid;
        }
    }
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelFace), "9000");
    for (unsigned k : {0x0011u, 0x0012u, 0x0013u}) {
        ASSERT_EQ(hex_sw(card, sel_ef(k)), "9000");
        EXPECT_EQ(hex_sw(card, "00200080"), "63CA");
    }
    EXPECT_EQ(p.secrets.at("face_birth").value, SecureBytes({'5', '5', '0', '2', '1', '7'}));
}

TEST(SoftcardFace, CardFaceRecord) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelFace), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0013)), "9000");
    ASSERT_EQ(hex_sw(card, verify(p.my_number)), "9000");
    const Bytes file = read_ef(card, 0x0002);  // 256-byte chunks
    ASSERT_GT(file.size(), 1024u);
    ASSERT_LE(file.size(), 0x8000u);
    const auto outer = apdu::parse_tlv(file);
    ASSERT_EQ(outer.tag, 0xFF20u);
    const auto objs = apdu::parse_tlv_sequence(outer.value);
    ASSERT_EQ(objs.size(), 10u);
    ASSERT_EQ(objs[0].tag, 0xDF21u);
    for (std::size_t i = 1; i < objs.size(); ++i) {
        EXPECT_EQ(objs[i].tag, 0xDF21u + i);
        EXPECT_EQ(objs[i].value.data() - objs[i].header_size,
                  file.data() + be16(objs[0].value, 2 * (i - 1)));
    }
    auto val = [&](std::size_t i) { return Bytes(objs[i].value.begin(), objs[i].value.end()); };
    EXPECT_EQ(val(1), to_bytes(p.birth_date));
    EXPECT_EQ(val(2), to_bytes(p.sex));
    const Bytes name_png = val(4);
    EXPECT_EQ(Bytes(name_png.begin(), name_png.begin() + 8), from_hex("89504E470D0A1A0A"));  // PNG
    EXPECT_EQ(name_png[24], 1);  // bit depth 1
    EXPECT_EQ(name_png[25], 0);  // greyscale
    const Bytes photo = val(6);
    EXPECT_EQ(Bytes(photo.begin(), photo.begin() + 12),
              from_hex("0000000C6A5020200D0A870A"));  // JP2
    EXPECT_EQ(val(8), to_bytes(p.card_expiry));
    EXPECT_EQ(val(6), p.photo_jp2);

    // DF28: one DigestInfo over three SHA-256 groups, by the key in EF 0004.
    auto raw = [&](std::size_t i) {
        return Bytes(objs[i].value.data() - objs[i].header_size,
                     objs[i].value.data() + objs[i].value.size());
    };
    Bytes g1 = raw(1), g2 = raw(4);
    for (const auto& part : {raw(2), raw(3)}) g1.insert(g1.end(), part.begin(), part.end());
    const auto r5 = raw(5);
    g2.insert(g2.end(), r5.begin(), r5.end());
    Bytes digests = sha256(g1);
    for (const auto& d : {sha256(g2), sha256(raw(6))})
        digests.insert(digests.end(), d.begin(), d.end());
    const Bytes di = apdu::encode_tlv(0x30, [&] {
        Bytes v = from_hex("300D06096086480165030402010500");
        const auto os = apdu::encode_tlv(0x04, digests);
        v.insert(v.end(), os.begin(), os.end());
        return v;
    }());
    const Bytes ef4 = read_ef(card, 0x0004);
    const auto cv_body = apdu::parse_tlv_sequence(apdu::parse_tlv(ef4).value)[0].value;
    const auto issuer = record_key(cv_body.subspan(32));
    EXPECT_TRUE(verify_raw(*issuer, di, val(7)));

    // The card key (DF24) answers 80 2A 00 00 without a credential.
    const auto card_key = record_key(objs[3].value);
    const Bytes chal_di = digest_info_sha256(sha256(to_bytes("challenge")));
    ASSERT_EQ(hex_sw(card, kSelFace), "9000");  // no credential left
    const auto r = tx(card, sign_apdu("00", chal_di));
    ASSERT_EQ(sw(r), 0x9000);
    EXPECT_TRUE(verify_raw(*card_key, chal_di, body(r)));
}

TEST(SoftcardFace, AgeRecordAndMyNumberImage) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelFace), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x0011)), "9000");
    ASSERT_EQ(hex_sw(card, verify(softcard::era_birth_code(p.birth_date))), "9000");
    const Bytes age = read_ef(card, 0x0001);
    EXPECT_EQ(Bytes(age.begin(), age.begin() + 5), from_hex("FF1082021E"));
    const auto f = children(apdu::parse_tlv(age).value);
    EXPECT_EQ(Bytes(f.at(0xDF11).begin(), f.at(0xDF11).end()), to_bytes(p.birth_date));
    const Bytes ef4 = read_ef(card, 0x0004);
    const auto cv_body = apdu::parse_tlv_sequence(apdu::parse_tlv(ef4).value)[0].value;
    const auto issuer = record_key(cv_body.subspan(32));
    const Bytes signed_part = concat_tlvs({{0xDF11, f.at(0xDF11)}, {0xDF12, f.at(0xDF12)}});
    Botan::PK_Verifier v(*issuer, "EMSA3(SHA-256)");
    EXPECT_TRUE(v.verify_message(signed_part.data(), signed_part.size(), f.at(0xDF13).data(),
                                 f.at(0xDF13).size()));

    ASSERT_EQ(hex_sw(card, sel_ef(0x0003)), "9000");
    const Bytes basic_file = read_ef(card, 0x0003);  // the TLV views point into it
    const auto basic = children(apdu::parse_tlv(basic_file).value);
    EXPECT_EQ(Bytes(basic.at(0xDF34).begin(), basic.at(0xDF34).end()),
              to_bytes(p.municipality_code));
}

// --- common card AP -------------------------------------------------------------

TEST(SoftcardCommon, ReadRecord) {
    const auto p = profile();
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelCommon), "9000");
    EXPECT_EQ(hex_sw(card, "00B2010C00"), "9000");  // by SFI 1
    ASSERT_EQ(hex_sw(card, sel_ef(0x0001)), "9000");
    const auto r = tx(card, "00B2010400");
    ASSERT_EQ(sw(r), 0x9000);
    const auto rec = body(r);
    ASSERT_EQ(rec.size(), 30u);
    EXPECT_EQ(rec[0], 0x01);
    EXPECT_EQ(rec[1], 0x1C);
    EXPECT_EQ(std::string(rec.begin() + 2, rec.end()),
              p.card_serial + p.municipality_code + p.card_expiry);
    EXPECT_EQ(hex_sw(card, "00B2020400"), "6A83");
    EXPECT_EQ(hex_sw(card, "00B0000000"), "6981");  // record EF
    EXPECT_EQ(hex_sw(card, "00AE000000"), "6D00");
    EXPECT_EQ(hex_sw(card, kSelJuki), "9000");
}

// --- profile variants -------------------------------------------------------------

TEST(SoftcardVariants, MinorHasNoSignatureCertificate) {
    const auto p = profile("minor");
    EXPECT_FALSE(p.behaviour.sign_cert_present);
    EXPECT_TRUE(p.sign_cert_der.empty());
    EXPECT_EQ(p.secrets.count("sign"), 0u);
    Card card(p);
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    for (unsigned fid : {0x0001u, 0x001Au, 0x001Bu})
        EXPECT_EQ(hex_sw(card, sel_ef(fid)), "6A82") << fid;
    ASSERT_EQ(hex_sw(card, sel_ef(0x0008)), "9000");
    EXPECT_EQ(tx(card, "00B0000000"), from_hex("008F009000"));
    ASSERT_EQ(hex_sw(card, sel_ef(0x000A)), "9000");
    EXPECT_EQ(hex_sw(card, "00B0000004"), "9000");
}

TEST(SoftcardVariants, SignBlocked) {
    Card card(profile("sign-blocked"));
    EXPECT_EQ(card.tries_left("sign"), 0);
    EXPECT_EQ(card.tries_left("auth"), 3);
    ASSERT_EQ(hex_sw(card, kSelJpki), "9000");
    ASSERT_EQ(hex_sw(card, sel_ef(0x001B)), "9000");
    EXPECT_EQ(hex_sw(card, "00200080"), "63C0");
    EXPECT_EQ(hex_sw(card, verify("ABC123")), "6984");
}

TEST(SoftcardVariants, ExpiredCertificates) {
    const auto now = std::chrono::system_clock::now();
    for (const char* v : {"expired", "default"}) {
        const auto p = profile(v);
        for (const auto* der : {&p.auth_cert_der, &p.sign_cert_der}) {
            Botan::DataSource_Memory src(der->data(), der->size());
            const Botan::X509_Certificate cert(src);
            const bool expired = cert.not_after().to_std_timepoint() < now;
            EXPECT_EQ(expired, std::string(v) == "expired") << v;
        }
    }
}
