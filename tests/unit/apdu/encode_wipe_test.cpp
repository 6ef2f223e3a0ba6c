// CommandApdu::encode() leaves no copy of a VERIFY's PIN in freed heap
// memory. Its own binary: it replaces the global operator delete.

#include <gtest/gtest.h>

#include <iterator>
#include <string_view>

#include "../../support/freed_memory.h"
#include "apdu/command.h"

namespace {

// A PIN no other data of this test contains.
constexpr std::string_view kPin = "73194628";

using mynacard::apdu::CommandApdu;

TEST(CommandApduEncode, LeavesNoPinInFreedMemory) {
    // VERIFY (ISO/IEC 7816-4 §11.5.6) with the PIN as data, as the card layer
    // sends it; then the case-4 form a 6Cxx resend encodes.
    CommandApdu verify{0x00,        0x20, 0x00, 0x80, mynacard::Bytes(kPin.begin(), kPin.end()),
                       std::nullopt};
    freed_memory::pattern = kPin;
    freed_memory::hits = 0;
    freed_memory::armed = true;
    for (int i = 0; i < 4; ++i) {
        const auto encoded = verify.encode();
        ASSERT_GE(encoded.size(), 5 + kPin.size());
        verify.le = 256;
    }
    freed_memory::armed = false;
    EXPECT_EQ(freed_memory::hits.load(), 0) << "a freed encoding still held the PIN";
}

TEST(CommandApduEncode, TheCheckSeesAnUnwipedCopy) {
    // The detector works: an ordinary vector with the PIN is found when freed.
    freed_memory::pattern = kPin;
    freed_memory::hits = 0;
    freed_memory::armed = true;
    { const mynacard::Bytes copy(kPin.begin(), kPin.end()); }
    freed_memory::armed = false;
    EXPECT_EQ(freed_memory::hits.load(), 1);
}

}  // namespace
