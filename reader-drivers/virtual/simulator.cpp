#include "virtual/simulator.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "core/error.h"
#include "softcard/card.h"
#include "softcard/profile.h"
#include "virtual/control_server.h"
#include "virtual/log.h"
#include "virtual/pinpad.h"
#include "virtual/protocol.h"

namespace mynacard::virtual_reader {

// One physical (software) card. The object lives as long as the handler, so
// its PIN counters survive removal, re-insertion and moving between readers.
struct CardEntry {
    explicit CardEntry(softcard::Profile profile) : card(std::move(profile)) {}
    std::mutex mutex;  // softcard::Card is not thread-safe
    softcard::Card card;
    std::string directory;
    std::string name;
};

namespace {

using Clock = std::chrono::steady_clock;

// Secrets reported by `status` (softcard/card.h Card::tries_left keys).
constexpr std::array<const char*, 8> secret_names{"auth",   "sign",   "text",   "text_a",
                                                  "text_b", "face_a", "face_b", "face_birth"};

// card-facts.md §2.6: COMPUTE DIGITAL SIGNATURE is CLA 80 INS 2A.
[[nodiscard]] bool is_signature(ByteView command) {
    return command.size() >= 2 && command[0] == 0x80 && command[1] == 0x2A;
}

[[nodiscard]] std::uint16_t parse_sw(const std::string& text) {
    Bytes b = from_hex(text);
    if (b.size() != 2) throw Error(Errc::invalid_argument, "status word must be 4 hex digits");
    return be16(b, 0);
}

[[nodiscard]] std::string sw_hex(std::uint16_t sw) {
    const std::array<std::uint8_t, 2> b{static_cast<std::uint8_t>(sw >> 8),
                                        static_cast<std::uint8_t>(sw & 0xFF)};
    return to_hex(b);
}

[[nodiscard]] Bytes sw_bytes(std::uint16_t sw) {
    return {static_cast<std::uint8_t>(sw >> 8), static_cast<std::uint8_t>(sw & 0xFF)};
}

[[nodiscard]] int reader_arg(const nlohmann::json& request) {
    if (!request.contains("reader") || !request["reader"].is_number_integer())
        throw Error(Errc::invalid_argument, "missing integer field \"reader\"");
    return request["reader"].get<int>();
}

[[nodiscard]] long count_arg(const nlohmann::json& request, const char* key, long fallback) {
    if (!request.contains(key) || request[key].is_null()) return fallback;
    if (!request[key].is_number_integer() || request[key].get<long>() < 0)
        throw Error(Errc::invalid_argument,
                    std::string("\"") + key + "\" must be a non-negative integer");
    return request[key].get<long>();
}

void sleep_ms(double ms) {
    if (ms > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms));
}

}  // namespace

Simulator::Simulator(std::string socket_path)
    : socket_path_(std::move(socket_path)), trace_(trace_capacity) {}

Simulator::~Simulator() {
    stop_server();
}

void Simulator::start_server() {
    std::lock_guard lock(server_mutex_);
    if (server_) return;
    try {
        server_ = std::make_unique<ControlServer>(*this, socket_path_);
        log_info("control socket " + socket_path_);
    } catch (const std::exception& e) {
        log_error(std::string("control socket disabled: ") + e.what());
    }
}

void Simulator::stop_server() noexcept {
    std::unique_ptr<ControlServer> server;
    {
        std::lock_guard lock(server_mutex_);
        server = std::move(server_);
    }
    server.reset();  // joins the thread; must not hold mutex_ (the thread takes it)
}

Simulator::Reader* Simulator::by_lun(std::uint32_t lun) {
    for (auto& [index, reader] : readers_)
        if (reader.lun == lun) return &reader;
    return nullptr;
}

Simulator::Reader& Simulator::by_index(int index) {
    auto it = readers_.find(index);
    if (it == readers_.end())
        throw Error(Errc::not_found, "no virtual reader " + std::to_string(index) +
                                         " (readers come from pcscd's reader.conf)");
    return it->second;
}

