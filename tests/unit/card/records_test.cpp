// The record parsers of middleware/card on hand-built bytes (card-facts.md
// §3.3, §3.4, §4.4), independent of the software card.

#include <gtest/gtest.h>

#include <string>

#include "apdu/tlv.h"
#include "card/records.h"
#include "core/error.h"
#include "core/utf8.h"
#include "softcard/holder.h"

using namespace mynacard;

namespace {

Bytes ascii(std::string_view s) {
    return Bytes(s.begin(), s.end());
}
void append(Bytes& out, const Bytes& more) {
    out.insert(out.end(), more.begin(), more.end());
}

template <typename F>
void expect_malformed(F&& f) {
    try {
        f();
        ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::malformed_data) << e.what();
    }
}

// FF20 { DF21 table, objects… } with the table as the one real-card dump
// shows it (card-facts.md §3.4: each offset one past the object's tag start).
Bytes record(const std::vector<Bytes>& objects, int offset_bias = 1) {
    std::size_t body = 3 + 2 * objects.size();
    for (const auto& o : objects) body += o.size();
    std::size_t pos = 2 + apdu::encode_length(body).size() + 3 + 2 * objects.size();
    Bytes table;
    for (const auto& o : objects) {
        const std::size_t v = pos + static_cast<std::size_t>(offset_bias);
        table.push_back(static_cast<std::uint8_t>(v >> 8));
        table.push_back(static_cast<std::uint8_t>(v));
        pos += o.size();
    }
    Bytes value = apdu::encode_tlv(0xDF21, table);
    for (const auto& o : objects) append(value, o);
    return apdu::encode_tlv(0xFF20, value);
}

const std::string kName = "番号\u3000花子";  // U+3000 between family and given name
const std::string kAddress = "東京都千代田区永田町１丁目";

std::vector<Bytes> basic_objects(const std::string& birth = "19800217",
                                 const std::string& sex = "2") {
    return {apdu::encode_tlv(0xDF22, ascii(kName)), apdu::encode_tlv(0xDF23, ascii(kAddress)),
            apdu::encode_tlv(0xDF24, ascii(birth)), apdu::encode_tlv(0xDF25, ascii(sex))};
}

TEST(MyNumber, CheckDigit) {
    EXPECT_TRUE(card::is_valid_my_number("123456789018"));
    EXPECT_FALSE(card::is_valid_my_number("123456789017"));
    EXPECT_TRUE(card::is_valid_my_number("000000000000"));
    EXPECT_TRUE(card::is_valid_my_number("987654321093"));
    EXPECT_FALSE(card::is_valid_my_number("12345678901"));
    EXPECT_FALSE(card::is_valid_my_number("12345678901A"));
    // Agrees with the software card's independent implementation.
    for (unsigned seed = 1; seed < 2000; ++seed) {
        std::string body = std::to_string(10000000000ULL + seed * 4294967ULL).substr(0, 11);
        const std::string good = body + std::to_string(softcard::my_number_check_digit(body));
        EXPECT_TRUE(card::is_valid_my_number(good)) << good;
        EXPECT_EQ(card::is_valid_my_number(body + "0"), softcard::is_valid_my_number(body + "0"));
    }
}

TEST(MyNumber, File) {
    Bytes f = {0xFF, 0x10, 0x0C};
    append(f, ascii("123456789018"));
    f.push_back(0xFF);
    f.push_back(0xFF);
    EXPECT_EQ(card::parse_my_number_file(f), "123456789018");
    Bytes wrong = f;
    wrong[14] = '7';
    expect_malformed([&] { (void)card::parse_my_number_file(wrong); });
    expect_malformed([&] { (void)card::parse_my_number_file(ByteView(f).first(14)); });
    Bytes tag = f;
    tag[1] = 0x11;
    expect_malformed([&] { (void)card::parse_my_number_file(tag); });
}

TEST(Utf8, Validity) {
    EXPECT_TRUE(mynacard::is_valid_utf8(ascii(kName)));
    EXPECT_TRUE(mynacard::is_valid_utf8(ascii("\xF0\x9F\x98\x80")));       // U+1F600
    EXPECT_FALSE(mynacard::is_valid_utf8(Bytes{0xC0, 0xAF}));              // overlong '/'
    EXPECT_FALSE(mynacard::is_valid_utf8(Bytes{0xED, 0xA0, 0x80}));        // surrogate
    EXPECT_FALSE(mynacard::is_valid_utf8(Bytes{0xF4, 0x90, 0x80, 0x80}));  // > U+10FFFF
    EXPECT_FALSE(mynacard::is_valid_utf8(Bytes{0xE3, 0x81}));              // truncated
    EXPECT_FALSE(mynacard::is_valid_utf8(Bytes{0x80}));
    EXPECT_FALSE(mynacard::is_valid_utf8(Bytes{0xFF}));
}

