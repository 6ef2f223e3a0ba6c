#pragma once

#include <sys/types.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

// Starting a trusted helper program (the PIN dialog, the consent dialog) from
// inside a host process we do not own: a browser, OpenSSL, ssh, or
// p11-kit-remote, which speaks its RPC on its own stdout. One routine, so the
// PIN helper and the consent helper are started with the same hardening.
namespace mynacard {

// A descriptor of the host that the child receives as `child_fd`.
struct ChildFd {
    int parent_fd = -1;
    int child_fd = -1;
};

// Starts `program` with argv = {program, args...} and the host's environment
// (DISPLAY, XAUTHORITY, LANG reach the dialog), and returns its pid:
// - posix_spawn, never fork: the host may be multi-threaded;
// - the child's stdin and stdout are /dev/null unless `fds` gives them: the
//   host may speak a protocol on them (p11-kit remote, ssh-agent), and a
//   child writing to the host's stdout would corrupt it; stderr is inherited
//   for diagnostics;
// - the descriptors in `fds` appear at their child numbers, every other
//   descriptor is closed (closefrom above the highest one given, and
//   close-on-exec), so the child never holds the host's sockets or files;
// - default signal dispositions and an empty signal mask in the child,
//   whatever the host set for itself; the host's own handlers and mask are
//   not touched.
// Throws Error(transport) when it cannot start (the message says why, no
// argument is quoted). The caller reaps the child with wait_for_child().
[[nodiscard]] pid_t spawn_isolated(const std::string& program, const std::vector<std::string>& args,
                                   std::span<const ChildFd> fds);

// Waits for `pid` (retrying on EINTR) and returns its wait status. Nothing
// when the host reaps its children itself or ignores SIGCHLD (ECHILD).
[[nodiscard]] std::optional<int> wait_for_child(pid_t pid) noexcept;

}  // namespace mynacard
