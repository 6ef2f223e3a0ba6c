#pragma once

// The control socket: a Unix stream socket served by one thread. Each
// request is one JSON object on one line; each response is one JSON line.
// `trace` with "follow": true keeps the connection and streams entries.

#include <cstdint>
#include <optional>
#include <string>
#include <thread>

#include "core/unique_fd.h"

namespace mynacard::virtual_reader {

class Simulator;

// What a `trace` request with "follow": true asked for.
struct Follow {
    bool requested = false;
    std::optional<int> reader;
    std::uint64_t after_seq = 0;
};

// One request line in, one response line out (without the newline). Never
// throws for anything a client sends; the line buffer and the request are
// zeroised afterwards, since a request may carry a PIN typed for the PIN pad.
[[nodiscard]] std::string answer_line(Simulator& simulator, std::string& line, Follow& follow);

class ControlServer {
  public:
    // Binds `path` (mode 0600; a stale socket file is removed) and starts the
    // thread. Throws Error(io) when the socket cannot be created.
    ControlServer(Simulator& simulator, std::string path);
    // Wakes and joins the thread, removes the socket file.
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

  private:
    void run() noexcept;

    Simulator& simulator_;
    std::string path_;
    UniqueFd listen_fd_;
    UniqueFd wake_read_, wake_write_;
    std::thread thread_;
};

}  // namespace mynacard::virtual_reader
