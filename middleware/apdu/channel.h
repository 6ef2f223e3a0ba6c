#pragma once

#include <cstdint>

#include "apdu/command.h"
#include "apdu/response.h"

namespace mynacard::apdu {

// A VERIFY whose PIN the reader's own keypad collects (PC/SC part 10
// FEATURE_VERIFY_PIN_DIRECT): the reader appends the digits the user typed,
// as ASCII, to `verify` and returns the card's answer. The host never sees
// the PIN.
struct PinPadVerify {
    CommandApdu verify;                // 00 20 00 80 without data
    std::uint8_t min_digits = 4;       // wPINMaxExtraDigit, high byte
    std::uint8_t max_digits = 4;       // wPINMaxExtraDigit, low byte
    std::uint8_t timeout_seconds = 0;  // bTimerOut; 0 = the reader's default
    std::uint16_t lang_id = 0x0411;    // wLangId: Japanese
};

// One logical connection to a card. Implemented by the PC/SC layer and by the
// in-process software card, so everything above this interface can be tested
// without pcscd.
class CardChannel {
  public:
    virtual ~CardChannel() = default;
    CardChannel() = default;
    CardChannel(const CardChannel&) = delete;
    CardChannel& operator=(const CardChannel&) = delete;

    [[nodiscard]] virtual ResponseApdu transmit(const CommandApdu& command) = 0;

    // Exclusive access for a multi-APDU operation (PC/SC: SCardBeginTransaction).
    // Nested calls are counted; only the outermost pair reaches the card.
    virtual void begin_transaction() {}
    virtual void end_transaction() noexcept {}
    // True once after the card was reset by someone else since the last call:
    // whatever was selected or verified is gone (PC/SC: SCARD_W_RESET_CARD).
    [[nodiscard]] virtual bool take_reset_flag() noexcept { return false; }
    // The card's security state could not be cleared by re-selecting the AP
    // (the SELECT failed or was never answered): the outermost transaction
    // then ends with a card reset (PC/SC: SCardEndTransaction with
    // SCARD_RESET_CARD), so no verified PIN outlives the operation
    // (decision 5). Outside a transaction the card is reset at once.
    virtual void reset_card_at_end() noexcept {}

    // Whether the reader has a PIN pad it may be trusted with (the quirk
    // table can veto one). Asking may cost a control call, never an APDU.
    [[nodiscard]] virtual bool has_pin_pad() { return false; }
    // VERIFY through the PIN pad. The status words 6400 (time-out) and 6401
    // (cancelled on the pad) come back as the reader reports them; channels
    // without a PIN pad throw Error(unsupported).
    [[nodiscard]] virtual ResponseApdu verify_on_pin_pad(const PinPadVerify& request);
};

// RAII scope of one transaction on a channel.
class ChannelTransaction {
  public:
    explicit ChannelTransaction(CardChannel& channel) : channel_(channel) {
        channel_.begin_transaction();
    }
    ~ChannelTransaction() { channel_.end_transaction(); }
    ChannelTransaction(const ChannelTransaction&) = delete;
    ChannelTransaction& operator=(const ChannelTransaction&) = delete;

  private:
    CardChannel& channel_;
};

}  // namespace mynacard::apdu