TEST(BasicFour, ParsesEitherOffsetConvention) {
    for (const int bias : {0, 1}) {
        const auto b = card::parse_basic_four(record(basic_objects(), bias));
        EXPECT_EQ(b.name, kName);
        EXPECT_EQ(b.address, kAddress);
        EXPECT_EQ(b.birth_date, "19800217");
        EXPECT_EQ(b.sex, "2");
    }
}

TEST(BasicFour, LongFormLengthAndUnknownTags) {
    auto objects = basic_objects();
    objects[1] =
        apdu::encode_tlv(0xDF23, ascii(std::string(60, 'x') + kAddress + std::string(100, 'y')));
    objects.push_back(apdu::encode_tlv(0xDF30, Bytes{1, 2}));
    const Bytes r = record(objects);
    ASSERT_EQ(r[2], 0x81);  // long-form outer length
    EXPECT_EQ(card::parse_basic_four(r).sex, "2");
}

TEST(BasicFour, RejectsBrokenRecords) {
    expect_malformed([] { (void)card::parse_basic_four(record(basic_objects("1980021", "2"))); });
    expect_malformed([] { (void)card::parse_basic_four(record(basic_objects("19801317", "2"))); });
    expect_malformed([] { (void)card::parse_basic_four(record(basic_objects("19800217", "M"))); });
    expect_malformed([] { (void)card::parse_basic_four(record(basic_objects("19800217", "12"))); });
    auto missing = basic_objects();
    missing.pop_back();
    expect_malformed([&] { (void)card::parse_basic_four(record(missing)); });
    auto dup = basic_objects();
    dup.push_back(dup[0]);
    expect_malformed([&] { (void)card::parse_basic_four(record(dup)); });
    auto bad_name = basic_objects();
    bad_name[0] = apdu::encode_tlv(0xDF22, Bytes{0xE3, 0x81});
    expect_malformed([&] { (void)card::parse_basic_four(record(bad_name)); });
    auto empty_name = basic_objects();
    empty_name[0] = apdu::encode_tlv(0xDF22, Bytes{});
    expect_malformed([&] { (void)card::parse_basic_four(record(empty_name)); });

    Bytes trailing = record(basic_objects());
    trailing.push_back(0xFF);
    expect_malformed([&] { (void)card::parse_basic_four(trailing); });
    Bytes cut = record(basic_objects());
    cut.pop_back();
    expect_malformed([&] { (void)card::parse_basic_four(cut); });
    // No offset table first.
    Bytes no_table = apdu::encode_tlv(0xFF20, apdu::encode_tlv(0xDF22, ascii(kName)));
    expect_malformed([&] { (void)card::parse_basic_four(no_table); });
    expect_malformed([] { (void)card::parse_basic_four(Bytes{}); });
    expect_malformed([] {
        (void)card::parse_basic_four(Bytes{0xFF, 0x20, 0x83, 0xFF, 0xFF, 0xFF});
    });
}

TEST(FaceRecord, ParsesAndRejects) {
    const Bytes png = {0x89, 'P', 'N', 'G'};
    const auto objects = [&](const std::string& expiry) {
        return std::vector<Bytes>{apdu::encode_tlv(0xDF22, ascii("19800217")),
                                  apdu::encode_tlv(0xDF23, ascii("1")),
                                  apdu::encode_tlv(0xDF24, Bytes{0x90, 0x01, 0x03}),
                                  apdu::encode_tlv(0xDF25, png),
                                  apdu::encode_tlv(0xDF26, png),
                                  apdu::encode_tlv(0xDF27, Bytes(300, 0x42)),
                                  apdu::encode_tlv(0xDF28, Bytes(256, 0x11)),
                                  apdu::encode_tlv(0xDF29, ascii(expiry)),
                                  apdu::encode_tlv(0xDF2A, png)};
    };
    const Bytes r = record(objects("20350217"));
    const auto f = card::parse_face_record(r);
    EXPECT_EQ(f.birth_date, "19800217");
    EXPECT_EQ(f.sex, "1");
    EXPECT_EQ(f.expiry, "20350217");
    EXPECT_EQ(f.photo_jp2, Bytes(300, 0x42));
    EXPECT_EQ(f.name_png, png);
    EXPECT_EQ(f.record, r);
    expect_malformed([&] { (void)card::parse_face_record(record(objects("2035021X"))); });
    auto no_photo = objects("20350217");
    no_photo[5] = apdu::encode_tlv(0xDF27, Bytes{});
    expect_malformed([&] { (void)card::parse_face_record(record(no_photo)); });
    auto no_code = objects("20350217");
    no_code.pop_back();
    expect_malformed([&] { (void)card::parse_face_record(record(no_code)); });
}

}  // namespace
