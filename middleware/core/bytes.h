#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mynacard {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Overwrites memory in a way the optimiser may not remove.
void secure_zero(void* data, std::size_t size) noexcept;
// Overwrites the contents, then empties and releases the buffer: for card
// data and secrets held in ordinary strings and byte vectors.
void wipe(std::string& s) noexcept;
void wipe(std::vector<std::uint8_t>& b) noexcept;

// Memory for secrets: whole pages of their own (an anonymous mapping), so
// the flags below never reach other data and no other data shares them.
// The pages are MADV_DONTDUMP (left out of core dumps) and mlock'ed where
// RLIMIT_MEMLOCK allows (a refusal is ignored: the pages are then only
// unswappable as far as the system decides). Throws std::bad_alloc.
[[nodiscard]] void* secure_allocate(std::size_t size);
// Zeroises and unmaps a block from secure_allocate (same size).
void secure_deallocate(void* p, std::size_t size) noexcept;

// Allocator that zeroises every block before returning it, so PINs and key
// material do not linger in freed memory, and keeps them out of core dumps
// and swap (secure_allocate).
template <typename T>
struct ZeroisingAllocator {
    using value_type = T;
    ZeroisingAllocator() noexcept = default;
    template <typename U>
    ZeroisingAllocator(const ZeroisingAllocator<U>& /*other*/) noexcept {}

    [[nodiscard]] T* allocate(std::size_t n) {
        if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_alloc();
        static_assert(alignof(T) <= 4096, "secure_allocate aligns to a page");
        return static_cast<T*>(secure_allocate(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept { secure_deallocate(p, n * sizeof(T)); }
    template <typename U>
    bool operator==(const ZeroisingAllocator<U>& /*other*/) const noexcept {
        return true;
    }
};

// Secret bytes (PINs, private keys). Copies are zeroised too.
using SecureBytes = std::vector<std::uint8_t, ZeroisingAllocator<std::uint8_t>>;

[[nodiscard]] std::string to_hex(ByteView data, bool upper = true);
// Accepts upper/lower case and ignores spaces and colons; throws
// Error(Errc::invalid_argument) on anything else or an odd digit count.
[[nodiscard]] Bytes from_hex(std::string_view text);

[[nodiscard]] inline Bytes to_bytes(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

[[nodiscard]] inline std::uint16_t be16(ByteView data, std::size_t offset) {
    return static_cast<std::uint16_t>((data[offset] << 8) | data[offset + 1]);
}

}  // namespace mynacard
