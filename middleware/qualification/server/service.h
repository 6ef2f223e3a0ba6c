#pragma once

// `serve`: the reference service over HTTPS (TLS 1.2+, cpp-httplib), with
// its limits — request body size, a per-client rate limit, a fixed pool of
// worker threads — and, with a terminal folder, the terminal's part too.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "qualification_server/checker.h"

namespace mynacard::qualification::server {

struct ServiceOptions {
    std::filesystem::path state_dir;
    std::string host = "127.0.0.1";  // loopback unless the engineer says otherwise
    int port = 8443;                 // 0: any free port (tests)
    std::optional<std::filesystem::path> terminal_dir;
    std::size_t threads = 8;
    // A check request is ~4 KiB (hex certificate and signature).
    std::size_t max_body = 64 * 1024;
    // Requests per second per client address, with bursts up to `burst`;
    // 0 turns the limit off (benchmarks).
    double rate_per_second = 20;
    double burst = 40;
    CheckerOptions checker;
    // One line per request; never personal data. Default: stderr.
    std::function<void(std::string_view)> log;
};

class Service {
  public:
    explicit Service(ServiceOptions options);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Binds the listening socket; returns the port. Throws Error(io).
    int bind();
    // Serves until stop(); in-flight requests finish before it returns.
    void run();
    // From any thread (a signal-waiting thread, a test).
    void stop();

    [[nodiscard]] Checker& checker();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mynacard::qualification::server
