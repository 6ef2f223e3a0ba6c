#pragma once

#include "apdu/command.h"
#include "apdu/response.h"

namespace mynacard::apdu {

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
