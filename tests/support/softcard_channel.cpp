#include "support/softcard_channel.h"

#include <algorithm>

#include "core/bytes.h"

using namespace mynacard;

namespace mynacard::test_support {

apdu::ResponseApdu SoftcardChannel::transmit(const apdu::CommandApdu& command) {
    const SecureBytes raw = command.encode();  // zeroised when released: it holds the PIN
    const bool secret = softcard::command_carries_secret(raw);
    LoggedApdu entry;
    entry.cla = command.cla;
    entry.ins = command.ins;
    entry.p1 = command.p1;
    entry.p2 = command.p2;
    entry.lc = command.data.size();
    entry.secret = secret;
    if (!secret) entry.data = command.data;
    entry.le = command.le;
    entry.extended =
        command.extended || command.data.size() > 255 || (command.le && *command.le > 256);
    entry.in_transaction = depth_ > 0;
    entry.current_ef = current_ef_;

    // A command the card never processed (lost on the way): 6F00.
    const Bytes response = lose && lose(entry) ? Bytes{0x6F, 0x00} : card_->process(raw);
    auto r = apdu::ResponseApdu::parse(response);
    if (command.ins == 0xA4 && command.p1 == 0x02 && command.data.size() == 2 && r.ok())
        current_ef_ = be16(command.data, 0);
    if (command.ins == 0xA4 && command.p1 == 0x04) current_ef_ = 0;
    entry.sw = r.sw;
    entry.response_size = r.data.size();
    log.push_back(entry);
    if (tamper) {
        tamper(entry, r);
        log.back().sw = r.sw;
        log.back().response_size = r.data.size();
    }
    return r;
}

std::size_t SoftcardChannel::verify_attempts() const {
    return static_cast<std::size_t>(std::count_if(
        log.begin(), log.end(), [](const LoggedApdu& e) { return e.ins == 0x20 && e.lc > 0; }));
}

std::size_t SoftcardChannel::count_ins(std::uint8_t ins) const {
    return static_cast<std::size_t>(
        std::count_if(log.begin(), log.end(), [ins](const LoggedApdu& e) { return e.ins == ins; }));
}

std::uint16_t SoftcardChannel::raw(const char* hex) {
    return transmit(apdu::CommandApdu::parse(from_hex(hex))).sw;
}

mynacard::apdu::ResponseApdu SoftcardChannel::verify_on_pin_pad(
    const mynacard::apdu::PinPadVerify& request) {
    if (!pin_pad) return CardChannel::verify_on_pin_pad(request);
    ++pin_pad->entries;
    if (pin_pad->reader_sw != 0) {
        mynacard::apdu::ResponseApdu r;
        r.sw = pin_pad->reader_sw;
        return r;
    }
    // The reader appends the typed digits as ASCII (bmFormatString 0x82).
    mynacard::apdu::CommandApdu c = request.verify;
    c.data.assign(pin_pad->typed.begin(), pin_pad->typed.end());
    return transmit(c);
}

}  // namespace mynacard::test_support
