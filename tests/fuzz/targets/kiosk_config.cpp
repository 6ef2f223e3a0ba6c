// The kiosk's configuration file (gui/kiosk/kiosk_config.h), written by
// the municipality's staff: parsed or refused with Error(invalid_argument)
// naming the field, and what parses holds values in their documented ranges.
// (The front desk's configuration file is the desk_config target.)

#include <string_view>

#include "core/error.h"
#include "fuzz_target.h"
#include "gui/kiosk/kiosk_config.h"

using mynacard::fuzz::require;

MYNACARD_FUZZ_TARGET(kiosk_config) {
    try {
        const auto config = mynacard::gui::parse_kiosk_config(
            std::string_view(reinterpret_cast<const char*>(data), size));
        require(config.language == "ja" || config.language == "en", "language outside ja/en");
        require(config.pin_timeout_seconds >= 0 && config.idle_timeout_seconds >= 0,
                "a negative time-out");
    } catch (const mynacard::Error&) {
    }
    return 0;
}