Outcome Simulator::open_channel(std::uint32_t lun, const DeviceName& device, std::string& error) {
    std::lock_guard lock(mutex_);
    if (by_lun(lun) != nullptr) {
        error = "Lun already open";
        return Outcome::communication_error;
    }
    if (readers_.contains(device.index)) {
        error = "reader index " + std::to_string(device.index) + " is already served";
        return Outcome::communication_error;
    }
    Reader reader;
    reader.device = device;
    reader.lun = lun;
    readers_.emplace(device.index, std::move(reader));
    return Outcome::ok;
}

bool Simulator::close_channel(std::uint32_t lun) {
    std::lock_guard lock(mutex_);
    std::erase_if(readers_, [&](const auto& item) { return item.second.lun == lun; });
    return readers_.empty();
}

Outcome Simulator::presence(std::uint32_t lun) {
    std::lock_guard lock(mutex_);
    Reader* r = by_lun(lun);
    if (r == nullptr || r->faults.unplugged) return Outcome::no_such_reader;
    if (r->report_absent_once) {
        // Let pcscd's poll see the removal even if a card went back in since.
        r->report_absent_once = false;
        return Outcome::absent;
    }
    return r->card ? Outcome::present : Outcome::absent;
}

Outcome Simulator::power_up(std::uint32_t lun, Bytes& atr) {
    std::lock_guard lock(mutex_);
    Reader* r = by_lun(lun);
    if (r == nullptr || r->faults.unplugged) return Outcome::no_such_reader;
    if (!r->card) return Outcome::absent;
    std::lock_guard card_lock(r->card->mutex);
    r->card->card.reset();
    atr = r->card->card.atr();
    r->powered = true;
    return Outcome::ok;
}

Outcome Simulator::power_down(std::uint32_t lun) {
    std::lock_guard lock(mutex_);
    Reader* r = by_lun(lun);
    if (r == nullptr || r->faults.unplugged) return Outcome::no_such_reader;
    r->powered = false;
    return Outcome::ok;
}

std::optional<ReaderSnapshot> Simulator::snapshot(std::uint32_t lun) {
    std::lock_guard lock(mutex_);
    Reader* r = by_lun(lun);
    if (r == nullptr) return std::nullopt;
    ReaderSnapshot s;
    s.index = r->device.index;
    s.mode = r->device.mode;
    s.pinpad = r->device.pinpad;
    s.present = r->card != nullptr;
    s.powered = r->powered && s.present;
    if (s.powered) {
        std::lock_guard card_lock(r->card->mutex);
        s.atr = r->card->card.atr();
    }
    return s;
}

void Simulator::remove_card(Reader& reader) {
    if (reader.card) {
        reader.report_absent_once = true;
        // Out of the reader the card has no power: nothing stays verified.
        std::lock_guard card_lock(reader.card->mutex);
        reader.card->card.reset();
    }
    reader.card.reset();
    reader.powered = false;
}

void Simulator::replug(Reader& reader) {
    reader.faults.unplug_after.reset();
    if (!std::exchange(reader.faults.unplugged, false)) return;
    // A reader back on the bus holds an unpowered card. pcscd's next poll
    // must see the card as new even if it never polled during the outage
    // (it would go on sending APDUs to a card it believes powered).
    reader.powered = false;
    if (reader.card) reader.report_absent_once = true;
}

void Simulator::unplug(Reader& reader) {
    // The reader (and the card's supply) is gone; the card stays in it.
    reader.faults.unplug_after.reset();
    reader.faults.unplugged = true;
    reader.powered = false;
    if (reader.card) {
        std::lock_guard card_lock(reader.card->mutex);
        reader.card->card.reset();
    }
}

Outcome Simulator::transmit(std::uint32_t lun, ByteView command, Bytes& response) {
    return exchange(lun, command, softcard::command_carries_secret(command), "apdu", response);
}

