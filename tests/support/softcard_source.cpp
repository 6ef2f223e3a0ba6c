#include "support/softcard_source.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "core/error.h"

namespace mynacard::test_support {

Bench::Reader& Bench::add(std::string name, std::shared_ptr<softcard::Card> card) {
    readers.push_back(Reader{std::move(name), std::move(card), 0, false, {}});
    return readers.back();
}

Bench::Reader& Bench::reader(const std::string& name) {
    const auto it = std::find_if(readers.begin(), readers.end(),
                                 [&](const Reader& r) { return r.name == name; });
    if (it == readers.end()) throw std::logic_error("no test reader " + name);
    return *it;
}

std::size_t Bench::verify_attempts() const {
    return static_cast<std::size_t>(std::count_if(
        log.begin(), log.end(), [](const LoggedApdu& e) { return e.ins == 0x20 && e.lc > 0; }));
}

void Bench::insert(const std::string& name, std::shared_ptr<softcard::Card> card) {
    Reader& r = reader(name);
    r.card = std::move(card);
    if (r.card) r.card->reset();  // power-on
    ++r.event_count;
}

void Bench::remove(const std::string& name) {
    Reader& r = reader(name);
    r.card.reset();
    ++r.event_count;
}

void SoftcardSource::service() const {
    if (bench_->stopped_calls > 0) {
        --bench_->stopped_calls;
        throw Error(Errc::service_stopped, "test card service stopped");
    }
}

std::vector<session::ReaderStatus> SoftcardSource::readers() {
    service();
    std::vector<session::ReaderStatus> out;
    for (const auto& r : bench_->readers)
        out.push_back(session::ReaderStatus{r.name, r.card != nullptr, false, r.event_count,
                                            r.card ? r.card->atr() : Bytes{}});
    return out;
}

std::unique_ptr<apdu::CardChannel> SoftcardSource::connect(const std::string& name) {
    service();
    Bench::Reader& r = bench_->reader(name);
    if (!r.card) throw Error(Errc::no_card, "no card in " + name);
    ++bench_->connects;
    auto channel = std::make_unique<SoftcardChannel>(*r.card);
    // The channel is bound to the card that was in when it was made: after
    // the reader's counter moves, every command fails as PC/SC's
    // SCARD_W_REMOVED_CARD does, before the (new) card sees it.
    const std::uint32_t at_connect = r.event_count;
    std::weak_ptr<Bench> bench = bench_;
    // Holds the card it points at: a reset at the end of a transaction may
    // still reach it after the test took it out.
    std::shared_ptr<softcard::Card> card = r.card;
    channel->lose = [bench, name, at_connect, card](const LoggedApdu& command) {
        const auto b = bench.lock();
        if (!b || b->reader(name).event_count != at_connect)
            throw Error(Errc::card_removed, "test card removed");
        b->log.push_back(command);
        return false;
    };
    if (r.pin_pad) channel->pin_pad = SoftcardChannel::PinPad{r.pin_pad_typed, 0, 0};
    bench_->channels.push_back(channel.get());
    return channel;
}

bool SoftcardSource::wait_for_change(std::chrono::milliseconds timeout) {
    service();
    std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(10)));
    return false;
}

}  // namespace mynacard::test_support
