#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "audit/audit.h"
#include "card/card.h"
#include "session/session.h"

namespace mynacard::cli {

// Keeps this process out of core dumps and out of reach of other processes
// of the same user (ptrace, /proc/<pid>/mem) while it may hold a PIN or the
// holder's personal data.
void protect_secrets() noexcept;

// The card one command works on: a session over pcscd whose audit log must
// be written (a CLI user is told when it cannot be), and the reader chosen.
// Made only by commands that talk to the card; making it protects the
// process first (protect_secrets): any of them may ask a PIN or read
// personal data, and a rule that simple is one nobody forgets to apply to a
// new command.
class CardUse {
  public:
    // `wanted`: --reader (exact name or a part of one; empty: the first
    // reader with a card). Connects at once, so a missing card or reader is
    // reported before any PIN is asked. Throws Error(reader_unavailable /
    // no_card / service_stopped) with the CLI's sentence for it.
    CardUse(std::string_view wanted, const std::filesystem::path& audit_log);

    [[nodiscard]] const std::string& reader() const noexcept { return reader_; }

    // A card operation that is not recorded (reading a try counter before
    // a PIN is asked).
    template <class F>
    decltype(auto) use(F&& fn) {
        return session_.use(reader_, std::forward<F>(fn));
    }
    // A card operation, recorded in the audit log (decision 11).
    template <class F>
    decltype(auto) audited(audit::Operation operation, session::Subject subject, F&& fn) {
        return session_.audited(reader_, operation, std::move(subject), std::forward<F>(fn));
    }
    // A step after the card was used that the log records too (a
    // certificate written to a file): only once it succeeded.
    void record_done(audit::Operation operation, const session::Subject& subject);

  private:
    // First member: the process is protected before pcscd is reached.
    struct Protected {
        Protected() noexcept { protect_secrets(); }
    } protected_;
    session::Session session_;
    std::string reader_;
};

}  // namespace mynacard::cli
