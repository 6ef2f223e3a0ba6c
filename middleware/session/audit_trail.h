#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "audit/audit.h"
#include "card/card.h"
#include "core/bytes.h"
#include "core/error.h"

namespace mynacard::session {

// What a card use worked on, as the audit log names it (audit::Event::key
// and cert_serial_hash), built from the card layer's own types so every
// front end writes the same words: "auth", "sign", "text"; nothing for a CA
// certificate (it belongs to no key), a status read of every PIN or the
// 券面AP (no PIN of its own). `mynacard log` fills those in from the
// operation.
class Subject {
  public:
    Subject() = default;
    [[nodiscard]] static Subject of(card::Pin pin);
    [[nodiscard]] static Subject of(card::Key key);
    [[nodiscard]] static Subject of(card::Certificate certificate);

    // Adds which certificate was used: the SHA-256 of its serial, never the
    // certificate. DER that does not parse adds nothing (the operation's
    // own error, if any, is what the log reports).
    Subject& certificate(ByteView der);
    Subject& serial(ByteView serial);

    [[nodiscard]] const std::string& key() const noexcept { return key_; }
    [[nodiscard]] const std::string& serial_hash() const noexcept { return serial_hash_; }

  private:
    explicit Subject(std::string_view key) : key_(key) {}
    std::string key_;
    std::string serial_hash_;
};

// What happens when the log cannot be written.
enum class AuditWrite {
    // The operation fails with Error(io) even though the card did it: the
    // CLI, whose user is told and can look.
    required,
    // The operation stands; last_write_failed() tells a UI to say so. The
    // PKCS#11 module (a browser or ssh must not break over the log) and the
    // helper.
    best_effort,
};

// Every card use goes to the audit log once (decision 11), with its result
// taken from the error that ended it.
class AuditTrail {
  public:
    explicit AuditTrail(std::filesystem::path path = audit::Log::default_path(),
                        AuditWrite mode = AuditWrite::best_effort);

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return log_.path(); }
    [[nodiscard]] bool last_write_failed() const noexcept { return last_write_failed_; }

    void record(std::string_view reader, audit::Operation operation, audit::Result result,
                const Subject& subject = {});

    // Runs `fn` and records its outcome: ok when it returns, the error's
    // result (audit::result_of) when it throws, then rethrows. `fn` takes
    // no argument, or a Subject& to add what it learns on the way (the
    // certificate it read). A log that cannot be written after a success
    // follows the AuditWrite mode; after a failure the operation's own
    // error is what the caller sees.
    template <class F>
    decltype(auto) audited(std::string_view reader, audit::Operation operation, Subject subject,
                           F&& fn) {
        using R = decltype(call(fn, subject));
        if constexpr (std::is_void_v<R>) {
            guarded(reader, operation, subject, [&] { call(fn, subject); });
            record(reader, operation, audit::Result::ok, subject);
        } else {
            std::optional<std::remove_cvref_t<R>> value;
            guarded(reader, operation, subject, [&] { value.emplace(call(fn, subject)); });
            record(reader, operation, audit::Result::ok, subject);
            return std::remove_cvref_t<R>(std::move(*value));
        }
    }

  private:
    template <class F>
    static decltype(auto) call(F& fn, Subject& subject) {
        if constexpr (std::is_invocable_v<F&, Subject&>)
            return fn(subject);
        else
            return fn();
    }
    // Runs `body`; on any exception records the failure (never throwing
    // over the operation's own error) and rethrows.
    template <class Body>
    void guarded(std::string_view reader, audit::Operation operation, const Subject& subject,
                 Body&& body) {
        try {
            body();
        } catch (const Error& e) {
            record_failure(reader, operation, audit::result_of(e.code()), subject);
            throw;
        } catch (...) {
            record_failure(reader, operation, audit::Result::error, subject);
            throw;
        }
    }
    void record_failure(std::string_view reader, audit::Operation operation, audit::Result result,
                        const Subject& subject) noexcept;

    audit::Log log_;
    AuditWrite mode_;
    bool last_write_failed_ = false;
};

}  // namespace mynacard::session
