#pragma once

#include <memory>
#include <optional>
#include <string>

#include "audit/audit.h"
#include "card/card.h"
#include "pcsc/pcsc.h"

namespace mynacard::cli {

// The composition root's view of one card: the PC/SC connection to the
// chosen reader, the card on top of it, and the audit log every use goes to.
class Session {
  public:
    // `reader`: exact name, or a part of one; empty = the first reader with a
    // card. Throws Error(reader_unavailable / no_card / service_stopped).
    Session(const std::string& reader, const std::filesystem::path& audit_path);

    [[nodiscard]] card::MyNumberCard& card() noexcept { return *card_; }
    [[nodiscard]] const std::string& reader() const noexcept { return reader_; }
    // Records one card use (decision 11). The result comes from the error
    // that ended the operation, if any.
    void record(audit::Operation op, audit::Result result, const std::string& key = {},
                const std::string& cert_serial_hash = {});

  private:
    std::unique_ptr<pcsc::Context> context_;
    std::unique_ptr<pcsc::Connection> connection_;
    std::unique_ptr<card::MyNumberCard> card_;
    std::string reader_;
    audit::Log log_;
};

// Which reader a user means: exact name first, then the only one containing
// `wanted`. Nothing when none or several match.
[[nodiscard]] std::optional<std::string> match_reader(const std::vector<std::string>& readers,
                                                      const std::string& wanted);

}  // namespace mynacard::cli
