#pragma once

// The APDU trace of the virtual readers: a bounded ring of exchanges whose
// secret-carrying commands are stored redacted (never the PIN bytes).

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/bytes.h"

namespace mynacard::virtual_reader {

struct TraceEntry {
    std::uint64_t seq = 0;
    std::chrono::system_clock::time_point time;
    int reader = 0;
    std::string command;  // hex, or header hex + "<redacted N bytes>"
    bool redacted = false;
    std::optional<std::string> response;  // hex; nullopt when nothing came back
    double ms = 0;
    std::string source = "apdu";  // "apdu" or "pinpad"
    std::string fault;            // empty, or the fault that fired
};

// Hex of the command with its data field replaced by its length when
// `secret` is set. Only the header, Lc and Le bytes are ever copied.
[[nodiscard]] std::string trace_command_text(ByteView command, bool secret);

[[nodiscard]] nlohmann::json to_json(const TraceEntry& entry);

// Not thread-safe: the simulator's lock protects it.
class TraceRing {
  public:
    explicit TraceRing(std::size_t capacity) : capacity_(capacity) {}
    // Assigns the sequence number and returns it.
    std::uint64_t append(TraceEntry entry);
    // Entries after `after_seq`, optionally only one reader's.
    [[nodiscard]] std::vector<TraceEntry> since(std::uint64_t after_seq,
                                                std::optional<int> reader) const;
    void clear(std::optional<int> reader);
    [[nodiscard]] std::uint64_t last_seq() const noexcept { return next_seq_ - 1; }
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

  private:
    std::size_t capacity_;
    std::uint64_t next_seq_ = 1;
    std::deque<TraceEntry> entries_;
};

}  // namespace mynacard::virtual_reader
