#pragma once

// Client side of the control socket (README.md "Control socket"), used by
// mynacard-sim and the unit tests.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/unique_fd.h"

namespace mynacard::virtual_reader {

class SimClient {
  public:
    // Connects; throws Error(reader_unavailable) when nothing listens at `path`.
    explicit SimClient(std::string path);

    // Sends one request line and returns the response object. Any "pin"
    // string in `request` and the encoded line are zeroised after sending.
    // Throws Error(transport) when the connection breaks.
    [[nodiscard]] nlohmann::json request(nlohmann::json& request);
    [[nodiscard]] nlohmann::json request(nlohmann::json&& request) {
        return this->request(request);
    }
    // Next line from the handler (trace --follow); nullopt at end of stream
    // or after `timeout_ms` (negative: wait forever).
    [[nodiscard]] std::optional<nlohmann::json> read_line(int timeout_ms = -1);

    [[nodiscard]] const std::string& path() const noexcept { return path_; }

  private:
    std::string path_;
    UniqueFd fd_;
    std::string buffer_;
};

}  // namespace mynacard::virtual_reader
