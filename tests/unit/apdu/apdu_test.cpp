#include <gtest/gtest.h>

#include "apdu/command.h"
#include "apdu/response.h"
#include "apdu/tlv.h"
#include "core/error.h"

using namespace mynacard;
using namespace mynacard::apdu;

TEST(CommandApdu, ParsesAllShortCases) {
    auto c1 = CommandApdu::parse(from_hex("00200080"));
    EXPECT_TRUE(c1.data.empty());
    EXPECT_FALSE(c1.le);

    auto c2 = CommandApdu::parse(from_hex("00B0000000"));
    EXPECT_EQ(c2.le, 256u);

    auto c3 = CommandApdu::parse(from_hex("00A4020C020018"));
    EXPECT_EQ(c3.data, from_hex("0018"));
    EXPECT_FALSE(c3.le);

    auto c4 =
        CommandApdu::parse(from_hex("802A008003010203"
                                    "00"));
    EXPECT_EQ(c4.data, from_hex("010203"));
    EXPECT_EQ(c4.le, 256u);
    EXPECT_FALSE(c4.extended);
}

TEST(CommandApdu, ParsesExtendedCases) {
    auto c2 = CommandApdu::parse(from_hex("00B00000000000"));
    EXPECT_TRUE(c2.extended);
    EXPECT_EQ(c2.le, 65536u);
    auto c4 = CommandApdu::parse(from_hex("00CA0000000002AABB0100"));
    EXPECT_EQ(c4.data, from_hex("AABB"));
    EXPECT_EQ(c4.le, 256u);
}

TEST(CommandApdu, RejectsLengthMismatch) {
    EXPECT_THROW((void)CommandApdu::parse(from_hex("00A4")), Error);
    EXPECT_THROW((void)CommandApdu::parse(from_hex("00A4020C030018")), Error);
    EXPECT_THROW((void)CommandApdu::parse(from_hex("00A4020C0200180000")), Error);
    EXPECT_THROW((void)CommandApdu::parse(from_hex("00B0000000FF")), Error);
}

TEST(CommandApdu, EncodeRoundTrips) {
    for (const char* hex : {"00200080", "00B0000000", "00A4020C020018", "802A00800301020300",
                            "00B00000000000", "00CA0000000002AABB0100"}) {
        auto raw = from_hex(hex);
        const auto encoded = CommandApdu::parse(raw).encode();
        EXPECT_EQ(Bytes(encoded.begin(), encoded.end()), raw) << hex;
    }
}

TEST(ResponseApdu, SplitsStatusWord) {
    auto r = ResponseApdu::parse(from_hex("01029000"));
    EXPECT_EQ(r.data, from_hex("0102"));
    EXPECT_TRUE(r.ok());
    EXPECT_THROW((void)ResponseApdu::parse(from_hex("90")), Error);
}

TEST(Tlv, ParsesPrivateTagsAndLongLengths) {
    // My Number file layout (card-facts.md §3.3): FF 10 0C <12 digits> FF FF
    auto file = from_hex("FF100C313233343536373839303138FFFF");
    auto t = parse_tlv(file);
    EXPECT_EQ(t.tag, 0xFF10u);
    EXPECT_EQ(t.value.size(), 12u);
    EXPECT_EQ(tlv_encoded_size(ByteView(file).first(3)), 15u);
    auto seq = parse_tlv_sequence(file, true);
    EXPECT_EQ(seq.size(), 1u);

    Bytes big(300, 0x41);
    auto enc = encode_tlv(0xDF22, big);
    EXPECT_EQ(enc[2], 0x82);
    EXPECT_EQ(parse_tlv(enc).value.size(), 300u);
}

TEST(Tlv, RejectsMalformed) {
    EXPECT_THROW((void)parse_tlv(from_hex("3082FFFF00")), Error);  // runs past data
    EXPECT_THROW((void)parse_tlv(from_hex("3080")), Error);        // indefinite
    EXPECT_THROW((void)parse_tlv(from_hex("30840000000100")), Error);
    EXPECT_THROW((void)parse_tlv(from_hex("DF")), Error);
    EXPECT_FALSE(tlv_encoded_size(from_hex("3082")));
}
