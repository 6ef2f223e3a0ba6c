// The 券面AP card-face record (card-facts.md §4.4): one FF20 object with
// DF21–DF2A. What parses keeps the whole record and dates of 8 digits.

#include "card/records.h"
#include "core/error.h"
#include "fuzz_target.h"

namespace card = mynacard::card;
using mynacard::fuzz::require;

MYNACARD_FUZZ_TARGET(face_record) {
    const auto input = mynacard::fuzz::view(data, size);
    try {
        auto face = card::parse_face_record(input);
        require(face.birth_date.size() == 8, "birth date not 8 characters");
        require(face.record.size() <= input.size(), "record larger than the input");
        card::wipe(face);
    } catch (const mynacard::Error&) {
    }
    return 0;
}
