// The 券面事項入力補助AP records (card-facts.md §3.3–3.5) and their
// signature check. The input is cut into the four files the check reads
// (Parts: EF 0001, EF 0002, EF 0003, EF 0004); the parsers also see EF 0001
// and EF 0002 alone. A record that parses keeps its fields in their
// documented shapes.

#include <algorithm>

#include "card/records.h"
#include "core/error.h"
#include "fuzz_target.h"
#include "x509/x509.h"

namespace card = mynacard::card;
using mynacard::fuzz::require;

namespace {

bool all_digits(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

MYNACARD_FUZZ_TARGET(text_ap) {
    mynacard::fuzz::Parts parts(mynacard::fuzz::view(data, size));
    const auto my_number_file = parts.next();
    const auto basic_file = parts.next();
    const auto integrity = parts.next();
    const auto cv_certificate = parts.next();
    const auto ca_key = parts.rest();
    try {
        const auto number = card::parse_my_number_file(my_number_file);
        require(number.size() == 12 && all_digits(number), "My Number not 12 digits");
        require(card::is_valid_my_number(number), "My Number with a wrong check digit");
    } catch (const mynacard::Error&) {
    }
    try {
        const auto four = card::parse_basic_four(basic_file);
        require(four.birth_date.size() == 8 && all_digits(four.birth_date),
                "birth date not 8 digits");
        require(four.sex.size() == 1 && all_digits(four.sex), "sex not one digit");
    } catch (const mynacard::Error&) {
    }
    try {
        (void)mynacard::x509::verify_text_ap_integrity(
            my_number_file, basic_file, integrity, cv_certificate,
            ca_key.empty() ? std::nullopt : std::optional<mynacard::ByteView>(ca_key));
    } catch (const mynacard::Error&) {
    }
    return 0;
}