Outcome Simulator::exchange(std::uint32_t lun, ByteView command, bool secret, const char* source,
                            Bytes& response) {
    const auto started = Clock::now();
    TraceEntry entry;
    entry.time = std::chrono::system_clock::now();
    entry.command = trace_command_text(command, secret);
    entry.redacted = secret;
    entry.source = source;

    std::shared_ptr<CardEntry> card;
    Latency latency;
    std::optional<std::uint16_t> forced_sw;
    std::optional<std::string> corrupt_mode;
    {
        std::lock_guard lock(mutex_);
        Reader* r = by_lun(lun);
        if (r == nullptr) return Outcome::no_such_reader;
        entry.reader = r->device.index;
        auto record_fault = [&](const char* name) {
            entry.fault = name;
            entry.ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
            r->stats.faults++;
            trace_.append(entry);
        };
        if (r->faults.unplugged) {
            // Traced, so a test can see which calls still tried the reader.
            record_fault("unplug");
            return Outcome::no_such_reader;
        }
        if (!r->card) return Outcome::absent;
        if (!r->powered) return Outcome::communication_error;
        Faults& f = r->faults;
        if (f.unplug_after) {
            if (*f.unplug_after == 0) {
                unplug(*r);
                record_fault("unplug");
                return Outcome::no_such_reader;
            }
            --*f.unplug_after;
        }
        if (f.reset_after) {
            if (*f.reset_after == 0) {
                // This APDU reaches a card that has just lost its state.
                f.reset_after.reset();
                std::lock_guard card_lock(r->card->mutex);
                r->card->card.reset();
                entry.fault = "reset";  // counted with the exchange below
            } else {
                --*f.reset_after;
            }
        }
        if (f.remove_after) {
            if (*f.remove_after == 0) {
                f.remove_after.reset();
                remove_card(*r);
                record_fault("remove");
                return Outcome::communication_error;
            }
            --*f.remove_after;
        }
        if (f.mute) {
            record_fault("mute");
            return Outcome::timeout;
        }
        if (f.sw && (!f.sw->ins || (command.size() >= 2 && command[1] == *f.sw->ins))) {
            if (f.sw->after > 0) {
                --f.sw->after;
            } else {
                forced_sw = f.sw->sw;
                if (f.sw->times > 0 && --f.sw->times == 0) f.sw.reset();
            }
        }
        if (f.corrupt) {
            if (f.corrupt->after > 0) {
                --f.corrupt->after;
            } else {
                corrupt_mode = f.corrupt->mode;
                f.corrupt.reset();
            }
        }
        card = r->card;
        latency = r->latency;
    }

    if (forced_sw) {
        response = sw_bytes(*forced_sw);
    } else {
        std::lock_guard card_lock(card->mutex);
        response = card->card.process(command);
    }
    if (corrupt_mode) {
        if (*corrupt_mode == "random") {
            std::random_device rd;
            std::mt19937 gen(rd());
            std::uniform_int_distribution<int> byte(0, 255);
            for (auto& b : response) b = static_cast<std::uint8_t>(byte(gen));
        } else {
            response.resize(std::min<std::size_t>(response.size(), 1));
        }
    }

    double delay = latency.per_apdu_ms + latency.per_byte_us *
                                             static_cast<double>(command.size() + response.size()) /
                                             1000.0;
    if (is_signature(command)) delay += latency.per_signature_ms;
    sleep_ms(delay);  // outside the lock: other readers keep running

    entry.response = to_hex(response);
    if (forced_sw) entry.fault = "sw";
    if (corrupt_mode) entry.fault = "corrupt";
    entry.ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    {
        std::lock_guard lock(mutex_);
        if (Reader* r = by_lun(lun)) {
            r->stats.apdus++;
            r->stats.command_bytes += command.size();
            r->stats.response_bytes += response.size();
            r->stats.ms += entry.ms;
            if (!entry.fault.empty()) r->stats.faults++;
        }
        trace_.append(std::move(entry));
    }
    return Outcome::ok;
}

