#include "core/bytes.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "core/error.h"

namespace mynacard {

void secure_zero(void* data, std::size_t size) noexcept {
    // glibc's explicit_bzero (2.25+) is never elided and runs at memset's
    // speed; the volatile byte loop it replaces cost about a fifth of
    // C_Sign's instructions outside the card, most of it zeroising whole
    // pages of SecureBytes when they are freed (docs/performance.md).
    if (size != 0) ::explicit_bzero(data, size);
}

namespace {

std::size_t page_rounded(std::size_t size) noexcept {
    static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t n = size == 0 ? 1 : size;
    return (n + page - 1) / page * page;
}

}  // namespace

void* secure_allocate(std::size_t size) {
    // Page-granular on purpose: madvise and mlock act on whole pages, and a
    // secret sharing a page with ordinary heap data would either leak that
    // data's flags or get its own dropped when the neighbour is freed.
    if (size > std::numeric_limits<std::size_t>::max() / 2) throw std::bad_alloc();
    const std::size_t length = page_rounded(size);
    void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    // Both are best effort: a kernel without MADV_DONTDUMP or a process over
    // its RLIMIT_MEMLOCK still gets working, zeroised memory.
    (void)::madvise(p, length, MADV_DONTDUMP);
    (void)::mlock(p, length);
    return p;
}

void secure_deallocate(void* p, std::size_t size) noexcept {
    if (p == nullptr) return;
    const std::size_t length = page_rounded(size);
    secure_zero(p, length);
    (void)::munlock(p, length);
    (void)::munmap(p, length);
}

void wipe(std::string& s) noexcept {
    if (!s.empty()) secure_zero(s.data(), s.size());
    s.clear();
    s.shrink_to_fit();
}

void wipe(std::vector<std::uint8_t>& b) noexcept {
    if (!b.empty()) secure_zero(b.data(), b.size());
    b.clear();
    b.shrink_to_fit();
}

std::string to_hex(ByteView data, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (auto b : data) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0F]);
    }
    return out;
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

Bytes from_hex(std::string_view text) {
    Bytes out;
    int high = -1;
    for (char c : text) {
        if (c == ' ' || c == ':' || c == '\n' || c == '\t') continue;
        int v = hex_value(c);
        if (v < 0) throw Error(Errc::invalid_argument, "not a hex digit in hex string");
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>((high << 4) | v));
            high = -1;
        }
    }
    if (high >= 0) throw Error(Errc::invalid_argument, "odd number of hex digits");
    return out;
}

}  // namespace mynacard
