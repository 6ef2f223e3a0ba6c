// The clinic front desk's configuration file (desk.json,
// qualification/desk_config.h), written by the clinic's staff: parsed or
// refused with Error(invalid_argument) naming the key, and what parses
// holds what load_desk_config promises: a 10-digit institution code, a
// backend, absolute paths, an https:// reference URL, a printable reader
// name and every time-out within its bounds.

#include <string_view>

#include "core/error.h"
#include "fuzz_target.h"
#include "qualification/desk_config.h"

using mynacard::fuzz::require;
namespace q = mynacard::qualification;

namespace {

bool within(std::chrono::seconds value, q::TimeoutBounds bounds) {
    return value >= bounds.min && value <= bounds.max;
}

}  // namespace

MYNACARD_FUZZ_TARGET(desk_config) {
    try {
        const auto c =
            q::parse_desk_config(std::string_view(reinterpret_cast<const char*>(data), size));
        require(c.institution_code.size() == 10 &&
                    c.institution_code.find_first_not_of("0123456789") == std::string::npos,
                "an institution code that is not 10 digits");
        require(c.reference || c.terminal, "no backend");
        if (c.reference)
            require(c.reference->url.rfind("https://", 0) == 0 && c.reference->ca.is_absolute(),
                    "a reference backend without https:// or an absolute CA path");
        if (c.terminal) require(c.terminal->root.is_absolute(), "a relative terminal root");
        require(c.export_dir.is_absolute(), "a relative export_dir");
        require(c.face_dir.empty() || c.face_dir.is_absolute(), "a relative face_dir");
        require(c.reader.size() <= 128, "a reader name over 128 bytes");
        for (const char ch : c.reader)
            require(static_cast<unsigned char>(ch) >= 0x20, "a control character in the reader");
        require(within(c.timeouts.idle, q::kIdleBounds) && within(c.timeouts.pin, q::kPinBounds) &&
                    within(c.timeouts.check, q::kCheckBounds) &&
                    within(c.timeouts.result, q::kResultBounds),
                "a time-out outside its bounds");
    } catch (const mynacard::Error&) {
    }
    return 0;
}