Outcome Simulator::control(std::uint32_t lun, std::uint32_t code, ByteView input, Bytes& output) {
    bool has_pinpad = false;
    {
        std::lock_guard lock(mutex_);
        Reader* r = by_lun(lun);
        if (r == nullptr || r->faults.unplugged) return Outcome::no_such_reader;
        has_pinpad = r->device.pinpad;
    }
    output.clear();
    if (code == pinpad::ioctl_get_feature_request) {
        output = pinpad::feature_list(has_pinpad);
        return Outcome::ok;
    }
    if (!has_pinpad) return Outcome::not_supported;
    if (code == pinpad::feature_ioctl(pinpad::feature_ifd_pin_properties)) {
        output = pinpad::pin_properties();
        return Outcome::ok;
    }
    if (code == pinpad::feature_ioctl(pinpad::feature_get_tlv_properties)) {
        output = pinpad::tlv_properties({});
        return Outcome::ok;
    }
    if (code == pinpad::feature_ioctl(pinpad::feature_verify_pin_direct))
        return pinpad_verify(lun, input, false, output);
    if (code == pinpad::feature_ioctl(pinpad::feature_modify_pin_direct))
        return pinpad_verify(lun, input, true, output);
    return Outcome::not_supported;
}

Outcome Simulator::pinpad_verify(std::uint32_t lun, ByteView structure, bool modify,
                                 Bytes& output) {
    // Take what the person "typed" off the queue (SecureBytes: zeroised when
    // these locals go out of scope).
    std::optional<std::uint16_t> reader_sw;
    SecureBytes first, second;
    int index = 0;
    {
        std::lock_guard lock(mutex_);
        Reader* r = by_lun(lun);
        if (r == nullptr) return Outcome::no_such_reader;
        if (!r->card) return Outcome::absent;
        index = r->device.index;
        bool want_two = false;
        try {
            want_two = modify && pinpad::modify_wants_old_pin(structure);
        } catch (const Error&) {
            reader_sw = pinpad::sw_bad_block;
        }
        const std::size_t needed = want_two ? 2 : 1;
        for (std::size_t i = 0; i < needed && !reader_sw; ++i) {
            if (r->pinpad.empty()) {
                reader_sw = pinpad::sw_timeout;  // nobody typed anything
                break;
            }
            PinEntry e = std::move(r->pinpad.front());
            r->pinpad.pop_front();
            if (e.kind == PinEntry::Kind::cancel)
                reader_sw = pinpad::sw_cancelled;
            else if (e.kind == PinEntry::Kind::timeout)
                reader_sw = pinpad::sw_timeout;
            else
                (i == 0 ? first : second) = std::move(e.pin);
        }
    }

    pinpad::Built built;
    if (!reader_sw) {
        try {
            built = modify ? (second.empty() ? pinpad::build_modify(structure, {}, first)
                                             : pinpad::build_modify(structure, first, second))
                           : pinpad::build_verify(structure, first);
            if (built.reader_sw != 0) reader_sw = built.reader_sw;
        } catch (const Error&) {
            reader_sw = pinpad::sw_bad_block;
        }
    }
    if (reader_sw) {
        std::lock_guard lock(mutex_);
        TraceEntry e;
        e.time = std::chrono::system_clock::now();
        e.reader = index;
        e.command = modify ? "<pinpad modify>" : "<pinpad verify>";
        e.redacted = true;
        e.response = sw_hex(*reader_sw);
        e.source = "pinpad";
        trace_.append(std::move(e));
        output = sw_bytes(*reader_sw);
        return Outcome::ok;
    }
    Bytes response;
    Outcome out =
        exchange(lun, ByteView(built.apdu.data(), built.apdu.size()), true, "pinpad", response);
    secure_zero(built.apdu.data(), built.apdu.size());
    if (out != Outcome::ok) return out;
    output = std::move(response);
    return Outcome::ok;
}

