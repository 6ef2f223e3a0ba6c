// BER-TLV (middleware/apdu/tlv.h), the layout of every file the card
// returns. Properties: a parsed element lies inside the input; the size
// planner agrees with the parser; encode → parse gives back tag and value.

#include <algorithm>

#include "apdu/tlv.h"
#include "core/error.h"
#include "fuzz_target.h"

namespace apdu = mynacard::apdu;
using mynacard::fuzz::require;

MYNACARD_FUZZ_TARGET(tlv) {
    const auto input = mynacard::fuzz::view(data, size);
    try {
        const auto tlv = apdu::parse_tlv(input);
        require(tlv.total_size() <= input.size(), "element runs past the input");
        require(tlv.value.data() >= input.data() &&
                    tlv.value.data() + tlv.value.size() <= input.data() + input.size(),
                "value points outside the input");
        const auto planned = apdu::tlv_encoded_size(input);
        require(planned && *planned == tlv.total_size(), "size planner disagrees with parser");
        const auto encoded = apdu::encode_tlv(tlv.tag, tlv.value);
        const auto again = apdu::parse_tlv(encoded);
        require(again.tag == tlv.tag, "tag changed by encode/parse");
        require(
            std::equal(again.value.begin(), again.value.end(), tlv.value.begin(), tlv.value.end()),
            "value changed by encode/parse");
    } catch (const mynacard::Error&) {
    }
    try {
        (void)apdu::tlv_encoded_size(input);
    } catch (const mynacard::Error&) {
    }
    for (const bool filler : {false, true}) {
        try {
            std::size_t covered = 0;
            for (const auto& element : apdu::parse_tlv_sequence(input, filler)) {
                covered += element.total_size();
                if (element.constructed()) (void)apdu::parse_tlv_sequence(element.value);
            }
            require(covered <= input.size(), "sequence longer than its input");
            if (!filler) require(covered == input.size(), "sequence does not fill its input");
        } catch (const mynacard::Error&) {
        }
    }
    return 0;
}
