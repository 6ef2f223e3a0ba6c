#include "apdu/channel.h"

#include "core/error.h"

namespace mynacard::apdu {

ResponseApdu CardChannel::verify_on_pin_pad(const PinPadVerify& /*request*/) {
    throw Error(Errc::unsupported, "the reader has no PIN pad");
}

}  // namespace mynacard::apdu