std::vector<TraceEntry> Simulator::trace_since(std::uint64_t after_seq, std::optional<int> reader) {
    std::lock_guard lock(mutex_);
    return trace_.since(after_seq, reader);
}

// ---------------------------------------------------------------- control --

nlohmann::json Simulator::handle(nlohmann::json& request) {
    try {
        std::lock_guard lock(mutex_);
        nlohmann::json response = dispatch(request);
        response["ok"] = true;
        return response;
    } catch (const std::exception& e) {
        return {{"ok", false}, {"error", e.what()}};
    }
}

nlohmann::json Simulator::latency_json(const Latency& l) {
    return {{"per_apdu_ms", l.per_apdu_ms},
            {"per_byte_us", l.per_byte_us},
            {"per_signature_ms", l.per_signature_ms}};
}

nlohmann::json Simulator::faults_json(const Faults& f) {
    nlohmann::json j;
    j["remove_after"] = f.remove_after ? nlohmann::json(*f.remove_after) : nlohmann::json(nullptr);
    j["mute"] = f.mute;
    j["corrupt"] = f.corrupt
                       ? nlohmann::json{{"after", f.corrupt->after}, {"mode", f.corrupt->mode}}
                       : nlohmann::json(nullptr);
    if (f.sw) {
        nlohmann::json sw{{"sw", sw_hex(f.sw->sw)}, {"after", f.sw->after}, {"times", f.sw->times}};
        sw["ins"] =
            f.sw->ins ? nlohmann::json(to_hex(ByteView(&*f.sw->ins, 1))) : nlohmann::json(nullptr);
        j["sw"] = sw;
    } else {
        j["sw"] = nullptr;
    }
    j["reset_after"] = f.reset_after ? nlohmann::json(*f.reset_after) : nlohmann::json(nullptr);
    j["unplug_after"] = f.unplug_after ? nlohmann::json(*f.unplug_after) : nlohmann::json(nullptr);
    j["unplugged"] = f.unplugged;
    return j;
}

nlohmann::json Simulator::reader_json(const Reader& r) const {
    nlohmann::json j{{"index", r.device.index},
                     {"mode", to_string(r.device.mode)},
                     {"pinpad", r.device.pinpad},
                     {"card_present", r.card != nullptr},
                     {"powered", r.powered && r.card != nullptr}};
    j["profile"] = r.card ? nlohmann::json(r.card->name) : nlohmann::json(nullptr);
    j["profile_dir"] = r.card ? nlohmann::json(r.card->directory) : nlohmann::json(nullptr);
    return j;
}

nlohmann::json Simulator::status_json(const Reader& r) const {
    nlohmann::json j = reader_json(r);
    if (r.card) {
        nlohmann::json tries = nlohmann::json::object();
        nlohmann::json verified = nlohmann::json::object();
        std::lock_guard card_lock(r.card->mutex);
        for (const char* name : secret_names) {
            try {
                int left = r.card->card.tries_left(name);
                if (left >= 0) tries[name] = left;
                verified[name] = r.card->card.verified(name);
            } catch (const std::exception&) {
                // secret absent from this profile
            }
        }
        j["tries_left"] = tries;
        j["verified"] = verified;
        if (r.powered) j["atr"] = to_hex(r.card->card.atr());
    }
    j["faults"] = faults_json(r.faults);
    j["latency"] = latency_json(r.latency);
    j["pinpad_queued"] = r.pinpad.size();
    return j;
}

