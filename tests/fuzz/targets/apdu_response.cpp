// APDU responses and status words, as the card layer meets them: the first
// input byte picks an operation of card::MyNumberCard, the rest are the
// card's answers in turn (Parts), each parsed by apdu::ResponseApdu. When
// the answers run out the card is gone (Errc::card_removed). Whatever the
// card answers, decision 5 must hold:
//  - at most one VERIFY with a PIN per operation (no PIN try spent on the
//    software's own account);
//  - no VERIFY with a PIN right after the card reported one try or none
//    left, unless the person confirmed the last try;
//  - no verified state left behind: after a VERIFY with a PIN, the operation
//    re-selects an application (answered 9000) or asks for a card reset.

#include <array>
#include <optional>

#include "apdu/channel.h"
#include "apdu/response.h"
#include "apdu/status.h"
#include "card/card.h"
#include "core/error.h"
#include "fuzz_target.h"

namespace apdu = mynacard::apdu;
namespace card = mynacard::card;
using mynacard::Bytes;
using mynacard::Errc;
using mynacard::Error;
using mynacard::SecureBytes;
using mynacard::fuzz::require;

namespace {

constexpr std::uint8_t ins_select = 0xA4;  // ISO/IEC 7816-4 §11.2.2
constexpr std::uint8_t ins_verify = 0x20;  // §11.5.6

class ScriptedCard final : public apdu::CardChannel {
  public:
    explicit ScriptedCard(mynacard::fuzz::Parts& answers) : answers_(answers) {}

    apdu::ResponseApdu transmit(const apdu::CommandApdu& command) override {
        if (removed_ || answers_.empty()) {
            removed_ = true;
            throw Error(Errc::card_removed, "the card was removed");
        }
        const bool verify_with_pin = command.ins == ins_verify && !command.data.empty();
        if (verify_with_pin) {
            ++pin_verifies_;
            require(pin_verifies_ <= 1, "more than one VERIFY with a PIN in one operation");
            require(confirmed_last_try_ || !last_try_reported_,
                    "VERIFY with a PIN after the card reported at most one try left");
        }
        const auto answer = apdu::ResponseApdu::parse(answers_.next());
        if (command.ins == ins_verify && command.data.empty()) {
            last_try_reported_ =
                (apdu::sw::is_verify_failed(answer.sw) && apdu::sw::tries_left(answer.sw) <= 1) ||
                answer.sw == apdu::sw::auth_method_blocked ||
                answer.sw == apdu::sw::reference_data_blocked;
        } else if (command.ins == ins_select) {
            last_try_reported_ = false;
        }
        if (verify_with_pin) verified_ = true;
        if (command.ins == ins_select && command.p1 == 0x04 && answer.ok()) verified_ = false;
        return answer;
    }
    void reset_card_at_end() noexcept override { verified_ = false; }

    void start_operation(bool confirmed_last_try) noexcept {
        pin_verifies_ = 0;
        last_try_reported_ = false;
        confirmed_last_try_ = confirmed_last_try;
    }
    void end_operation() const {
        require(removed_ || !verified_, "an operation left a verified PIN on the card");
    }

  private:
    mynacard::fuzz::Parts& answers_;
    bool removed_ = false;
    bool verified_ = false;
    bool last_try_reported_ = false;
    bool confirmed_last_try_ = false;
    int pin_verifies_ = 0;
};

SecureBytes secret(const char* text) {
    SecureBytes out;
    for (; *text != '\0'; ++text) out.push_back(static_cast<std::uint8_t>(*text));
    return out;
}

// SHA-256 DigestInfo prefix (RFC 8017 §9.2 note 1) and a zero hash.
Bytes digest_info() {
    Bytes out{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
              0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    out.resize(out.size() + 32, 0x00);
    return out;
}

void run(card::MyNumberCard& c, std::uint8_t op) {
    const auto auth_pin = secret("1234");
    const auto sign_pin = secret("ABC123");
    const card::PinOptions confirmed{.confirm_last_try = true, .held_pin = false};
    const card::PinOptions held{.confirm_last_try = false, .held_pin = true};
    switch (op % 13) {
        case 0:
            (void)c.detect();
            break;
        case 1:
            (void)c.status();
            break;
        case 2:
            (void)c.read_certificate(card::Certificate::auth);
            break;
        case 3:
            (void)c.tries_left(card::Pin::auth);
            break;
        case 4:
            (void)c.sign(card::Key::auth, auth_pin, digest_info());
            break;
        case 5:
            (void)c.read_sign_certificate(sign_pin);
            break;
        case 6:
            c.verify_pin(card::Pin::text, auth_pin);
            break;
        case 7:
            c.change_pin(card::Pin::auth, auth_pin, secret("5678"));
            break;
        case 8: {
            auto text = c.read_text_ap(auth_pin);
            card::wipe(text);
            break;
        }
        case 9: {
            auto face = c.read_face_ap(card::FaceCode::b, secret("19900101203012"));
            card::wipe(face);
            break;
        }
        case 10:
            (void)c.sign(card::Key::sign, sign_pin, digest_info(), held);
            break;
        case 11:
            c.verify_pin(card::Pin::auth, auth_pin, confirmed);
            break;
        default:
            (void)c.read_certificate(card::Certificate::sign_ca);
            break;
    }
}

}  // namespace

MYNACARD_FUZZ_TARGET(apdu_response) {
    mynacard::fuzz::Parts parts(mynacard::fuzz::view(data, size));
    // Two operations on one card object: the second meets whatever state
    // the first left (a remembered certificate, a reset flag).
    const std::array<std::uint8_t, 2> ops{parts.byte(), parts.byte()};
    ScriptedCard channel(parts);
    card::MyNumberCard c(channel);
    for (const auto op : ops) {
        // The last-try rule is checked for every secret, the card-face AP's
        // 照合番号 (op 9) included (docs/decisions.md); op 11 confirmed it.
        channel.start_operation(op % 13 == 11);
        try {
            run(c, op);
        } catch (const Error&) {
        }
        channel.end_operation();
    }
    return 0;
}
