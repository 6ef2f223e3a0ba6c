#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "x509/x509.h"

// Disclosure consent for the signature certificate (decision 11): it carries
// the holder's name, address, birth date and sex, so the first time a program
// asks for it the holder is shown what it discloses and who asks, and
// decides. The protocol of `mynacard-helper consent` and the policy when
// nobody can be asked are documented in docs/consent.md; this header is
// their single definition on the client side.
namespace mynacard::consent {

// Exit codes of `mynacard-helper consent` (docs/consent.md).
inline constexpr int exit_allow = 0;
inline constexpr int exit_usage = 2;        // bad command line or no certificate on stdin
inline constexpr int exit_deny = 10;        // the holder refused (or closed the dialog)
inline constexpr int exit_no_display = 12;  // no screen to ask on

enum class Decision { allow, deny };
[[nodiscard]] std::string_view to_string(Decision d) noexcept;

// MYNACARD_CONSENT: what happens without a remembered answer.
//   ask   (default) ask the holder; refuse when nobody can be asked
//   allow           release without asking (headless servers, CI)
//   deny            refuse without asking
// `allow` and `deny` decide everything: the store is neither read nor
// written, so an administrator's setting is never overridden by old answers.
enum class Policy { ask, allow, deny };
[[nodiscard]] std::optional<Policy> policy_from_string(std::string_view s) noexcept;
// From $MYNACARD_CONSENT; unset, empty or unknown values mean `ask`
// (the safe default: refuse rather than guess).
[[nodiscard]] Policy policy_from_environment() noexcept;

struct Record {
    std::string program;             // executable path
    std::string certificate_sha256;  // lowercase hex of the whole certificate DER
    Decision decision = Decision::deny;
    std::string time;  // RFC 3339 UTC, when the holder decided
};

// The remembered answers: a small JSON file, mode 0600 in a 0700 directory,
// replaced atomically (write beside, rename) under an flock so concurrent
// processes never lose each other's answers. Nothing personal: only program
// path, certificate hash, choice and time.
class Store {
  public:
    explicit Store(std::filesystem::path path);
    // $MYNACARD_CONSENT_FILE, else $XDG_CONFIG_HOME/mynacard/consent.json,
    // else ~/.config/mynacard/consent.json. A privileged (set-uid or set-gid)
    // host ignores the variables and $HOME (core/paths.h); remember() and
    // forget() write nothing there (forget() answers false).
    [[nodiscard]] static std::filesystem::path default_path();

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    // The remembered answer for `program` and the certificate with this
    // SHA-256 (hex); nothing when never asked. An unreadable or damaged file
    // counts as empty (the holder is asked again, never silently allowed).
    [[nodiscard]] std::optional<Decision> find(const std::string& program,
                                               const std::string& certificate_sha256) const;
    // Remembers (or replaces) the answer. Throws Error(io) when it cannot write.
    void remember(const std::string& program, const std::string& certificate_sha256,
                  Decision decision);
    // Forgets every answer for `program` (all certificates); false when none.
    // Throws Error(io) when it cannot write.
    bool forget(const std::string& program);
    // Forgets the answer for `program` and this one certificate only (the
    // card view's "Forget" on one row); false when there was none.
    bool forget(const std::string& program, const std::string& certificate_sha256);
    [[nodiscard]] std::vector<Record> records() const;

  private:
    std::filesystem::path path_;
};

// Programs whose identity says nothing about who really asks: an
// interpreter runs whatever script it is given, a proxy serves another
// program (p11-kit-remote answers for a Flatpak browser). A "yes" remembered
// for /usr/bin/python3.11 would be a yes for every future script; so for
// these the holder is asked every time (docs/consent.md).
enum class Intermediary { none, interpreter, proxy };

// Which intermediary `executable` is, matched on its base name (a version
// suffix such as python3.11 or perl5.36.0 counts); `args` is the process's
// command line after argv[0] (p11-kit is a proxy only as `p11-kit server`
// or `p11-kit remote`).
[[nodiscard]] Intermediary intermediary_of(std::string_view executable,
                                           const std::vector<std::string>& args = {});

// The asking process as the kernel reports it.
struct Caller {
    long pid = 0;
    std::string executable;  // /proc/<pid>/exe; "" when unreadable (another user)
    Intermediary kind = Intermediary::none;
    // For an interpreter: the script it runs, i.e. the first non-option
    // argument of /proc/<pid>/cmdline that is an existing file (made
    // absolute against /proc/<pid>/cwd); "" when there is none (python -c,
    // an interactive shell). The process can rewrite its own command line,
    // so this names the script for the holder; it proves nothing.
    std::string script;
};
[[nodiscard]] Caller identify_caller(long pid);

// The lowercase hex SHA-256 of the certificate's DER: how the store names it.
[[nodiscard]] std::string certificate_hash(const x509::Certificate& cert);

// The helper's argument vector (without argv[0]); the certificate DER goes
// to its standard input. `lang` is "ja", "en" or empty (the helper's locale).
[[nodiscard]] std::vector<std::string> arguments(const std::string& program, long pid,
                                                 const std::string& lang = {});

// Runs `mynacard-helper consent` once. Nothing when no helper or no display
// is available (exit_no_display included); Decision::deny also when the
// helper failed in any other way. Safe in a host process: posix_spawn,
// close-on-exec descriptors, MSG_NOSIGNAL instead of touching SIGPIPE, the
// child always reaped.
[[nodiscard]] std::optional<Decision> run_helper(const std::string& program, long pid,
                                                 ByteView certificate_der,
                                                 const std::string& lang = {});

struct Options {
    std::optional<std::filesystem::path> store;  // default: Store::default_path()
    std::optional<Policy> policy;                // default: policy_from_environment()
    std::string lang;                            // passed to the helper
};

// The whole decision for `program` (executable path) with process id `pid`
// asking for `cert`: with policy `ask`, the remembered answer, else the
// holder's answer through the helper (then remembered), else deny. For an
// intermediary (identify_caller(pid), else `program`: an interpreter or a
// proxy) an "allow" is never remembered nor taken from the store, so the
// holder is asked every time; a refusal is remembered like any other (it
// discloses nothing, and stops a script from asking again and again). Never
// throws for a missing helper, display or store: every failure denies.
[[nodiscard]] Decision ask_consent(const std::string& program, long pid,
                                   const x509::Certificate& cert, const Options& options = {});

}  // namespace mynacard::consent