nlohmann::json Simulator::insert(const nlohmann::json& request) {
    Reader& reader = by_index(reader_arg(request));
    if (!request.contains("profile") || !request["profile"].is_string())
        throw Error(Errc::invalid_argument,
                    "missing string field \"profile\" (a profile directory)");
    const bool fresh = request.value("fresh", false);
    std::error_code ec;
    const auto dir = std::filesystem::canonical(request["profile"].get<std::string>(), ec);
    if (ec || !std::filesystem::is_directory(dir))
        throw Error(Errc::not_found,
                    "profile directory not found: " + request["profile"].get<std::string>());
    const std::string key = dir.string();

    // A card is in at most one reader.
    for (auto& [index, other] : readers_) {
        if (other.card && other.card->directory == key && index != reader.device.index)
            throw Error(Errc::invalid_argument, "that card is in reader " + std::to_string(index) +
                                                    "; remove it there first");
    }
    // A swap puts another card in without pcscd seeing a removal: what a
    // card exchanged between two of pcscd's polls looks like to the host.
    // Only a reset (by any process) then shows the host that something
    // happened; the card identity check after a reset must catch it.
    const bool swap = request.value("swap", false);
    if (reader.card && reader.card->directory != key && !swap)
        throw Error(Errc::invalid_argument, "reader " + std::to_string(reader.device.index) +
                                                " holds another card (" + reader.card->name +
                                                "); remove it first");

    auto it = cards_.find(key);
    if (fresh || it == cards_.end()) {
        softcard::Profile profile = softcard::load_profile(dir);
        std::string name = profile.name.empty() ? dir.filename().string() : profile.name;
        auto entry = std::make_shared<CardEntry>(std::move(profile));
        entry->directory = key;
        entry->name = std::move(name);
        cards_[key] = entry;
        it = cards_.find(key);
    }
    if (swap && reader.card) {
        const bool powered = reader.powered;
        reader.card = it->second;
        {
            const std::lock_guard card_lock(reader.card->mutex);
            reader.card->card.reset();
        }
        reader.powered = powered;
        return {{"reader", reader_json(reader)}};
    }
    if (reader.card) remove_card(reader);  // re-insertion of the same card
    reader.card = it->second;
    reader.powered = false;  // pcscd powers it up when it polls the insertion
    return {{"reader", reader_json(reader)}};
}

nlohmann::json Simulator::fault(Reader& r, const nlohmann::json& request) {
    const std::string kind = request.value("kind", "");
    Faults& f = r.faults;
    if (kind == "clear") {
        replug(r);
        f = Faults{};
    } else if (kind == "remove-after") {
        f.remove_after = count_arg(request, "count", 0);
    } else if (kind == "reset") {
        f.reset_after = count_arg(request, "after", 0);
    } else if (kind == "unplug") {
        // Without "after": now, as a cable pulled between two operations.
        if (request.contains("after") && !request["after"].is_null())
            f.unplug_after = count_arg(request, "after", 0);
        else
            unplug(r);
    } else if (kind == "replug") {
        // Back on the bus: the card (if any) is unpowered and pcscd's next
        // poll powers it as a newly seen card.
        replug(r);
    } else if (kind == "mute") {
        f.mute = request.value("enable", true);
    } else if (kind == "corrupt") {
        Faults::Corrupt c;
        c.after = count_arg(request, "after", 0);
        c.mode = request.value("mode", "truncate");
        if (c.mode != "truncate" && c.mode != "random")
            throw Error(Errc::invalid_argument, "corrupt mode must be truncate or random");
        f.corrupt = c;
    } else if (kind == "sw") {
        Faults::StatusWord s;
        s.sw = parse_sw(request.value("sw", ""));
        s.after = count_arg(request, "after", 0);
        s.times = count_arg(request, "times", 1);
        if (request.contains("ins") && !request["ins"].is_null()) {
            Bytes ins = from_hex(request["ins"].get<std::string>());
            if (ins.size() != 1) throw Error(Errc::invalid_argument, "ins must be 2 hex digits");
            s.ins = ins[0];
        }
        f.sw = s;
    } else {
        throw Error(Errc::invalid_argument, "unknown fault kind \"" + kind +
                                                "\" (remove-after, mute, corrupt, sw, reset, "
                                                "unplug, replug, clear)");
    }
    return {{"faults", faults_json(f)}};
}

