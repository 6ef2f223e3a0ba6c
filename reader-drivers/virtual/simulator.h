#pragma once

// State of all virtual readers served by one loaded handler: readers, the
// software cards (one softcard::Card per profile directory for the life of
// the handler), faults, latency, PIN-pad queue, trace and statistics. One
// mutex protects it; the IFDH entry points and the control thread share it.
// Card processing and latency sleeps run outside that mutex.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "virtual/device_name.h"
#include "virtual/trace.h"

namespace mynacard::virtual_reader {

class ControlServer;
struct CardEntry;

// What an IFDH call should report; ifd_handler.cpp maps it to IFD_* codes.
enum class Outcome {
    ok,
    present,
    absent,
    no_such_reader,
    communication_error,  // card vanished mid-APDU, or malformed input
    timeout,              // mute card
    not_supported,
};

struct Latency {
    double per_apdu_ms = 0;
    double per_byte_us = 0;
    double per_signature_ms = 0;  // CLA 80 INS 2A (card-facts.md §2.6 COMPUTE DIGITAL SIGNATURE)
};

struct Faults {
    std::optional<long> remove_after;  // APDUs still answered before the card disappears
    bool mute = false;
    struct Corrupt {
        long after = 0;
        std::string mode = "truncate";  // or "random"
    };
    std::optional<Corrupt> corrupt;
    struct StatusWord {
        std::uint16_t sw = 0;
        long after = 0;
        std::optional<std::uint8_t> ins;
        long times = 1;  // 0: every matching APDU from then on
    };
    std::optional<StatusWord> sw;
    // APDUs still answered before the card loses its state (selected AP,
    // verified PINs) as after a power glitch; pcscd sees no event. One-shot.
    std::optional<long> reset_after;
    // APDUs still answered before the reader vanishes from the bus: every
    // IFDH call then answers IFD_NO_SUCH_DEVICE until `replug`.
    std::optional<long> unplug_after;
    bool unplugged = false;
};

struct ReaderStats {
    std::uint64_t apdus = 0;
    std::uint64_t command_bytes = 0;
    std::uint64_t response_bytes = 0;
    std::uint64_t faults = 0;
    double ms = 0;
};

// What IFDHGetCapabilities needs about a reader.
struct ReaderSnapshot {
    int index = 0;
    ReaderMode mode = ReaderMode::contact;
    bool pinpad = false;
    bool present = false;
    bool powered = false;
    Bytes atr;
};

class Simulator {
  public:
    explicit Simulator(std::string socket_path);
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    // Starts the control thread (idempotent); logs and continues without it
    // when the socket cannot be created.
    void start_server();
    void stop_server() noexcept;
    [[nodiscard]] const std::string& socket_path() const noexcept { return socket_path_; }

    // IFDH side. `lun` is pcscd's Lun; each maps to one reader index.
    [[nodiscard]] Outcome open_channel(std::uint32_t lun, const DeviceName& device,
                                       std::string& error);
    // Returns true when no channel remains open.
    bool close_channel(std::uint32_t lun);
    [[nodiscard]] Outcome presence(std::uint32_t lun);
    [[nodiscard]] Outcome power_up(std::uint32_t lun, Bytes& atr);
    [[nodiscard]] Outcome power_down(std::uint32_t lun);
    [[nodiscard]] Outcome transmit(std::uint32_t lun, ByteView command, Bytes& response);
    [[nodiscard]] Outcome control(std::uint32_t lun, std::uint32_t code, ByteView input,
                                  Bytes& output);
    [[nodiscard]] std::optional<ReaderSnapshot> snapshot(std::uint32_t lun);

    // Control side: one request object in, one response object out. Never
    // throws; errors become {"ok":false,"error":...}. A typed PIN in the
    // request is zeroised in place once copied.
    [[nodiscard]] nlohmann::json handle(nlohmann::json& request);
    // For `trace --follow`.
    [[nodiscard]] std::vector<TraceEntry> trace_since(std::uint64_t after_seq,
                                                      std::optional<int> reader);

  private:
    struct PinEntry {
        enum class Kind { typed, cancel, timeout } kind = Kind::typed;
        SecureBytes pin;
    };
    struct Reader {
        DeviceName device;
        std::uint32_t lun = 0;
        std::shared_ptr<CardEntry> card;
        bool powered = false;
        bool report_absent_once = false;  // a removal pcscd has not polled yet
        Latency latency;
        Faults faults;
        std::deque<PinEntry> pinpad;
        ReaderStats stats;
    };

    Reader* by_lun(std::uint32_t lun);
    Reader& by_index(int index);  // throws Error(not_found)
    Outcome exchange(std::uint32_t lun, ByteView command, bool secret, const char* source,
                     Bytes& response);
    Outcome pinpad_verify(std::uint32_t lun, ByteView structure, bool modify, Bytes& output);
    void remove_card(Reader& reader);
    void unplug(Reader& reader);
    void replug(Reader& reader);

    nlohmann::json dispatch(nlohmann::json& request);  // lock held
    nlohmann::json reader_json(const Reader& reader) const;
    nlohmann::json status_json(const Reader& reader) const;
    static nlohmann::json faults_json(const Faults& faults);
    static nlohmann::json latency_json(const Latency& latency);
    nlohmann::json insert(const nlohmann::json& request);
    nlohmann::json fault(Reader& reader, const nlohmann::json& request);
    nlohmann::json trace(const nlohmann::json& request);

    std::string socket_path_;
    std::mutex mutex_;
    std::map<int, Reader> readers_;
    std::map<std::string, std::shared_ptr<CardEntry>> cards_;  // by canonical profile path
    TraceRing trace_;
    std::unique_ptr<ControlServer> server_;
    std::mutex server_mutex_;
};

}  // namespace mynacard::virtual_reader
