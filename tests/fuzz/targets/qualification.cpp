// The XmlMsg parser (middleware/qualification): the qualification answers
// of the terminal, and the request files the reference server reads in
// terminal mode (they go through the same qualification::parse). Whatever
// parses, writes again.

#include "core/error.h"
#include "fuzz_target.h"
#include "qualification/xml_msg.h"

namespace q = mynacard::qualification;

MYNACARD_FUZZ_TARGET(qualification) {
    try {
        const auto message = q::parse(mynacard::fuzz::view(data, size));
        (void)q::write(message, q::Encoding::utf8);
        try {
            (void)q::write(message, q::Encoding::shift_jis);
        } catch (const mynacard::Error&) {
            // A character without a Shift_JIS form: refused, as documented.
        }
    } catch (const mynacard::Error&) {
    }
    return 0;
}
