#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace mynacard::quirks {

// What we know about a reader model beyond what PC/SC reports. Every field
// left empty means "believe the reader/driver".
struct Capabilities {
    std::optional<bool> extended_apdu;         // reader passes extended-length APDUs
    std::optional<std::size_t> max_apdu;       // bytes per command APDU the reader takes
    std::optional<bool> pin_pad_trustworthy;   // its FEATURE_VERIFY_PIN_DIRECT is a real keypad
    std::optional<unsigned> extra_timeout_ms;  // contactless: slow field set-up / FWT
    std::optional<bool> pcsc_usable;           // false: not a PC/SC reader on Linux at all
};

// One row: a reader model, what it overrides, and why (CCID's
// supported_readers table is the model: data with its reason).
struct Row {
    std::uint16_t vid;
    std::uint16_t pid;
    std::string_view name_pattern;  // substring of the PC/SC reader name
    std::string_view model;
    Capabilities caps;
    std::string_view reason;
};

[[nodiscard]] const std::vector<Row>& table();

// The merged capabilities of every row whose name pattern occurs in the
// PC/SC reader name (PC/SC does not expose USB ids; the name carries the
// product string the CCID driver read from the device).
[[nodiscard]] Capabilities for_reader(std::string_view reader_name);

}  // namespace mynacard::quirks
