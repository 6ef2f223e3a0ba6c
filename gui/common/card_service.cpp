#include "gui/common/card_service.h"

#include <QMetaObject>

#include <chrono>

#include "session/pcsc_source.h"

namespace mynacard::gui {

namespace {

// How long one wait for a reader change lasts before the monitor checks
// whether it should stop; short enough that closing the helper feels
// immediate.
constexpr auto monitor_poll = std::chrono::milliseconds(400);
// After pcscd went away: how long before a new context is tried.
constexpr auto service_retry = std::chrono::milliseconds(500);

}  // namespace

void CardJob::noteIdentity() noexcept {
    if (known_at_start_.empty()) return;
    try {
        if (session_.known_card(reader_) != known_at_start_) replaced_ = true;
    } catch (...) {  // NOLINT(bugprone-empty-catch): out of memory copying a certificate
    }
}

CardService::CardService(std::filesystem::path audit_log, QObject* parent)
    : CardService([] { return session::pcsc_source(); }, std::move(audit_log), parent) {}

CardService::CardService(SourceFactory sources, std::filesystem::path audit_log, QObject* parent)
    : QObject(parent), sources_(std::move(sources)), audit_path_(std::move(audit_log)) {
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
    const std::unique_ptr<session::CardSource> source = sources_();
    std::optional<QList<ReaderInfo>> last;
    const auto report = [this, &last](const QList<ReaderInfo>& now) {
        if (last && *last == now) return;
        last = now;
        QMetaObject::invokeMethod(
            this,
            [this, now]() {
                readers_ = now;
                emit readersChanged();
            },
            Qt::QueuedConnection);
    };
    while (!stop.stop_requested()) {
        try {
            QList<ReaderInfo> now;
            for (const auto& s : source->readers())
                now.push_back(ReaderInfo{QString::fromStdString(s.name), s.present, s.mute});
            report(now);
            (void)source->wait_for_change(monitor_poll);
        } catch (const Error&) {
            // pcscd stopped or restarting: report no readers, then try a new
            // context (decision 8).
            source->restart();
            report({});
            std::this_thread::sleep_for(service_retry);
        }
    }
}

void CardService::workerLoop(const std::stop_token& stop) {
    session::Session session(sources_(),
                             session::AuditTrail(audit_path_, session::AuditWrite::best_effort));
    while (true) {
        std::pair<std::string, Task> item;
        {
            std::unique_lock lock(mutex_);
            queue_cv_.wait(lock, stop, [this]() { return !queue_.empty(); });
            if (stop.stop_requested()) return;
            item = std::move(queue_.front());
            queue_.pop_front();
        }
        std::optional<Error> failed;
        try {
            // What the session keeps of a card that left, or of the one
            // before a card put in since (the event counter moved), goes
            // before the job: it meets the card in the reader now.
            (void)session.readers();
        } catch (const Error& e) {
            failed = e;
        } catch (const std::exception& e) {
            failed = Error(Errc::internal, e.what());
        }
        if (failed) {
            item.second(nullptr, &*failed);
            continue;
        }
        CardJob job(session, item.first);
        item.second(&job, nullptr);
    }
}

}  // namespace mynacard::gui
