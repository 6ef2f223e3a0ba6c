#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "card/card.h"
#include "core/bytes.h"

// The client side of `mynacard-helper pin` (decision 9: PIN entry outside the
// caller). The PKCS#11 module and the CLI run the helper as a separate
// process; the helper shows who asks and why, reads the PIN and hands it back
// over an inherited pipe — never argv, never the environment. The protocol
// is documented in docs/pin-helper.md; this header is its single definition.
namespace mynacard::pinhelper {

// Exit codes of `mynacard-helper pin` (docs/pin-helper.md).
inline constexpr int exit_entered = 0;      // the PIN was written to the pipe
inline constexpr int exit_usage = 2;        // bad command line
inline constexpr int exit_cancelled = 10;   // the user cancelled (or declined the last try)
inline constexpr int exit_timed_out = 11;   // --timeout passed with no PIN
inline constexpr int exit_no_display = 12;  // no screen to show the dialog on
inline constexpr int exit_blocked = 13;     // --tries-left 0: explained, nothing asked

// Why the PIN is asked: a closed list, so the helper can translate it and
// a caller cannot put arbitrary text in front of the user.
enum class Purpose { login, sign, read_certificate, change_pin, read_text };
[[nodiscard]] std::string_view to_string(Purpose p) noexcept;
[[nodiscard]] std::optional<Purpose> purpose_from_string(std::string_view s) noexcept;

// Which PIN the person types: the one the card holds now, or (changing a
// PIN) the new one, first and then again to catch a typing mistake. A new
// PIN has no tries left and no last try: those belong to the current one.
// confirm_last_try types nothing: the program supplied the PIN itself and
// the card shows one try left, so a person must allow that last try
// (decision 5); see confirm_last_try() below.
enum class Entry { current, new_pin, repeat_new, confirm_last_try };
[[nodiscard]] std::string_view to_string(Entry e) noexcept;
[[nodiscard]] std::optional<Entry> entry_from_string(std::string_view s) noexcept;

struct Request {
    card::Pin pin = card::Pin::auth;
    Purpose purpose = Purpose::login;
    Entry entry = Entry::current;
    std::string program;              // the calling program as the user knows it (executable path)
    long pid = 0;                     // its process id
    std::string reader;               // PC/SC reader name
    int tries_left = -1;              // read from the card before asking (decision 5); -1 unknown
    std::chrono::seconds timeout{0};  // 0: no time limit (accessibility, §B.3)
};

// The helper's argument vector for `request` (without argv[0]), the PIN
// coming back on file descriptor `pin_fd` of the child:
//   pin --pin auth|sign|text --purpose login|sign|read-certificate|change-pin|read-text
//       --program PATH --pid N --reader NAME [--tries-left N] [--timeout SECONDS]
//       --pin-fd FD
// --tries-left is left out when unknown (-1), --timeout when 0. The helper
// writes the PIN (normalised, format-checked) followed by '\n' to FD and
// exits 0; it never writes the PIN anywhere else.
inline constexpr std::size_t max_pin_bytes = 64;  // longer answers are a protocol error
[[nodiscard]] std::vector<std::string> arguments(const Request& request, int pin_fd);

// Where the helper is: $MYNACARD_HELPER when set (tests, packagers), else the
// installed program next to the CLI. Nothing when it is not an executable
// file.
[[nodiscard]] std::optional<std::filesystem::path> find_helper();
// True when the helper can show a dialog here: it is installed and a display
// is reachable ($DISPLAY or $WAYLAND_DISPLAY). The PKCS#11 module advertises
// CKF_PROTECTED_AUTHENTICATION_PATH only then (or for a PIN-pad reader).
[[nodiscard]] bool available();

// Runs the helper and returns the PIN it read (zeroising storage). Throws
// Error(cancelled) when the user cancelled, Error(timeout) on its time-out,
// Error(pin_blocked) for a blocked PIN, Error(unsupported) when no helper or
// no display, Error(transport) when the helper failed or answered malformed
// data. With tries_left 0 the helper only explains where the PIN is reset
// (Error(pin_blocked)). Safe in a host process: posix_spawn with
// close-on-exec descriptors, the child's stdin/stdout on /dev/null, no
// signal handlers touched, the child always reaped (when the host ignores
// SIGCHLD the pipe alone decides). $MYNACARD_HELPER is read with
// secure_getenv, so a set-uid host never runs a helper its caller chose.
[[nodiscard]] SecureBytes ask(const Request& request);

// The line the helper writes to the pipe when the person allowed the last
// try (`--entry confirm`). An answer of its own, not just the exit code: a
// helper that crashed or was replaced by something that merely exits 0 never
// counts as consent.
inline constexpr std::string_view confirmed_answer = "confirmed";

// Decision 5 for a PIN the program supplied itself (pkcs11 URI pin-value,
// scripts, pam_p11 retries): the card shows one try left, so the helper asks
// a person whether that program may use it (`--entry confirm`: no PIN field,
// the program and reader named, Allow / Cancel). `request.entry` is ignored
// (always confirm_last_try); pin, purpose, program, pid, reader and timeout
// say what the dialog shows. True only when the helper exited 0 after
// writing exactly "confirmed\n" (or, when the host reaps children itself,
// that line alone). False when the person cancelled, the dialog timed out or
// the helper failed or answered anything else: the caller then refuses the
// PIN without touching the card. Throws Error(unsupported) when no helper or
// no display can ask. Runs the helper exactly as ask() does.
[[nodiscard]] bool confirm_last_try(const Request& request);

}  // namespace mynacard::pinhelper
