#pragma once

// For tests that prove a secret does not linger in freed heap memory.
// Replaces the global operator new and delete of the test program: include
// this header in exactly one source file of that program. While `armed` is
// set, every block freed through operator delete is searched for `pattern`
// and each block that still holds it counts one in `hits`.

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string_view>

namespace freed_memory {

inline std::atomic<bool> armed{false};
inline std::atomic<int> hits{0};
inline std::string_view pattern;

inline void inspect(void* p) noexcept {
    if (p == nullptr || !armed.load() || pattern.empty()) return;
    const auto* begin = static_cast<const char*>(p);
    const auto* end = begin + ::malloc_usable_size(p);
    if (std::search(begin, end, pattern.begin(), pattern.end()) != end) ++hits;
}

}  // namespace freed_memory

void* operator new(std::size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
void operator delete(void* p) noexcept {
    freed_memory::inspect(p);
    std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
    freed_memory::inspect(p);
    std::free(p);
}
