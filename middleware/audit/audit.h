#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"

namespace mynacard::audit {

// What happened to the card. A closed list: free text could carry personal
// data, so nothing outside it is accepted (decision 11: PII-free).
enum class Operation {
    read_certificate,
    read_sign_certificate,
    sign,
    login,
    pin_status,
    pin_change,
    read_text_ap,
    read_face_ap,
    export_certificate,
    // The holder allowed / refused that a program receives the signature
    // certificate, which carries name, address, birth date and sex
    // (decision 11; mynacard-helper consent, docs/consent.md).
    consent_given,
    consent_refused,
    // オンライン資格確認 (decision 10; docs/front-desk.md). Nothing personal
    // is recorded: no name, no insurance number, no result.
    // A card check with the patient's PIN (the auth key signs the service's
    // challenge), at the front desk or by `mynacard qualify --server`.
    qualification_check,
    // A query by the numbers of an insurance card or 資格確認書 (no card).
    qualification_query,
    // A face reader's result opened at the front desk (no card).
    qualification_result,
};
enum class Result { ok, pin_incorrect, pin_blocked, cancelled, card_removed, error };

// The result an error stands for, the same in every program: a refused
// format, an unconfirmed last try and a cancel are all "cancelled" (nothing
// reached the card, or the user stopped).
[[nodiscard]] Result result_of(Errc code) noexcept;

[[nodiscard]] std::string_view to_string(Operation op) noexcept;
[[nodiscard]] std::string_view to_string(Result result) noexcept;

struct Event {
    Operation operation = Operation::read_certificate;
    Result result = Result::ok;
    std::string reader;            // PC/SC reader name
    std::string key;               // "auth" / "sign" / "text" / "" — which PIN or key
    std::string cert_serial_hash;  // hex SHA-256 of the certificate serial, or ""
};

struct Entry {
    std::uint64_t seq = 0;
    std::string time;     // RFC 3339 UTC
    std::string program;  // executable path
    long pid = 0;
    Event event;
    std::string prev;  // hex SHA-256 of the previous line ("" for the first)
    std::string hash;  // hex SHA-256 of this entry without "hash"
};

struct VerifyResult {
    bool ok = false;
    std::uint64_t entries = 0;
    std::uint64_t first_bad_line = 0;  // 1-based, when !ok
    std::string error;
    // Bytes of an interrupted append at the very end (no '\n', not a whole
    // entry): not an entry, not an error; the next append removes them.
    std::size_t torn_tail_bytes = 0;
};

// MESSAGE_ID of every audit event in the systemd journal: a random 128-bit
// id generated once for this purpose (python3 uuid.uuid4()), so
// `journalctl MESSAGE_ID=b62e832b62194014bc99f87a9539abbf` lists card use.
inline constexpr std::string_view journal_message_id = "b62e832b62194014bc99f87a9539abbf";

// hex SHA-256 of a certificate serial (big-endian bytes): identifies which
// certificate was used without storing it.
[[nodiscard]] std::string serial_hash(ByteView serial);

// Append-only JSON lines with a hash chain. Each append takes an exclusive
// lock (flock), reads the last line's hash, writes one line with O_APPEND and
// fsyncs, so concurrent processes interleave whole lines and a crash loses at
// most the line being written: verify() ignores such a torn tail (and
// reports its size), the next append cuts it off. Each event also goes to the
// systemd journal where one runs (docs: middleware/audit/README.md).
//
// What the chain detects: accidental damage, and edits, insertions or
// deletions by someone who cannot rewrite the rest of the file. It does NOT
// stop anyone with write access to the file: they can recompute the whole
// chain. The journal copy (sealable with journalctl --setup-keys) is the
// record such a person cannot rewrite.
class Log {
  public:
    explicit Log(std::filesystem::path path);
    // $MYNACARD_AUDIT_LOG, else $XDG_STATE_HOME/mynacard/audit.jsonl, else
    // ~/.local/state/mynacard/audit.jsonl. A privileged (set-uid or set-gid)
    // host ignores the variables and $HOME (core/paths.h).
    [[nodiscard]] static std::filesystem::path default_path();

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    // Throws Error(io) when the log cannot be written; callers decide whether
    // that stops the operation (it does for the CLI). Does nothing in a
    // privileged host (core/paths.h: privileged_host).
    void append(const Event& event);
    [[nodiscard]] std::vector<Entry> read() const;
    [[nodiscard]] VerifyResult verify() const;

  private:
    std::filesystem::path path_;
};

}  // namespace mynacard::audit
