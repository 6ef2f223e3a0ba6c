#pragma once

// Test-only apdu::CardChannel over softcard::Card::process(): records every
// APDU (secret data redacted) so tests can count and check sequences, and
// lets a test corrupt responses to play a misbehaving card.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "apdu/channel.h"
#include "softcard/card.h"

namespace mynacard::test_support {

struct LoggedApdu {
    std::uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
    std::size_t lc = 0;
    bool secret = false;   // VERIFY / CHANGE with data: `data` left empty
    mynacard::Bytes data;  // command data unless secret
    std::optional<std::size_t> le;
    bool extended = false;
    std::uint16_t sw = 0;
    std::size_t response_size = 0;
    bool in_transaction = false;
    std::uint16_t current_ef = 0;  // last EF selected by id before this APDU

    [[nodiscard]] bool is(std::uint8_t c, std::uint8_t i, std::uint8_t a, std::uint8_t b) const {
        return cla == c && ins == i && p1 == a && p2 == b;
    }
};

class SoftcardChannel : public mynacard::apdu::CardChannel {
  public:
    // Called with each command and the card's response before it is
    // returned; may change the response or throw (card removed, ...).
    using Tamper =
        std::function<void(const LoggedApdu& command, mynacard::apdu::ResponseApdu& response)>;

    explicit SoftcardChannel(mynacard::softcard::Card& card) : card_(&card) {}

    [[nodiscard]] mynacard::apdu::ResponseApdu transmit(
        const mynacard::apdu::CommandApdu& command) override;
    void begin_transaction() override {
        ++depth_;
        ++transactions_;
    }
    void end_transaction() noexcept override {
        if (--depth_ == 0 && std::exchange(reset_at_end_, false)) reset_card();
    }
    // Plays SCardEndTransaction(SCARD_RESET_CARD): the card is reset, for
    // this channel too (no reset flag: the channel asked for it).
    void reset_card_at_end() noexcept override {
        if (depth_ > 0)
            reset_at_end_ = true;
        else
            reset_card();
    }
    [[nodiscard]] int card_resets() const noexcept { return card_resets_; }
    [[nodiscard]] bool take_reset_flag() noexcept override {
        return std::exchange(reset_pending_, false);
    }
    // Plays another process resetting the card (SCARD_W_RESET_CARD), or the
    // card being swapped for `other` behind the reset.
    void simulate_reset() {
        card_->reset();
        reset_pending_ = true;
    }
    void swap_card(mynacard::softcard::Card& other) {
        card_ = &other;
        simulate_reset();
    }

    // A PIN pad (PC/SC part 10) for tests: the "typed" digits, or the
    // reader's own status word (6400 time-out, 6401 cancel).
    struct PinPad {
        std::string typed;
        std::uint16_t reader_sw = 0;  // non-zero: returned instead of the card's answer
        int entries = 0;
    };
    std::optional<PinPad> pin_pad;
    [[nodiscard]] bool has_pin_pad() override { return pin_pad.has_value(); }
    [[nodiscard]] mynacard::apdu::ResponseApdu verify_on_pin_pad(
        const mynacard::apdu::PinPadVerify& request) override;

    std::vector<LoggedApdu> log;
    Tamper tamper;
    // True for a command that never reaches the card: it is answered 6F00
    // and the card's state is untouched (a reader or transport fault).
    std::function<bool(const LoggedApdu& command)> lose;

    [[nodiscard]] int depth() const noexcept { return depth_; }
    [[nodiscard]] int transactions() const noexcept { return transactions_; }
    // VERIFY (00 20) with data, i.e. attempts that can consume a try.
    [[nodiscard]] std::size_t verify_attempts() const;
    [[nodiscard]] std::size_t count_ins(std::uint8_t ins) const;
    // Sends raw hex outside any MyNumberCard operation; returns the SW.
    std::uint16_t raw(const char* hex);
    void clear() {
        log.clear();
        transactions_ = 0;
    }

  private:
    void reset_card() noexcept {
        card_->reset();
        ++card_resets_;
    }
    mynacard::softcard::Card* card_;
    bool reset_pending_ = false;
    bool reset_at_end_ = false;
    int card_resets_ = 0;
    int depth_ = 0;
    int transactions_ = 0;
    std::uint16_t current_ef_ = 0;
};

}  // namespace mynacard::test_support
