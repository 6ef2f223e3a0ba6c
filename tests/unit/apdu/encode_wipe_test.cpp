// CommandApdu::encode() leaves no copy of a VERIFY's PIN in freed heap
// memory. Its own binary: it replaces the global operator delete to look at
// every block the program frees while a check is armed.

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

#include "apdu/command.h"

namespace {

// A PIN no other data of this test contains.
constexpr unsigned char kPin[] = {'7', '3', '1', '9', '4', '6', '2', '8'};
std::atomic<bool> g_armed{false};
std::atomic<int> g_leaks{0};

void inspect(void* p) noexcept {
    if (p == nullptr || !g_armed.load()) return;
    const auto* begin = static_cast<const unsigned char*>(p);
    const auto* end = begin + ::malloc_usable_size(p);
    if (std::search(begin, end, std::begin(kPin), std::end(kPin)) != end) ++g_leaks;
}

}  // namespace

void* operator new(std::size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
void operator delete(void* p) noexcept {
    inspect(p);
    std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
    inspect(p);
    std::free(p);
}

namespace {

using mynacard::apdu::CommandApdu;

TEST(CommandApduEncode, LeavesNoPinInFreedMemory) {
    // VERIFY (ISO/IEC 7816-4 §11.5.6) with the PIN as data, as the card layer
    // sends it; and the 6Cxx resend form with Le.
    CommandApdu verify{
        0x00, 0x20, 0x00, 0x80, mynacard::Bytes(std::begin(kPin), std::end(kPin)), std::nullopt};
    g_armed = true;
    for (int i = 0; i < 4; ++i) {
        const auto encoded = verify.encode();
        ASSERT_GE(encoded.size(), 5 + sizeof kPin);
        verify.le = 256;  // the next round encodes case 4 as a resend would
    }
    g_armed = false;
    EXPECT_EQ(g_leaks.load(), 0) << "a freed encoding still held the PIN";
}

TEST(CommandApduEncode, TheCheckSeesAnUnwipedCopy) {
    // The detector works: an ordinary vector with the PIN is found when freed.
    g_leaks = 0;
    g_armed = true;
    { const mynacard::Bytes copy(std::begin(kPin), std::end(kPin)); }
    g_armed = false;
    EXPECT_EQ(g_leaks.load(), 1);
    g_leaks = 0;
}

}  // namespace
