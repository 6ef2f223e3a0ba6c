#pragma once

// The clinic front desk's configuration (`mynacard-helper --front-desk
// --config desk.json`): a JSON file, every key documented in
// docs/front-desk.md ("Configuration"). Loaded and checked here so that a
// mistake is reported with its key before the desk opens.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "qualification/labels.h"

namespace mynacard::qualification {

struct DeskConfig {
    std::string institution_code;  // 医療機関コード, 10 digits
    // Backend (b): the reference service, for demos and training.
    struct Reference {
        std::string url;           // https://host:port
        std::filesystem::path ca;  // the service's certificate (server.pem)
    };
    // Backend (a): the qualification terminal's folders (req, res, face).
    struct Terminal {
        std::filesystem::path root;
    };
    std::optional<Reference> reference;
    std::optional<Terminal> terminal;
    // Face results; default terminal root/face; empty when no terminal.
    std::filesystem::path face_dir;
    // Where each confirmed result goes for the clinic's system.
    std::filesystem::path export_dir;
    // The export queue and the face journal; default
    // $XDG_STATE_HOME/mynacard/front-desk.
    std::filesystem::path state_dir;
    Language reception_language = Language::ja;
    Language patient_language = Language::ja;  // the patient may switch it
    bool large_text = false;
    std::string reader;  // empty = the first reader with a card
    struct Timeouts {
        std::chrono::seconds idle{90};     // an untouched screen is cleared
        std::chrono::seconds pin{60};      // the patient's PIN entry
        std::chrono::seconds check{30};    // the answer of the backend
        std::chrono::seconds result{120};  // a result left on screen
    } timeouts;

    // The files of state_dir (docs/front-desk.md, "Exports"): the export
    // queue (personal data until written) and the face journal (names and
    // hashes only).
    [[nodiscard]] std::filesystem::path export_queue_file() const {
        return state_dir / "export-queue.sqlite";
    }
    [[nodiscard]] std::filesystem::path face_journal_file() const {
        return state_dir / "face-journal.sqlite";
    }
};

// The bounds of each time-out, in seconds: long enough to be usable, short
// enough that a patient's data does not stay on screen (decision 11).
struct TimeoutBounds {
    std::chrono::seconds min;
    std::chrono::seconds max;
};
constexpr TimeoutBounds kIdleBounds{std::chrono::seconds(10), std::chrono::seconds(3600)};
constexpr TimeoutBounds kPinBounds{std::chrono::seconds(10), std::chrono::seconds(300)};
constexpr TimeoutBounds kCheckBounds{std::chrono::seconds(5), std::chrono::seconds(600)};
constexpr TimeoutBounds kResultBounds{std::chrono::seconds(10), std::chrono::seconds(3600)};

// The largest configuration file read.
constexpr std::size_t kMaxDeskConfigSize = 64 * 1024;

// Reads and checks the file: JSON, unknown keys refused (a misspelt key is
// not silently a default), at least one of "reference" and "terminal", the
// institution code 10 digits, the time-outs within their bounds, every path
// absolute. Throws Error(not_found) when the file is missing, Error(io) when
// it cannot be read, Error(invalid_argument) naming the key otherwise.
[[nodiscard]] DeskConfig load_desk_config(const std::filesystem::path& json_file);

// The checks of load_desk_config on the file's text (what it calls after
// reading): the same refusals, Error(invalid_argument), the message naming
// "desk configuration" instead of the file. Also the fuzz target's entry
// (tests/fuzz/targets/desk_config.cpp).
[[nodiscard]] DeskConfig parse_desk_config(std::string_view json_text);

}  // namespace mynacard::qualification
