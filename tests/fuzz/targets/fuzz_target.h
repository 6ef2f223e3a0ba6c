#pragma once

// One fuzz target per parser of outside input (tests/fuzz/README.md). A
// target is written once with MYNACARD_FUZZ_TARGET(name) { ... } and built
// two ways:
//  - with clang and MYNACARD_FUZZ=ON, as its own libFuzzer program
//    fuzz_<name> (MYNACARD_LIBFUZZER defined): the body is
//    LLVMFuzzerTestOneInput;
//  - with any compiler, into the unit test fuzz_seeds_test, which runs the
//    body over every file of tests/fuzz/<name>/ (gcc has no libFuzzer, so
//    this is how the corpus runs on every build).
// The body must return 0 and may throw only mynacard::Error (a clean
// refusal); anything else — another exception, a sanitizer report, an
// abort() from a broken invariant — is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/bytes.h"

namespace mynacard::fuzz {

using Entry = int (*)(const std::uint8_t* data, std::size_t size);

// Adds a target to the replay test's list (static initialisation).
bool register_target(const char* name, Entry entry);

// Stops the run with a finding: libFuzzer saves the input, the replay test
// dies with the message (a property the parser broke, not a crash).
[[noreturn]] void fail(const char* what);

// Checks a property of the parser's result; fail() when it does not hold.
inline void require(bool condition, const char* what) {
    if (!condition) fail(what);
}

[[nodiscard]] inline ByteView view(const std::uint8_t* data, std::size_t size) noexcept {
    return {data, size};
}

// Cuts one input into several: a target that needs more than one buffer
// (a file and its signature, a list of card answers) reads them in turn,
// each as a 2-byte big-endian length and that many bytes; the last may be
// shorter than its length says. Once the input is used up, parts are empty.
class Parts {
  public:
    explicit Parts(ByteView input) noexcept : rest_(input) {}
    [[nodiscard]] bool empty() const noexcept { return rest_.empty(); }
    [[nodiscard]] std::uint8_t byte() noexcept {
        if (rest_.empty()) return 0;
        const std::uint8_t b = rest_.front();
        rest_ = rest_.subspan(1);
        return b;
    }
    [[nodiscard]] ByteView next() noexcept {
        const std::size_t length = (std::size_t{byte()} << 8) | byte();
        const std::size_t n = length < rest_.size() ? length : rest_.size();
        const ByteView part = rest_.first(n);
        rest_ = rest_.subspan(n);
        return part;
    }
    [[nodiscard]] ByteView rest() noexcept {
        const ByteView all = rest_;
        rest_ = {};
        return all;
    }

  private:
    ByteView rest_;
};

}  // namespace mynacard::fuzz

#if defined(MYNACARD_LIBFUZZER)
#define MYNACARD_FUZZ_TARGET(name) \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#else
#define MYNACARD_FUZZ_TARGET(name)                                          \
    static int fuzz_one_##name(const std::uint8_t* data, std::size_t size); \
    [[maybe_unused]] static const bool fuzz_registered_##name =             \
        ::mynacard::fuzz::register_target(#name, &fuzz_one_##name);         \
    static int fuzz_one_##name(const std::uint8_t* data, std::size_t size)
#endif
