#include "apdu/response.h"

#include "core/error.h"

namespace mynacard::apdu {

ResponseApdu ResponseApdu::parse(ByteView raw) {
    if (raw.size() < 2) throw Error(Errc::malformed_data, "response APDU shorter than SW1 SW2");
    ResponseApdu r;
    r.data.assign(raw.begin(), raw.end() - 2);
    r.sw = be16(raw, raw.size() - 2);
    return r;
}

Bytes ResponseApdu::encode() const {
    Bytes out = data;
    out.push_back(sw1());
    out.push_back(sw2());
    return out;
}

}  // namespace mynacard::apdu
