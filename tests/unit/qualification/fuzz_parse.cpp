// libFuzzer entry for qualification::parse, built only by compilers with
// -fsanitize=fuzzer (clang). libFuzzer adds what it finds to its first
// corpus folder, so give it a scratch folder first and the seeds second:
// `qualification_fuzz_parse NEW_DIR tests/fuzz/qualification`. With gcc, seeds_test.cpp runs the
// seeds instead.

#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "qualification/xml_msg.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto message = mynacard::qualification::parse(mynacard::ByteView(data, size));
        (void)mynacard::qualification::write(message, mynacard::qualification::Encoding::utf8);
    } catch (const mynacard::Error&) {
        // Refused cleanly: what the parser must do with bad input.
    }
    return 0;
}
