#include "gui/card_service.h"

#include <QMetaObject>

#include <algorithm>
#include <chrono>
#include <map>

namespace mynacard::gui {

namespace {

// How long one SCardGetStatusChange waits before the monitor checks whether
// it should stop; short enough that closing the helper feels immediate.
constexpr auto monitor_poll = std::chrono::milliseconds(400);
// After pcscd went away: how long before a new context is tried.
constexpr auto service_retry = std::chrono::milliseconds(500);

// What the worker keeps of one reader between jobs (worker thread only).
struct HeldCard {
    std::unique_ptr<pcsc::Connection> connection;
    card::CardIdentity identity;
    std::optional<std::uint32_t> event_count;  // pcscd's, when the connection was made

    void forget() noexcept {
        connection.reset();
        identity.forget();
        event_count.reset();
    }
};

// The held connection and identity of `reader`, still valid only while
// pcscd reports the same card: present, and the reader's event counter
// (bumped by pcscd on every insertion and removal) unchanged. Anything else
// is a new card or none, so both are forgotten and the connection made
// again (which fails as before when no card is in).
HeldCard& held_for(std::map<std::string, HeldCard>& held, const pcsc::Context& context,
                   const std::string& reader) {
    HeldCard& h = held[reader];
    const auto states = context.states();
    const auto it =
        std::find_if(states.begin(), states.end(),
                     [&reader](const pcsc::ReaderState& s) { return s.name == reader; });
    const bool same_card = it != states.end() && it->present && h.event_count == it->event_count;
    if (!same_card) {
        h.forget();
        h.connection = std::make_unique<pcsc::Connection>(context, reader);
        if (it != states.end()) h.event_count = it->event_count;
    }
    return h;
}

}  // namespace

void CardJob::record(audit::Operation op, audit::Result result, const std::string& key,
                     const std::string& cert_serial_hash) noexcept {
    try {
        audit::Event e;
        e.operation = op;
        e.result = result;
        e.reader = reader();
        e.key = key;
        e.cert_serial_hash = cert_serial_hash;
        log_.append(e);
    } catch (...) {  // NOLINT(bugprone-empty-catch): see the declaration
    }
}

CardService::CardService(std::filesystem::path audit_log, QObject* parent)
    : QObject(parent), audit_path_(std::move(audit_log)) {
    monitor_ = std::jthread([this](const std::stop_token& stop) { monitorLoop(stop); });
    worker_ = std::jthread([this](const std::stop_token& stop) { workerLoop(stop); });
}

CardService::~CardService() {
    // Stop both threads before the members they use go away; queued
    // callbacks to this object die with it.
    monitor_.request_stop();
    worker_.request_stop();
    queue_cv_.notify_all();
    if (monitor_.joinable()) monitor_.join();
    if (worker_.joinable()) worker_.join();
}

void CardService::enqueue(std::string reader, Task task) {
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(std::move(reader), std::move(task));
    }
    queue_cv_.notify_one();
}

void CardService::announceReplaced(const std::string& reader) {
    QMetaObject::invokeMethod(
        this, [this, name = QString::fromStdString(reader)]() { emit cardReplaced(name); },
        Qt::QueuedConnection);
}

void CardService::beginJob() {
    if (pending_++ == 0) emit busyChanged(true);
}

void CardService::endJob() {
    if (pending_ > 0 && --pending_ == 0) emit busyChanged(false);
}

void CardService::monitorLoop(const std::stop_token& stop) {
    std::unique_ptr<pcsc::Context> context;
    std::optional<QList<ReaderInfo>> last;
    while (!stop.stop_requested()) {
        try {
            if (!context) context = std::make_unique<pcsc::Context>();
            QList<ReaderInfo> now;
            for (const auto& s : context->states())
                now.push_back(ReaderInfo{QString::fromStdString(s.name), s.present, s.mute});
            if (!last || *last != now) {
                last = now;
                QMetaObject::invokeMethod(
                    this,
                    [this, now]() {
                        readers_ = now;
                        emit readersChanged();
                    },
                    Qt::QueuedConnection);
            }
            (void)context->wait_for_change(monitor_poll);
        } catch (const Error&) {
            // pcscd stopped or restarting: report no readers, then try a new
            // context (decision 8).
            context.reset();
            if (!last || !last->isEmpty()) {
                last = QList<ReaderInfo>{};
                QMetaObject::invokeMethod(
                    this,
                    [this]() {
                        readers_.clear();
                        emit readersChanged();
                    },
                    Qt::QueuedConnection);
            }
            std::this_thread::sleep_for(service_retry);
        }
    }
}

void CardService::workerLoop(const std::stop_token& stop) {
    // Declared before the context: connections go before their context.
    std::unique_ptr<pcsc::Context> context;
    std::map<std::string, HeldCard> held;
    const auto drop_context = [&context, &held]() {
        held.clear();
        context.reset();
    };
    audit::Log log(audit_path_);
    while (true) {
        std::pair<std::string, Task> item;
        {
            std::unique_lock lock(mutex_);
            queue_cv_.wait(lock, stop, [this]() { return !queue_.empty(); });
            if (stop.stop_requested()) return;
            item = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            for (int attempt = 0;; ++attempt) {
                try {
                    if (!context) context = std::make_unique<pcsc::Context>();
                    HeldCard& h = held_for(held, *context, item.first);
                    card::MyNumberCard card(*h.connection, h.identity);
                    CardJob job(card, *h.connection, log, &h.identity);
                    item.second(&job, nullptr);
                    break;
                } catch (const Error& e) {
                    // A context from before a pcscd restart: one new context,
                    // then report (the job itself has not run yet when the
                    // connect fails, so nothing is repeated on the card).
                    if (e.code() != Errc::service_stopped || attempt > 0) throw;
                    drop_context();
                }
            }
        } catch (const Error& e) {
            if (e.code() == Errc::service_stopped) drop_context();
            // The connection could not be made: nothing of it is kept.
            if (const auto it = held.find(item.first); it != held.end()) it->second.forget();
            item.second(nullptr, &e);
        }
    }
}

}  // namespace mynacard::gui
