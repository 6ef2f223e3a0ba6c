#pragma once

#include <signal.h>

#include <ctime>

namespace mynacard::cli {

// SIGINT and SIGTERM end a watching command cleanly (exit 0). They are
// blocked and collected between looks instead of caught by a handler, so no
// flag is shared with a signal handler. Make it before any thread starts:
// threads inherit the blocked set.
class StopSignals {
  public:
    StopSignals() {
        ::sigemptyset(&set_);
        ::sigaddset(&set_, SIGINT);
        ::sigaddset(&set_, SIGTERM);
        ::pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    [[nodiscard]] bool arrived() {
        const timespec now{};
        if (!arrived_ && ::sigtimedwait(&set_, nullptr, &now) > 0) arrived_ = true;
        return arrived_;
    }

  private:
    sigset_t set_{};
    bool arrived_ = false;
};

}  // namespace mynacard::cli
