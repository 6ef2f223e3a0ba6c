#include "apdu/command.h"

#include "core/error.h"

namespace mynacard::apdu {

namespace {
[[noreturn]] void bad(const char* what) {
    throw Error(Errc::malformed_data, what);
}
}  // namespace

CommandApdu CommandApdu::parse(ByteView raw) {
    if (raw.size() < 4) bad("command APDU shorter than its header");
    CommandApdu c;
    c.cla = raw[0];
    c.ins = raw[1];
    c.p1 = raw[2];
    c.p2 = raw[3];
    const auto body = raw.subspan(4);
    const std::size_t n = body.size();
    if (n == 0) return c;  // case 1
    if (n == 1) {          // case 2S
        c.le = body[0] == 0 ? 256 : body[0];
        return c;
    }
    if (body[0] != 0) {  // short Lc
        const std::size_t lc = body[0];
        if (n == 1 + lc) {  // case 3S
            c.data.assign(body.begin() + 1, body.end());
            return c;
        }
        if (n == 2 + lc) {  // case 4S
            c.data.assign(body.begin() + 1, body.begin() + 1 + static_cast<std::ptrdiff_t>(lc));
            c.le = body[n - 1] == 0 ? 256 : body[n - 1];
            return c;
        }
        bad("command APDU length does not match Lc");
    }
    // body[0] == 0 and n >= 2: extended form.
    c.extended = true;
    if (n == 3) {  // case 2E
        const std::size_t le = be16(body, 1);
        c.le = le == 0 ? 65536 : le;
        return c;
    }
    if (n < 3) bad("truncated extended length field");
    const std::size_t lc = be16(body, 1);
    if (lc == 0) bad("extended Lc of zero");
    if (n == 3 + lc) {  // case 3E
        c.data.assign(body.begin() + 3, body.end());
        return c;
    }
    if (n == 5 + lc) {  // case 4E
        c.data.assign(body.begin() + 3, body.begin() + 3 + static_cast<std::ptrdiff_t>(lc));
        const std::size_t le = be16(body, n - 2);
        c.le = le == 0 ? 65536 : le;
        return c;
    }
    bad("command APDU length does not match extended Lc");
}

SecureBytes CommandApdu::encode() const {
    if (data.size() > 65535) throw Error(Errc::invalid_argument, "APDU data longer than 65535");
    if (le && (*le == 0 || *le > 65536)) throw Error(Errc::invalid_argument, "Le out of range");
    const bool ext = extended || data.size() > 255 || (le && *le > 256);
    // Sized once: growing would free (unwiped by nothing but the allocator)
    // intermediate buffers; header + extended Lc + data + extended Le.
    SecureBytes out;
    out.reserve(4 + 3 + data.size() + 3);
    out.insert(out.end(), {cla, ins, p1, p2});
    if (!data.empty()) {
        if (ext) {
            out.push_back(0);
            out.push_back(static_cast<std::uint8_t>(data.size() >> 8));
            out.push_back(static_cast<std::uint8_t>(data.size() & 0xFF));
        } else {
            out.push_back(static_cast<std::uint8_t>(data.size()));
        }
        out.insert(out.end(), data.begin(), data.end());
    }
    if (le) {
        if (ext) {
            if (data.empty()) out.push_back(0);
            const std::size_t v = *le == 65536 ? 0 : *le;
            out.push_back(static_cast<std::uint8_t>(v >> 8));
            out.push_back(static_cast<std::uint8_t>(v & 0xFF));
        } else {
            out.push_back(static_cast<std::uint8_t>(*le == 256 ? 0 : *le));
        }
    }
    return out;
}

}  // namespace mynacard::apdu
