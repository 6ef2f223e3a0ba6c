#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "apdu/channel.h"
#include "card/card.h"
#include "core/error.h"
#include "session/audit_trail.h"
#include "session/source.h"

namespace mynacard::session {

// Which reader a user means: the exact name first, then the only one that
// contains `wanted`. Nothing when none or several match.
[[nodiscard]] std::optional<std::string> match_reader(const std::vector<ReaderStatus>& readers,
                                                      std::string_view wanted);

// Why choose_reader() found none (a front end words it for its user).
enum class NoReader { none_connected, no_match, no_card };

// The single way a front end uses cards: the card source (PC/SC context),
// the reader choice, one connection per reader kept while the same card
// stays in, the card's identity for the same-card check after a reset
// (decision 8), recovery after a card-service restart, and the audit trail.
// Belongs to one thread (decision 8); a front end with a worker thread
// makes its Session there.
//
// What is kept of a reader's card is forgotten when readers() sees its
// event counter move or the card leave (a card put in is a new card), when
// an operation finds it removed, and with everything after a service
// restart.
class Session {
  public:
    Session(std::unique_ptr<CardSource> source, AuditTrail trail);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Every reader, no APDU (decision 6). A source whose service went away
    // is restarted once (decision 8: a new context after a pcscd restart);
    // throws Error(service_stopped) when that fails too.
    [[nodiscard]] std::vector<ReaderStatus> readers();

    // The reader a user asked for (match_reader), or with `wanted` empty the
    // first one with a card; when there is none, why (the front end words
    // it). Throws only what readers() throws.
    struct Choice {
        std::optional<std::string> reader;
        NoReader reason = NoReader::none_connected;
    };
    [[nodiscard]] Choice find_reader(std::string_view wanted);

    // Runs `fn(card::MyNumberCard&)` on the card in `reader` through the
    // connection kept for it (made now when there is none; a connect that
    // meets a restarted service is tried once more with a new context: no
    // APDU was sent yet). An operation that finds the card gone forgets it
    // (Errc::card_removed / no_card / reader_unavailable); one that finds
    // the service gone forgets every card and restarts the source. The
    // error is rethrown either way.
    template <class F>
    decltype(auto) use(const std::string& reader, F&& fn) {
        std::exception_ptr failure;
        Errc code = Errc::internal;
        {
            Held& held = connected(reader);
            card::MyNumberCard card(*held.channel, held.identity);
            try {
                return fn(card);
            } catch (const Error& e) {
                failure = std::current_exception();
                code = e.code();
            }
        }  // the card object is gone before what it used is forgotten
        after_failure(reader, code);
        std::rethrow_exception(failure);
    }

    // The same, recorded in the audit trail (decision 11) with the reader.
    template <class F>
    decltype(auto) audited(const std::string& reader, audit::Operation operation, Subject subject,
                           F&& fn) {
        return trail_.audited(reader, operation, std::move(subject), [&](Subject& s) {
            return use(reader, [&](card::MyNumberCard& card) -> decltype(auto) {
                if constexpr (std::is_invocable_v<F&, card::MyNumberCard&, Subject&>)
                    return fn(card, s);
                else
                    return fn(card);
            });
        });
    }

    // The authentication certificate the card in `reader` showed last, the
    // card's identity (empty: none known).
    [[nodiscard]] Bytes known_card(const std::string& reader) const;
    void forget(const std::string& reader) noexcept;
    void forget_all() noexcept;

    // How many times the card service was restarted (readers() or an
    // operation found it gone). Whatever a front end kept of any card
    // before (a login, a cached certificate) belongs to cards the session
    // no longer knows once this number moves.
    [[nodiscard]] std::uint64_t restarts() const noexcept { return restarts_; }

    [[nodiscard]] AuditTrail& trail() noexcept { return trail_; }
    [[nodiscard]] CardSource& source() noexcept { return *source_; }

  private:
    struct Held {
        std::unique_ptr<apdu::CardChannel> channel;
        card::CardIdentity identity;
        std::optional<std::uint32_t> event_count;
    };
    Held& connected(const std::string& reader);
    void after_failure(const std::string& reader, Errc code) noexcept;
    void restart() noexcept;

    std::unique_ptr<CardSource> source_;
    AuditTrail trail_;
    // std::map: references stay valid while other readers come and go.
    std::map<std::string, Held> held_;
    std::map<std::string, std::uint32_t> seen_;  // event counters readers() saw last
    std::uint64_t restarts_ = 0;
};

}  // namespace mynacard::session
