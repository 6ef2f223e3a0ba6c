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
};

}  // namespace mynacard::apdu
