// mynacard-sim: creates test PKIs and card profiles, and drives the virtual
// readers of a running pcscd through the handler's control socket.
// Exit codes: 0 success, 1 error (reported by the handler or local), 2 no
// virtual reader answers at the socket.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "core/error.h"
#include "softcard/profile.h"
#include "virtual/protocol.h"
#include "virtual/sim_client.h"

namespace {

using mynacard::Errc;
using mynacard::Error;
using mynacard::virtual_reader::SimClient;
using nlohmann::json;

constexpr int exit_error = 1;
constexpr int exit_no_handler = 2;

struct Options {
    std::string socket = mynacard::virtual_reader::socket_path_from_environment();
    bool json_output = false;
    int reader = -1;
    // insert
    std::string profile_dir;
    bool fresh = false;
    bool swap = false;
    // latency
    std::optional<double> per_apdu_ms, per_byte_us, per_signature_ms;
    bool clear = false;
    // fault
    long count = 0;
    std::optional<long> after;
    std::string corrupt_mode = "truncate";
    std::string sw;
    std::optional<std::string> ins;
    long times = 1;
    // trace
    bool follow = false, stats = false;
    std::optional<long> since;
    // pinpad
    std::string pin;
    // pki / profile
    std::string out_dir, pki_dir, variant = "default", name;
};

std::string opt_text(const json& j) {
    return j.is_null() ? "-" : (j.is_string() ? j.get<std::string>() : j.dump());
}

void print_reader_line(const json& r) {
    std::printf("%-6d %-12s %-6s %-5s %s\n", r.value("index", 0), r.value("mode", "").c_str(),
                r.value("pinpad", false) ? "yes" : "no",
                r.value("card_present", false) ? "yes" : "no", opt_text(r["profile"]).c_str());
}

void print_human(const std::string& command, const json& response) {
    if (command == "list") {
        std::printf("%-6s %-12s %-6s %-5s %s\n", "READER", "MODE", "PINPAD", "CARD", "PROFILE");
        for (const auto& r : response["readers"]) print_reader_line(r);
    } else if (command == "insert") {
        const auto& r = response["reader"];
        std::printf("reader %d: inserted %s (%s)\n", r.value("index", 0),
                    opt_text(r["profile"]).c_str(), opt_text(r["profile_dir"]).c_str());
    } else if (command == "remove") {
        const auto& r = response["reader"];
        std::printf("reader %d: %s\n", r.value("index", 0),
                    response.value("removed", false) ? "card removed" : "was already empty");
    } else if (command == "status") {
        const auto& r = response["reader"];
        std::printf("reader %d (%s%s)\n", r.value("index", 0), r.value("mode", "").c_str(),
                    r.value("pinpad", false) ? ", PIN pad" : "");
        if (r.value("card_present", false)) {
            std::printf("  card:     %s (%s)%s\n", opt_text(r["profile"]).c_str(),
                        opt_text(r["profile_dir"]).c_str(),
                        r.value("powered", false) ? ", powered" : "");
            if (r.contains("tries_left")) {
                std::printf("  tries left:");
                for (const auto& [k, v] : r["tries_left"].items())
                    std::printf(" %s=%s", k.c_str(), v.dump().c_str());
                std::printf("\n");
            }
            if (r.contains("verified")) {
                std::printf("  verified:");
                for (const auto& [k, v] : r["verified"].items())
                    if (v.is_boolean() && v.get<bool>()) std::printf(" %s", k.c_str());
                std::printf("\n");
            }
        } else {
            std::printf("  card:     none\n");
        }
        std::printf("  latency:  %s\n", r["latency"].dump().c_str());
        std::printf("  faults:   %s\n", r["faults"].dump().c_str());
        if (r.value("pinpad", false))
            std::printf("  PIN pad:  %zu queued\n", r.value("pinpad_queued", std::size_t{0}));
    } else if (command == "latency") {
        std::printf("latency: %s\n", response["latency"].dump().c_str());
    } else if (command == "fault") {
        std::printf("faults: %s\n", response["faults"].dump().c_str());
    } else if (command == "pinpad") {
        std::printf("PIN pad: %zu queued\n", response.value("queued", std::size_t{0}));
    } else if (command == "ping") {
        std::printf("virtual reader handler %s answers (pcscd pid %d, %zu readers)\n",
                    response.value("version", "").c_str(), response.value("pid", 0),
                    response.value("readers", std::size_t{0}));
    } else {
        std::printf("ok\n");
    }
}

int report_error(const std::string& message) {
    std::fprintf(stderr, "mynacard-sim: %s\n", message.c_str());
    return exit_error;
}

// One request/response exchange with the handler.
int call(const Options& o, const std::string& command, json request) {
    try {
        SimClient client(o.socket);
        json response = client.request(request);
        if (!response.value("ok", false))
            return report_error(response.value("error", "request failed"));
        if (o.json_output)
            std::cout << response.dump() << std::endl;
        else
            print_human(command, response);
        return 0;
    } catch (const Error& e) {
        if (e.code() == Errc::reader_unavailable) {
            std::fprintf(
                stderr,
                "mynacard-sim: %s\nmynacard-sim: is pcscd running with libifd-mynacard-virtual.so "
                "(scripts/virtual-pcscd start)? Use --socket or $%s for another socket.\n",
                e.what(), mynacard::virtual_reader::socket_env);
            return exit_no_handler;
        }
        return report_error(e.what());
    } catch (const std::exception& e) {
        return report_error(e.what());
    }
}

int trace(const Options& o) {
    json request{{"cmd", "trace"}};
    if (o.reader >= 0) request["reader"] = o.reader;
    if (o.clear) request["clear"] = true;
    if (o.stats) request["stats"] = true;
    if (o.follow) request["follow"] = true;
    if (o.since) request["since"] = *o.since;
    if (o.clear || o.stats) {
        if (o.stats && !o.json_output) {
            try {
                SimClient client(o.socket);
                json response = client.request(request);
                if (!response.value("ok", false))
                    return report_error(response.value("error", "request failed"));
                std::printf("%-6s %8s %12s %12s %7s %10s\n", "READER", "APDUS", "CMD_BYTES",
                            "RESP_BYTES", "FAULTS", "MS");
                for (const auto& s : response["stats"])
                    std::printf("%-6d %8llu %12llu %12llu %7llu %10.3f\n", s.value("reader", 0),
                                s.value("apdus", 0ULL), s.value("command_bytes", 0ULL),
                                s.value("response_bytes", 0ULL), s.value("faults", 0ULL),
                                s.value("ms", 0.0));
                return 0;
            } catch (const Error& e) {
                if (e.code() == Errc::reader_unavailable) return call(o, "trace", request);
                return report_error(e.what());
            }
        }
        return call(o, "trace", request);
    }
    // Entries: always JSON lines, one exchange per line.
    try {
        SimClient client(o.socket);
        json response = client.request(request);
        if (!response.value("ok", false))
            return report_error(response.value("error", "request failed"));
        for (const auto& e : response["entries"]) std::cout << e.dump() << '\n';
        std::cout.flush();
        if (!o.follow) return 0;
        while (auto line = client.read_line()) std::cout << line->dump() << std::endl;
        return 0;
    } catch (const Error& e) {
        if (e.code() == Errc::reader_unavailable)
            return call(o, "trace", request);  // prints the hint
        return report_error(e.what());
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app{
        "mynacard-sim: control the mynacard virtual readers inside pcscd, "
        "and create test PKIs and card profiles"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "mynacard-sim " MYNACARD_VERSION);
    app.fallthrough();
    app.add_option("--socket", o.socket,
                   "control socket of the handler (default: $MYNACARD_SIM_SOCKET or " +
                       std::string(mynacard::virtual_reader::default_socket) + ")");
    app.add_flag("--json", o.json_output, "machine-readable output (one JSON object)");

    auto* pki = app.add_subcommand("pki", "test PKI");
    pki->require_subcommand(1);
    auto* pki_create = pki->add_subcommand("create", "create a test PKI (roots and AP issuer key)");
    pki_create->add_option("--out", o.out_dir, "output directory")->required();

    auto* profile = app.add_subcommand("profile", "card profiles");
    profile->require_subcommand(1);
    auto* profile_create =
        profile->add_subcommand("create", "create a card profile signed by a test PKI");
    profile_create->add_option("--pki", o.pki_dir, "PKI directory (from `pki create`)")->required();
    profile_create->add_option("--out", o.out_dir, "output directory")->required();
    profile_create->add_option("--variant", o.variant, "card variant")
        ->check(CLI::IsMember({"default", "minor", "sign-blocked", "expired", "contactless"}));
    profile_create->add_option("--name", o.name, "profile name (default: the variant)");

    auto* ping = app.add_subcommand("ping", "check that a virtual reader handler answers");
    auto* list = app.add_subcommand("list", "list the virtual readers");

    auto* insert = app.add_subcommand("insert", "insert the card of a profile directory");
    insert->add_option("--reader", o.reader, "reader index")->required();
    insert->add_option("profile", o.profile_dir, "profile directory")->required();
    insert->add_flag("--fresh", o.fresh,
                     "reload the card from disk (PIN counters back to the profile's)");
    insert->add_flag("--swap", o.swap,
                     "replace the card in the reader without pcscd seeing a removal (a card "
                     "exchanged between two polls); a reset shows it");

    auto* remove = app.add_subcommand("remove", "remove the card from a reader");
    remove->add_option("--reader", o.reader, "reader index")->required();

    auto* status = app.add_subcommand("status", "card, tries left, faults and latency of a reader");
    status->add_option("--reader", o.reader, "reader index")->required();

    auto* latency = app.add_subcommand("latency", "set the simulated latency of a reader");
    latency->add_option("--reader", o.reader, "reader index")->required();
    latency->add_option("--per-apdu-ms", o.per_apdu_ms, "delay added to every APDU (ms)");
    latency->add_option("--per-byte-us", o.per_byte_us, "delay per command+response byte (µs)");
    latency->add_option("--per-signature-ms", o.per_signature_ms,
                        "extra delay of COMPUTE DIGITAL SIGNATURE (80 2A)");
    latency->add_flag("--clear", o.clear, "remove all latency");

    auto* fault = app.add_subcommand("fault", "inject a fault on a reader");
    fault->add_option("--reader", o.reader, "reader index")->required();
    fault->require_subcommand(1);
    auto* f_remove =
        fault->add_subcommand("remove-after", "the card disappears after COUNT more APDUs");
    f_remove->add_option("count", o.count, "APDUs still answered")
        ->required()
        ->check(CLI::NonNegativeNumber);
    auto* f_mute = fault->add_subcommand("mute", "card present but never answers");
    auto* f_corrupt = fault->add_subcommand("corrupt", "garble the next response");
    f_corrupt->add_option("--after", o.after, "APDUs answered normally first")
        ->check(CLI::NonNegativeNumber);
    f_corrupt->add_option("--mode", o.corrupt_mode, "truncate (1 byte) or random bytes")
        ->check(CLI::IsMember({"truncate", "random"}));
    auto* f_sw = fault->add_subcommand("sw", "answer a status word instead of processing");
    f_sw->add_option("sw", o.sw, "status word, 4 hex digits")->required();
    f_sw->add_option("--after", o.after, "matching APDUs processed normally first")
        ->check(CLI::NonNegativeNumber);
    f_sw->add_option("--ins", o.ins, "only APDUs with this INS (2 hex digits)");
    f_sw->add_option("--times", o.times, "how many APDUs get the SW (0: all from then on)")
        ->check(CLI::NonNegativeNumber);
    auto* f_reset = fault->add_subcommand(
        "reset", "the card loses its state (AP, verified PINs) as after a power glitch");
    f_reset->add_option("--after", o.after, "APDUs answered normally first")
        ->check(CLI::NonNegativeNumber);
    auto* f_unplug =
        fault->add_subcommand("unplug", "the reader vanishes (IFD_NO_SUCH_DEVICE) until replug");
    f_unplug->add_option("--after", o.after, "APDUs answered normally first (default: now)")
        ->check(CLI::NonNegativeNumber);
    auto* f_replug = fault->add_subcommand("replug", "the reader is back; its card unpowered");
    auto* f_clear = fault->add_subcommand("clear", "remove all faults (and replug)");

    auto* trace_cmd = app.add_subcommand("trace", "APDU trace (JSON lines; PIN data redacted)");
    trace_cmd->add_option("--reader", o.reader, "only this reader");
    trace_cmd->add_flag("--follow", o.follow, "keep printing new exchanges");
    trace_cmd->add_flag("--clear", o.clear, "clear the trace and statistics");
    trace_cmd->add_flag("--stats", o.stats, "APDU and byte counts per reader");
    trace_cmd->add_option("--since", o.since, "only entries after this sequence number");

    auto* pinpad = app.add_subcommand("pinpad", "what a person does on a PIN-pad reader");
    pinpad->add_option("--reader", o.reader, "reader index")->required();
    pinpad->require_subcommand(1);
    auto* p_type = pinpad->add_subcommand("type", "queue a PIN for the next PIN-pad entry");
    p_type->add_option("pin", o.pin, "the digits/characters typed")->required();
    auto* p_cancel = pinpad->add_subcommand("cancel", "the next PIN entry is cancelled (6401)");
    auto* p_timeout = pinpad->add_subcommand("timeout", "the next PIN entry times out (6400)");
    auto* p_clear = pinpad->add_subcommand("clear", "forget queued entries");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    try {
        if (pki_create->parsed()) {
            mynacard::softcard::create_pki(o.out_dir);
            if (o.json_output)
                std::cout << json{{"ok", true}, {"pki", o.out_dir}}.dump() << std::endl;
            else
                std::printf("test PKI written to %s\n", o.out_dir.c_str());
            return 0;
        }
        if (profile_create->parsed()) {
            mynacard::softcard::ProfileOptions po;
            po.variant = o.variant;
            po.name = o.name.empty() ? o.variant : o.name;
            mynacard::softcard::create_profile(o.pki_dir, o.out_dir, po);
            if (o.json_output)
                std::cout
                    << json{{"ok", true}, {"profile", o.out_dir}, {"variant", o.variant}}.dump()
                    << std::endl;
            else
                std::printf("profile %s (%s) written to %s\n", po.name.c_str(), o.variant.c_str(),
                            o.out_dir.c_str());
            return 0;
        }
    } catch (const std::exception& e) {
        return report_error(e.what());
    }

    if (ping->parsed()) return call(o, "ping", {{"cmd", "ping"}});
    if (list->parsed()) return call(o, "list", {{"cmd", "list"}});
    if (insert->parsed()) {
        // pcscd has another working directory: send an absolute path.
        std::error_code ec;
        auto dir = std::filesystem::absolute(o.profile_dir, ec);
        return call(o, "insert",
                    {{"cmd", "insert"},
                     {"reader", o.reader},
                     {"profile", ec ? o.profile_dir : dir.string()},
                     {"fresh", o.fresh},
                     {"swap", o.swap}});
    }
    if (remove->parsed()) return call(o, "remove", {{"cmd", "remove"}, {"reader", o.reader}});
    if (status->parsed()) return call(o, "status", {{"cmd", "status"}, {"reader", o.reader}});
    if (latency->parsed()) {
        json r{{"cmd", "latency"}, {"reader", o.reader}, {"clear", o.clear}};
        if (o.per_apdu_ms) r["per_apdu_ms"] = *o.per_apdu_ms;
        if (o.per_byte_us) r["per_byte_us"] = *o.per_byte_us;
        if (o.per_signature_ms) r["per_signature_ms"] = *o.per_signature_ms;
        return call(o, "latency", r);
    }
    if (fault->parsed()) {
        json r{{"cmd", "fault"}, {"reader", o.reader}};
        if (f_remove->parsed()) {
            r["kind"] = "remove-after";
            r["count"] = o.count;
        } else if (f_mute->parsed()) {
            r["kind"] = "mute";
        } else if (f_corrupt->parsed()) {
            r["kind"] = "corrupt";
            r["after"] = o.after.value_or(0);
            r["mode"] = o.corrupt_mode;
        } else if (f_sw->parsed()) {
            r["kind"] = "sw";
            r["sw"] = o.sw;
            r["after"] = o.after.value_or(0);
            r["times"] = o.times;
            if (o.ins) r["ins"] = *o.ins;
        } else if (f_reset->parsed()) {
            r["kind"] = "reset";
            r["after"] = o.after.value_or(0);
        } else if (f_unplug->parsed()) {
            r["kind"] = "unplug";
            if (o.after) r["after"] = *o.after;
        } else if (f_replug->parsed()) {
            r["kind"] = "replug";
        } else if (f_clear->parsed()) {
            r["kind"] = "clear";
        }
        return call(o, "fault", r);
    }
    if (trace_cmd->parsed()) return trace(o);
    if (pinpad->parsed()) {
        json r{{"cmd", "pinpad"}, {"reader", o.reader}};
        if (p_type->parsed()) {
            r["action"] = "type";
            r["pin"] = o.pin;
            mynacard::secure_zero(o.pin.data(), o.pin.size());
        } else if (p_cancel->parsed()) {
            r["action"] = "cancel";
        } else if (p_timeout->parsed()) {
            r["action"] = "timeout";
        } else if (p_clear->parsed()) {
            r["action"] = "clear";
        }
        return call(o, "pinpad", r);
    }
    return report_error("no command");
}
