#pragma once

// Test-only session::CardSource over in-process software cards: readers
// whose cards a test puts in, takes out and swaps, a card service that can
// "stop", and counters of what the session asked for. The state lives in a
// shared Bench so the test keeps its hands on it after the Session owns the
// source.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "session/source.h"
#include "softcard/card.h"
#include "support/softcard_channel.h"

namespace mynacard::test_support {

struct Bench {
    struct Reader {
        std::string name;
        std::shared_ptr<softcard::Card> card;  // nullptr: empty reader
        std::uint32_t event_count = 0;
        bool pin_pad = false;  // channels get SoftcardChannel::pin_pad with `pin_pad_typed`
        std::string pin_pad_typed;
    };
    std::vector<Reader> readers;

    int connects = 0;
    int restarts = 0;
    // Calls that meet a stopped service (Errc::service_stopped) before the
    // service answers again: readers() and connect() each spend one.
    int stopped_calls = 0;
    // Every command that reached a card through any channel, in order
    // (secret data redacted, see LoggedApdu), and how many of them were
    // VERIFY with data: attempts that can spend a try.
    std::vector<LoggedApdu> log;
    [[nodiscard]] std::size_t verify_attempts() const;
    // Every channel handed out, in order. Owned by whoever connected: a
    // pointer dangles once the session forgot that card, so read it only
    // while the connection is known to be kept.
    std::vector<SoftcardChannel*> channels;

    Reader& add(std::string name, std::shared_ptr<softcard::Card> card = nullptr);
    [[nodiscard]] Reader& reader(const std::string& name);
    // A card put in / taken out: pcscd's event counter moves, channels made
    // before fail with Errc::card_removed.
    void insert(const std::string& name, std::shared_ptr<softcard::Card> card);
    void remove(const std::string& name);
};

class SoftcardSource final : public session::CardSource {
  public:
    explicit SoftcardSource(std::shared_ptr<Bench> bench) : bench_(std::move(bench)) {}
    [[nodiscard]] std::vector<session::ReaderStatus> readers() override;
    [[nodiscard]] std::unique_ptr<apdu::CardChannel> connect(const std::string& reader) override;
    [[nodiscard]] bool wait_for_change(std::chrono::milliseconds timeout) override;
    void restart() noexcept override { ++bench_->restarts; }

  private:
    void service() const;
    std::shared_ptr<Bench> bench_;
};

}  // namespace mynacard::test_support
