#include "virtual/trace.h"

#include <algorithm>
#include <ctime>

namespace mynacard::virtual_reader {

std::string trace_command_text(ByteView command, bool secret) {
    if (!secret) return to_hex(command);
    // ISO/IEC 7816-4 §5.1: header, then Lc (1 byte, or 00 + 2 bytes), data, Le.
    std::size_t prefix = std::min<std::size_t>(4, command.size());
    std::size_t data_size = command.size() - prefix;
    if (command.size() >= 5 && command[4] != 0 && command.size() >= 5U + command[4]) {
        prefix = 5;
        data_size = command[4];
    } else if (command.size() >= 7 && command[4] == 0) {
        const std::size_t lc = be16(command, 5);
        if (command.size() >= 7 + lc) {
            prefix = 7;
            data_size = lc;
        }
    }
    std::string out = to_hex(command.first(prefix));
    out += "<redacted " + std::to_string(data_size) + " bytes>";
    out += to_hex(command.subspan(prefix + data_size));
    return out;
}

namespace {
std::string iso_time(std::chrono::system_clock::time_point t) {
    const auto seconds = std::chrono::system_clock::to_time_t(t);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(millis));
    return out;
}
}  // namespace

nlohmann::json to_json(const TraceEntry& e) {
    nlohmann::json j{{"seq", e.seq},       {"time", iso_time(e.time)},
                     {"reader", e.reader}, {"command", e.command},
                     {"ms", e.ms},         {"source", e.source}};
    j["response"] = e.response ? nlohmann::json(*e.response) : nlohmann::json(nullptr);
    if (e.redacted) j["redacted"] = true;
    if (!e.fault.empty()) j["fault"] = e.fault;
    return j;
}

std::uint64_t TraceRing::append(TraceEntry entry) {
    entry.seq = next_seq_++;
    entries_.push_back(std::move(entry));
    while (entries_.size() > capacity_) entries_.pop_front();
    return entries_.back().seq;
}

std::vector<TraceEntry> TraceRing::since(std::uint64_t after_seq, std::optional<int> reader) const {
    std::vector<TraceEntry> out;
    for (const auto& e : entries_) {
        if (e.seq <= after_seq) continue;
        if (reader && e.reader != *reader) continue;
        out.push_back(e);
    }
    return out;
}

void TraceRing::clear(std::optional<int> reader) {
    if (!reader) {
        entries_.clear();
        return;
    }
    std::erase_if(entries_, [&](const TraceEntry& e) { return e.reader == *reader; });
}

}  // namespace mynacard::virtual_reader
