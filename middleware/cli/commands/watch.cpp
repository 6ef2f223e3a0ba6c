// watch: card and reader events as they happen, across pcscd restarts.
#include <chrono>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands/command.h"
#include "cli/exit_codes.h"
#include "cli/stop_signals.h"
#include "session/pcsc_source.h"

namespace mynacard::cli {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// How long one look waits for pcscd before the stop conditions are checked
// again, and how long to wait for pcscd to come back before trying again.
constexpr auto look = 500ms;
constexpr auto retry = 500ms;

struct Seen {
    bool present = false;
    std::uint32_t events = 0;  // pcsc-lite's per-reader event counter
};
using Snapshot = std::map<std::string, Seen>;

Snapshot snapshot(session::CardSource& source) {
    Snapshot m;
    for (const auto& r : source.readers()) m[r.name] = Seen{r.present, r.event_count};
    return m;
}

struct WatchOptions {
    int events = 0;   // stop after this many events (0: no limit)
    int seconds = 0;  // stop after this many seconds (0: no limit)
};

int watch(Context& c, const WatchOptions& o) {
    StopSignals stop;
    int events = 0;
    const auto start = std::chrono::steady_clock::now();
    auto emit = [&](const char* kind, std::optional<Msg> m, const std::string& reader) {
        if (c.out.json())
            c.out.line({{"event", kind}, {"reader", reader}});
        else if (m)
            c.out.human() << format(*m, {reader}) << std::endl;
        else
            c.out.human() << kind << std::endl;
        ++events;
    };
    auto done = [&] {
        return stop.arrived() || (o.events > 0 && events >= o.events) ||
               (o.seconds > 0 &&
                std::chrono::steady_clock::now() - start > std::chrono::seconds(o.seconds));
    };
    // Readers and their events only, no card: the source itself, no session.
    const auto source = session::pcsc_source();
    Snapshot known = snapshot(*source);
    if (c.out.json()) c.out.line({{"event", "ready"}, {"readers", known.size()}});
    (void)source->wait_for_change(0ms);
    bool service_up = true;
    while (!done()) {
        Snapshot now;
        try {
            if (!service_up) {
                // pcscd went away: a new context once it is back (decision 8).
                (void)source->wait_for_change(0ms);
                service_up = true;
                emit("service_restored", std::nullopt, "");
            } else if (!source->wait_for_change(look)) {
                continue;
            }
            now = snapshot(*source);
        } catch (const Error& e) {
            if (e.code() != Errc::service_stopped) throw;
            if (service_up) emit("service_stopped", std::nullopt, "");
            service_up = false;
            source->restart();
            std::this_thread::sleep_for(retry);
            continue;
        }
        for (const auto& [name, seen] : now) {
            auto it = known.find(name);
            if (it == known.end()) {
                emit("reader_added", Msg::watch_reader_added, name);
                if (seen.present) emit("inserted", Msg::watch_inserted, name);
                continue;
            }
            // A removal and re-insertion between two looks shows only in the
            // event counter: report both.
            const bool swapped =
                seen.present && it->second.present && seen.events != it->second.events;
            if (it->second.present && (!seen.present || swapped))
                emit("removed", Msg::watch_removed, name);
            if (seen.present && (!it->second.present || swapped))
                emit("inserted", Msg::watch_inserted, name);
        }
        for (const auto& [name, seen] : known)
            if (!now.count(name)) emit("reader_removed", Msg::watch_reader_removed, name);
        known = std::move(now);
    }
    return exit_ok;
}

}  // namespace

void add_watch(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<WatchOptions>();
    auto* w = app.add_subcommand("watch", "print card insert and remove events");
    w->add_option("--events", o->events, "stop after this many events");
    w->add_option("--seconds", o->seconds, "stop after this many seconds");
    commands.add(w, [o](Context& c) { return watch(c, *o); });
}

}  // namespace mynacard::cli
