#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "apdu/channel.h"
#include "core/bytes.h"

namespace mynacard::session {

// What a front end may know of a reader without talking to its card
// (decision 6: no APDU to learn any of this).
struct ReaderStatus {
    std::string name;
    bool present = false;  // a card is in
    bool mute = false;     // a card is in but does not answer
    // Bumped by the card service on every insertion and removal (pcsc-lite:
    // the high 16 bits of dwEventState): the same number means the same card.
    std::uint32_t event_count = 0;
    // The card's answer to reset, as the card service learnt it when it
    // powered the card (no APDU); empty without a card. For showing only:
    // cards are told apart by their event counter and identity.
    Bytes atr;
    friend bool operator==(const ReaderStatus&, const ReaderStatus&) = default;
};

// Where cards are reached: pcscd in the products (session/pcsc_source.h),
// the in-process software card in unit tests. One source belongs to one
// thread (decision 8: one PC/SC context per thread).
class CardSource {
  public:
    virtual ~CardSource() = default;
    CardSource() = default;
    CardSource(const CardSource&) = delete;
    CardSource& operator=(const CardSource&) = delete;

    // Every reader, in the service's order. Throws Error(service_stopped)
    // when the card service went away (the caller then calls restart()).
    [[nodiscard]] virtual std::vector<ReaderStatus> readers() = 0;
    // A shared connection to the card in `reader`. Throws Error(no_card,
    // reader_unavailable, service_stopped, ...).
    [[nodiscard]] virtual std::unique_ptr<apdu::CardChannel> connect(const std::string& reader) = 0;
    // Waits until a reader or a card changes or `timeout` passes; false on
    // time-out. A waiting thread sees a stop request after at most
    // `timeout`, so callers keep it short.
    [[nodiscard]] virtual bool wait_for_change(std::chrono::milliseconds timeout) = 0;
    // The service went away: whatever was made before (the PC/SC context)
    // is dropped, the next call starts afresh. Connections made before must
    // be released first.
    virtual void restart() noexcept {}
};

}  // namespace mynacard::session
