#pragma once

#include <PCSC/winscard.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "apdu/channel.h"
#include "core/error.h"
#include "quirks/quirks.h"

namespace mynacard::pcsc {

// The one place PC/SC return codes become mynacard errors.
[[nodiscard]] Error to_error(LONG rv, std::string_view what);

struct ReaderState {
    std::string name;
    bool present = false;  // a card is in the reader
    bool in_use = false;   // another process holds it exclusively
    bool mute = false;     // card present but not answering
    Bytes atr;
    std::uint32_t event_count = 0;  // pcsc-lite: high 16 bits of dwEventState
};

// One SCARDCONTEXT. Not shared between threads (decision 8); create one per
// thread. After pcscd restarts every call fails with Errc::service_stopped:
// make a new Context.
class Context {
  public:
    Context();
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    [[nodiscard]] SCARDCONTEXT handle() const noexcept { return handle_; }
    [[nodiscard]] bool valid() const noexcept;
    // Empty when no reader is connected (SCARD_E_NO_READERS_AVAILABLE).
    [[nodiscard]] std::vector<std::string> readers() const;
    [[nodiscard]] std::vector<ReaderState> states() const;
    // Waits until a reader is added or removed or a card state changes, or
    // the timeout passes. Returns false on timeout. cancel() from another
    // thread ends the wait with Errc::cancelled.
    [[nodiscard]] bool wait_for_change(std::chrono::milliseconds timeout);
    void cancel() noexcept;

  private:
    SCARDCONTEXT handle_ = 0;
    std::vector<SCARD_READERSTATE> watched_;
    std::vector<std::string> watched_names_;
};

// PC/SC part 10 features a reader advertises (0 = absent).
struct ReaderFeatures {
    DWORD verify_pin_direct = 0;
    DWORD modify_pin_direct = 0;
    [[nodiscard]] bool pin_pad() const noexcept { return verify_pin_direct != 0; }
};

// A shared-mode connection to the card in one reader.
class Connection final : public apdu::CardChannel {
  public:
    Connection(const Context& context, std::string reader);
    ~Connection() override;

    [[nodiscard]] apdu::ResponseApdu transmit(const apdu::CommandApdu& command) override;
    // Sends raw bytes with no 61xx/6Cxx handling (for part 10 and tests).
    [[nodiscard]] Bytes transmit_raw(ByteView command);
    // SCardControl: PIN-pad commands and feature queries.
    [[nodiscard]] Bytes control(DWORD code, ByteView input);

    [[nodiscard]] const std::string& reader() const noexcept { return reader_; }
    [[nodiscard]] const Bytes& atr() const noexcept { return atr_; }
    // Part 10 features as the reader reports them, corrected by the quirk
    // table (a PIN pad the table calls untrustworthy is not offered).
    [[nodiscard]] const ReaderFeatures& features();
    // apdu::CardChannel: a PIN pad the quirk table does not veto.
    [[nodiscard]] bool has_pin_pad() override { return features().pin_pad(); }
    // FEATURE_VERIFY_PIN_DIRECT with a PIN_VERIFY_STRUCTURE (PC/SC part 10
    // §2.5.2): ASCII digits appended to the VERIFY, no length field.
    [[nodiscard]] apdu::ResponseApdu verify_on_pin_pad(const apdu::PinPadVerify& request) override;
    // The reader's row(s) of the quirk table, looked up once per connection.
    [[nodiscard]] const quirks::Capabilities& quirks() const noexcept { return quirks_; }
    // After Errc::card_reset: reconnect (the card stays powered); the card
    // layer then re-selects and checks it is the same card.
    void recover_from_reset();
    // True once after a reset was recovered: whatever the caller had selected
    // or verified on the card is gone and must be redone (and the card's
    // identity checked) before the next operation.
    [[nodiscard]] bool take_reset_flag() noexcept override {
        return std::exchange(reset_seen_, false);
    }
    // SCardBeginTransaction / SCardEndTransaction, counted so that nested
    // scopes share the outermost transaction.
    void begin_transaction() override;
    void end_transaction() noexcept override;
    // apdu::CardChannel: the outermost transaction ends with
    // SCARD_RESET_CARD (SCardReconnect with a reset outside one).
    void reset_card_at_end() noexcept override;

    [[nodiscard]] SCARDHANDLE handle() const noexcept { return handle_; }

  private:
    void read_status();

    std::string reader_;
    SCARDHANDLE handle_ = 0;
    DWORD protocol_ = 0;
    Bytes atr_;
    std::optional<ReaderFeatures> features_;
    quirks::Capabilities quirks_;
    bool reset_seen_ = false;
    int transaction_depth_ = 0;
    bool reset_at_end_ = false;
    // 65536 data bytes + SW for extended Le (ISO/IEC 7816-4 §5.1).
    static constexpr std::size_t max_response = 65538;
    Bytes receive_;  // transmit_raw's buffer: all zeros between exchanges
    // Set inside a transaction when SCardTransmit said the card or the
    // reader is gone: the rest of that transaction fails at once instead
    // of asking pcscd again (each call that meets a vanished reader costs
    // 1 s there), and it ends without a card reset (no card to reset). The
    // next transaction asks pcscd afresh.
    LONG gone_ = SCARD_S_SUCCESS;
};

// SCardBeginTransaction for the lifetime of the object: no other process can
// send APDUs in between (decision 8: VERIFY, key SELECT and SIGN in one).
using Transaction = apdu::ChannelTransaction;

}  // namespace mynacard::pcsc
