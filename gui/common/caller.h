#pragma once

#include <string>

// Who asks, as mynacard-helper verifies it itself. A dialog that named the
// program its caller claims to be would let any process borrow the name of
// a trusted one ("--program /usr/bin/firefox --pid <firefox's pid>").
namespace mynacard::gui {

// The process that started this helper and talks to it: the peer of
// `channel_fd` when that is a Unix socket (SO_PEERCRED, filled in by the
// kernel when the socket was created — the consent helper's stdin), else the
// parent process (getppid(): the PKCS#11 module and the CLI spawn the helper
// directly). A pid given on the command line never replaces it: a process
// can only pose as itself.
[[nodiscard]] long verified_caller_pid(int channel_fd = -1);

// The base name a dialog shows in bold; "" when the executable is unknown
// (/proc/<pid>/exe unreadable: another user, or the process is gone).
[[nodiscard]] std::string program_name(const std::string& executable);

}  // namespace mynacard::gui