nlohmann::json Simulator::trace(const nlohmann::json& request) {
    std::optional<int> reader;
    if (request.contains("reader") && !request["reader"].is_null())
        reader = by_index(reader_arg(request)).device.index;
    if (request.value("clear", false)) {
        trace_.clear(reader);
        for (auto& [index, r] : readers_)
            if (!reader || index == *reader) r.stats = ReaderStats{};
        return {{"cleared", true}};
    }
    if (request.value("stats", false)) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [index, r] : readers_) {
            if (reader && index != *reader) continue;
            list.push_back({{"reader", index},
                            {"apdus", r.stats.apdus},
                            {"command_bytes", r.stats.command_bytes},
                            {"response_bytes", r.stats.response_bytes},
                            {"bytes", r.stats.command_bytes + r.stats.response_bytes},
                            {"faults", r.stats.faults},
                            {"ms", r.stats.ms}});
        }
        return {{"stats", list}};
    }
    const auto since = static_cast<std::uint64_t>(count_arg(request, "since", 0));
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : trace_.since(since, reader)) entries.push_back(to_json(e));
    return {{"entries", entries}, {"last_seq", trace_.last_seq()}};
}

nlohmann::json Simulator::dispatch(nlohmann::json& request) {
    if (!request.is_object()) throw Error(Errc::invalid_argument, "request must be a JSON object");
    const std::string cmd = request.value("cmd", "");
    if (cmd == "ping") {
        return {{"version", "0.1.0"}, {"readers", readers_.size()}, {"pid", ::getpid()}};
    }
    if (cmd == "list") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [index, r] : readers_) list.push_back(reader_json(r));
        return {{"readers", list}};
    }
    if (cmd == "insert") return insert(request);
    if (cmd == "remove") {
        Reader& r = by_index(reader_arg(request));
        const bool had = r.card != nullptr;
        remove_card(r);
        return {{"removed", had}, {"reader", reader_json(r)}};
    }
    if (cmd == "status") return {{"reader", status_json(by_index(reader_arg(request)))}};
    if (cmd == "latency") {
        Reader& r = by_index(reader_arg(request));
        if (request.value("clear", false)) r.latency = Latency{};
        auto number = [&](const char* key, double& field) {
            if (!request.contains(key) || request[key].is_null()) return;
            if (!request[key].is_number() || request[key].get<double>() < 0)
                throw Error(Errc::invalid_argument,
                            std::string("\"") + key + "\" must be a non-negative number");
            field = request[key].get<double>();
        };
        number("per_apdu_ms", r.latency.per_apdu_ms);
        number("per_byte_us", r.latency.per_byte_us);
        number("per_signature_ms", r.latency.per_signature_ms);
        return {{"latency", latency_json(r.latency)}};
    }
    if (cmd == "fault") return fault(by_index(reader_arg(request)), request);
    if (cmd == "trace") return trace(request);
    if (cmd == "pinpad") {
        Reader& r = by_index(reader_arg(request));
        if (!r.device.pinpad)
            throw Error(Errc::unsupported,
                        "reader " + std::to_string(r.device.index) + " has no PIN pad");
        const std::string action = request.value("action", "");
        if (action == "type") {
            if (!request.contains("pin") || !request["pin"].is_string())
                throw Error(Errc::invalid_argument, "missing string field \"pin\"");
            auto& pin = request["pin"].get_ref<std::string&>();
            PinEntry e;
            e.pin.assign(pin.begin(), pin.end());
            secure_zero(pin.data(), pin.size());
            r.pinpad.push_back(std::move(e));
        } else if (action == "cancel") {
            r.pinpad.push_back({PinEntry::Kind::cancel, {}});
        } else if (action == "timeout") {
            r.pinpad.push_back({PinEntry::Kind::timeout, {}});
        } else if (action == "clear") {
            r.pinpad.clear();
        } else {
            throw Error(Errc::invalid_argument,
                        "pinpad action must be type, cancel, timeout or clear");
        }
        return {{"queued", r.pinpad.size()}};
    }
    throw Error(Errc::invalid_argument, "unknown cmd \"" + cmd + "\"");
}

}  // namespace mynacard::virtual_reader
