#include "session/session.h"

#include <algorithm>

namespace mynacard::session {

std::optional<std::string> match_reader(const std::vector<ReaderStatus>& readers,
                                        std::string_view wanted) {
    for (const auto& r : readers)
        if (r.name == wanted) return r.name;
    // An index rather than a std::optional<std::string> built up in the loop:
    // GCC 12 with sanitizers warns (-Wmaybe-uninitialized) on the latter.
    std::size_t found = readers.size();
    for (std::size_t i = 0; i < readers.size(); ++i) {
        if (readers[i].name.find(wanted) == std::string::npos) continue;
        if (found != readers.size()) return std::nullopt;  // ambiguous: the user must say more
        found = i;
    }
    if (found == readers.size()) return std::nullopt;
    return readers[found].name;
}

Session::Session(std::unique_ptr<CardSource> source, AuditTrail trail)
    : source_(std::move(source)), trail_(std::move(trail)) {
    if (!source_) throw Error(Errc::internal, "session without a card source");
}

// Connections go before the source that made them (a PC/SC handle before
// its context).
Session::~Session() {
    held_.clear();
}

void Session::restart() noexcept {
    ++restarts_;
    held_.clear();
    seen_.clear();
    source_->restart();
}

std::vector<ReaderStatus> Session::readers() {
    std::vector<ReaderStatus> states;
    for (int attempt = 0;; ++attempt) {
        try {
            states = source_->readers();
            break;
        } catch (const Error& e) {
            // A context from before a pcscd restart answers "no service"
            // (or, on some pcsc-lite versions, "no readers"): one new
            // context, then the caller hears of it (decision 8).
            const bool gone =
                e.code() == Errc::service_stopped || e.code() == Errc::reader_unavailable;
            if (!gone) throw;
            restart();
            if (attempt > 0) throw;
        }
    }
    seen_.clear();
    for (const auto& st : states)
        if (st.present) seen_[st.name] = st.event_count;
    for (auto it = held_.begin(); it != held_.end();) {
        const auto st = std::find_if(states.begin(), states.end(),
                                     [&](const ReaderStatus& s) { return s.name == it->first; });
        const bool same = st != states.end() && st->present &&
                          (!it->second.event_count || *it->second.event_count == st->event_count);
        if (!same) {
            it = held_.erase(it);
            continue;
        }
        it->second.event_count = st->event_count;
        ++it;
    }
    return states;
}

Session::Choice Session::find_reader(std::string_view wanted) {
    const auto states = readers();
    if (states.empty()) return {std::nullopt, NoReader::none_connected};
    if (!wanted.empty()) {
        auto m = match_reader(states, wanted);
        return {std::move(m), NoReader::no_match};
    }
    for (const auto& s : states)
        if (s.present) return {s.name, NoReader::no_card};
    return {std::nullopt, NoReader::no_card};
}

Session::Held& Session::connected(const std::string& reader) {
    if (const auto it = held_.find(reader); it != held_.end() && it->second.channel)
        return it->second;
    std::unique_ptr<apdu::CardChannel> channel;
    for (int attempt = 0;; ++attempt) {
        try {
            channel = source_->connect(reader);
            break;
        } catch (const Error& e) {
            if (e.code() != Errc::service_stopped || attempt > 0) throw;
            // Nothing reached the card yet: a new context and one more try.
            restart();
        }
    }
    Held& held = held_[reader];
    held.channel = std::move(channel);
    // The card readers() saw last: should the counter have moved since, the
    // next readers() forgets this connection too (it may be another card).
    if (const auto it = seen_.find(reader); it != seen_.end()) held.event_count = it->second;
    return held;
}

void Session::after_failure(const std::string& reader, Errc code) noexcept {
    switch (code) {
        case Errc::card_removed:
        case Errc::no_card:
        case Errc::reader_unavailable:
            forget(reader);
            break;
        case Errc::service_stopped:
            restart();
            break;
        default:
            break;
    }
}

Bytes Session::known_card(const std::string& reader) const {
    const auto it = held_.find(reader);
    return it == held_.end() ? Bytes{} : it->second.identity.auth_certificate;
}

void Session::forget(const std::string& reader) noexcept {
    held_.erase(reader);
}

void Session::forget_all() noexcept {
    held_.clear();
}

}  // namespace mynacard::session
