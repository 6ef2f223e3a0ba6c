#pragma once

#include "audit/audit.h"

namespace mynacard::audit::detail {

// The systemd journal's copy of an entry (README.md: the record a user
// cannot rewrite). `written`: the entry reached the file, so its seq and
// hash are sent too. Never throws: the file is the record, the journal a copy.
void send_to_journal(const Entry& e, bool written) noexcept;

}  // namespace mynacard::audit::detail
