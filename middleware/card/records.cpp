#include "card/records.h"

#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>

#include "apdu/tlv.h"
#include "card/detail/files.h"
#include "core/error.h"

namespace mynacard::card {

namespace {

[[noreturn]] void bad(const std::string& what) {
    throw Error(Errc::malformed_data, what);
}

bool all_digits(ByteView v) noexcept {
    return std::all_of(v.begin(), v.end(), [](std::uint8_t c) { return c >= '0' && c <= '9'; });
}

std::string as_string(ByteView v) {
    return std::string(v.begin(), v.end());
}

int two_digits(ByteView v, std::size_t at) noexcept {
    return (v[at] - '0') * 10 + (v[at + 1] - '0');
}

// YYYYMMDD, Gregorian, month 01–12 and day 01–31 (the card records are not
// a calendar authority; this only rejects what cannot be a date).
std::string date_field(ByteView v, const char* what) {
    if (v.size() != 8 || !all_digits(v)) bad(std::string(what) + " is not 8 ASCII digits");
    const int month = two_digits(v, 4);
    const int day = two_digits(v, 6);
    if (month < 1 || month > 12 || day < 1 || day > 31) bad(std::string(what) + " is not a date");
    return as_string(v);
}

// card-facts.md §3.4: JIS X 0303 sex code, one ASCII digit (1, 2, 9; 0 seen
// as "unknown" by one tool) — any digit is accepted, nothing else.
std::string sex_field(ByteView v) {
    if (v.size() != 1 || !all_digits(v)) bad("the sex field is not one ASCII digit");
    return as_string(v);
}

std::string utf8_field(ByteView v, const char* what) {
    if (v.empty()) bad(std::string(what) + " is empty");
    if (!is_valid_utf8(v)) bad(std::string(what) + " is not valid UTF-8");
    return as_string(v);
}

Bytes non_empty(ByteView v, const char* what) {
    if (v.empty()) bad(std::string(what) + " is empty");
    return Bytes(v.begin(), v.end());
}

// The children of an FF20 record: the whole of `record` must be one FF20
// object whose value is a sequence of TLVs filling it exactly, starting with
// the DF21 offset table. The offsets are not used to navigate (the TLV
// structure is authoritative, and the one published dump from a real card,
// card-facts.md §3.4, shows offsets one past each tag's first byte).
std::map<std::uint32_t, ByteView> record_children(ByteView record, const char* what) {
    const apdu::Tlv outer = apdu::parse_tlv(record);
    if (outer.tag != detail::tag::basic_four) bad(std::string(what) + " does not start with FF20");
    if (outer.total_size() != record.size()) bad(std::string(what) + " has bytes after its object");
    const auto items = apdu::parse_tlv_sequence(outer.value);
    if (items.empty() || items.front().tag != 0xDF21)
        bad(std::string(what) + " does not start with its offset table (DF21)");
    const ByteView table = items.front().value;
    if (table.empty() || table.size() % 2 != 0)
        bad(std::string(what) + " has a malformed offset table");
    std::map<std::uint32_t, ByteView> out;
    for (std::size_t i = 1; i < items.size(); ++i) {
        if (!out.emplace(items[i].tag, items[i].value).second)
            bad(std::string(what) + " repeats a tag");
    }
    return out;
}

ByteView required(const std::map<std::uint32_t, ByteView>& fields, std::uint32_t tag,
                  const char* what) {
    const auto it = fields.find(tag);
    if (it == fields.end()) bad(std::string("the record lacks ") + what);
    return it->second;
}

}  // namespace

bool is_valid_my_number(std::string_view number) noexcept {
    if (number.size() != 12) return false;
    if (!std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    int sum = 0;
    for (int n = 1; n <= 11; ++n) {
        const int p = number[static_cast<std::size_t>(11 - n)] - '0';
        const int q = n <= 6 ? n + 1 : n - 5;
        sum += p * q;
    }
    const int r = sum % 11;
    const int check = r <= 1 ? 0 : 11 - r;
    return check == number[11] - '0';
}

std::string parse_my_number_file(ByteView file) {
    // card-facts.md §3.3: FF 10 0C <12 digits> FF FF (17 bytes physical).
    constexpr std::array<std::uint8_t, 3> kHeader{0xFF, 0x10, 0x0C};
    constexpr std::size_t kDigits = 12;
    if (file.size() < kHeader.size() + kDigits) bad("the My Number file is too short");
    if (!std::equal(kHeader.begin(), kHeader.end(), file.begin()))
        bad("the My Number file does not start with FF 10 0C");
    const ByteView digits = file.subspan(kHeader.size(), kDigits);
    if (!all_digits(digits)) bad("the My Number file does not hold 12 ASCII digits");
    std::string number = as_string(digits);
    if (!is_valid_my_number(number)) {
        secure_zero(number.data(), number.size());  // decision 11: not even in freed memory
        bad("the My Number on the card has a wrong check digit");
    }
    return number;
}

BasicFour parse_basic_four(ByteView record) {
    const auto fields = record_children(record, "the basic four record (EF 0002)");
    BasicFour out;
    out.name = utf8_field(required(fields, 0xDF22, "the name (DF22)"), "the name");
    const ByteView address = required(fields, 0xDF23, "the address (DF23)");
    if (!is_valid_utf8(address)) bad("the address is not valid UTF-8");
    out.address = as_string(address);
    out.birth_date =
        date_field(required(fields, 0xDF24, "the birth date (DF24)"), "the birth date");
    out.sex = sex_field(required(fields, 0xDF25, "the sex (DF25)"));
    return out;
}

FaceData parse_face_record(ByteView record) {
    const auto fields = record_children(record, "the card face record (EF 0002)");
    FaceData out;
    out.birth_date =
        date_field(required(fields, 0xDF22, "the birth date (DF22)"), "the birth date");
    out.sex = sex_field(required(fields, 0xDF23, "the sex (DF23)"));
    (void)non_empty(required(fields, 0xDF24, "the card public key (DF24)"), "the card public key");
    out.name_png = non_empty(required(fields, 0xDF25, "the name image (DF25)"), "the name image");
    out.address_png =
        non_empty(required(fields, 0xDF26, "the address image (DF26)"), "the address image");
    out.photo_jp2 = non_empty(required(fields, 0xDF27, "the photo (DF27)"), "the photo");
    (void)non_empty(required(fields, 0xDF28, "the signature (DF28)"), "the signature");
    out.expiry = date_field(required(fields, 0xDF29, "the expiry date (DF29)"), "the expiry date");
    out.security_code_png = non_empty(required(fields, 0xDF2A, "the security code image (DF2A)"),
                                      "the security code image");
    out.record.assign(record.begin(), record.end());
    return out;
}

}  // namespace mynacard::card
