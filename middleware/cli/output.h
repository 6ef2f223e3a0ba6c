#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/messages.h"
#include "core/bytes.h"
#include "x509/x509.h"

namespace mynacard::cli {

// Where a command's results go: JSON objects (--json, keys in docs/cli.md)
// or sentences for a person. One printer is made in main() and passed to
// every command; nothing else writes to standard output.
class Output {
  public:
    explicit Output(bool json);

    [[nodiscard]] bool json() const noexcept { return json_; }
    // One JSON value, indented by two. Streamed, never dumped into a string
    // first: a growing string would leave its outgrown buffers, with any
    // personal data in them, in freed memory.
    void print(const nlohmann::json& value) const;
    // One JSON value on one line, flushed: an event a reader of the stream
    // acts on at once (watch).
    void line(const nlohmann::json& value) const;
    // Text for a person (only when !json()).
    [[nodiscard]] std::ostream& human() const;
    // Raw bytes (a certificate exported to standard output).
    void bytes(ByteView data) const;
    // A note for a person watching a terminal; never pollutes --json output
    // or a pipe.
    void progress(Msg id) const;

  private:
    bool json_;
};

// ISO 8601 in UTC, to the second ("2025-01-31T12:00:00Z").
[[nodiscard]] std::string iso_time(x509::TimePoint t);

// The holder's birth date and sex as the card face prints them, in the
// user's language (card/facts.h); a birth date that is not one is shown as
// the card holds it. The caller wipes the result: it is personal data.
[[nodiscard]] std::string birth_date_shown(const std::string& yyyymmdd);
[[nodiscard]] std::string_view sex_shown(std::string_view code);

// Overwrites every string of a JSON value that held personal data.
void wipe_json(nlohmann::json& value) noexcept;

}  // namespace mynacard::cli
