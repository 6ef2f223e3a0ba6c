#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <variant>

#include "audit/audit.h"
#include "card/card.h"
#include "core/error.h"
#include "pcsc/pcsc.h"

namespace mynacard::gui {

struct ReaderInfo {
    QString name;
    bool card_present = false;
    bool mute = false;  // a card is in but does not answer
    friend bool operator==(const ReaderInfo&, const ReaderInfo&) = default;
};

// What a job sees on the worker thread: the card in one reader, inside the
// connection the service keeps for it, and the audit log every card use
// goes to (decision 11).
class CardJob {
  public:
    // `identity`: the service's record of the card in this reader (nullptr:
    // none kept); what it holds now is remembered to tell, after the job,
    // whether the job met another card (card_replaced()).
    CardJob(card::MyNumberCard& card, pcsc::Connection& connection, audit::Log& log,
            const card::CardIdentity* identity = nullptr)
        : card_(card), connection_(connection), log_(log), identity_(identity) {
        if (identity_ != nullptr) known_at_start_ = identity_->auth_certificate;
    }
    [[nodiscard]] card::MyNumberCard& card() noexcept { return card_; }
    [[nodiscard]] pcsc::Connection& connection() noexcept { return connection_; }
    [[nodiscard]] const std::string& reader() const noexcept { return connection_.reader(); }
    // Records one card use; an unwritable log does not stop a UI operation
    // that already happened, it is reported by the card view instead.
    void record(audit::Operation op, audit::Result result, const std::string& key = {},
                const std::string& cert_serial_hash = {}) noexcept;
    // True when the card was known before the job and the job found another
    // one: the card layer's check after a reset (decision 8) failed and
    // forgot the identity, or another authentication certificate was read.
    [[nodiscard]] bool card_replaced() const noexcept {
        return identity_ != nullptr && !known_at_start_.empty() &&
               identity_->auth_certificate != known_at_start_;
    }

  private:
    card::MyNumberCard& card_;
    pcsc::Connection& connection_;
    audit::Log& log_;
    const card::CardIdentity* identity_;
    Bytes known_at_start_;  // the public authentication certificate
};

// The result of a job: its value, or the error that ended it.
template <class R>
using Outcome = std::variant<R, Error>;

// Card I/O off the UI thread (decision 8: one PC/SC context per thread).
// A monitor thread follows readers and cards (SCardGetStatusChange, new
// context after a pcscd restart) and reports them through readersChanged();
// a worker thread runs jobs one at a time and hands the outcome back on the
// thread of a receiver object. The UI thread never touches the card.
//
// Per reader the worker keeps the connection and the card's identity
// (card::CardIdentity) for as long as the same card is in: a reset by
// another process then shows up as SCARD_W_RESET_CARD on the next job, and
// the card layer checks that the card is still the one whose authentication
// certificate was read (decision 8). Both are forgotten when pcscd's event
// counter for the reader moves or the card is gone (a card put in is a new
// card), and with the context after a pcscd restart. A job that finds
// another card fails (Errc::card_removed) after cardReplaced() was emitted.
class CardService : public QObject {
    Q_OBJECT
  public:
    explicit CardService(std::filesystem::path audit_log = audit::Log::default_path(),
                         QObject* parent = nullptr);
    ~CardService() override;
    CardService(const CardService&) = delete;
    CardService& operator=(const CardService&) = delete;

    // The last known readers (UI thread).
    [[nodiscard]] QList<ReaderInfo> readers() const { return readers_; }
    [[nodiscard]] bool busy() const noexcept { return pending_ > 0; }
    [[nodiscard]] const std::filesystem::path& auditLogPath() const noexcept { return audit_path_; }

    // Runs `job` on the worker thread against the card in `reader`, then
    // `done(outcome)` on the service's thread (the UI thread, where receivers
    // live); nothing runs if the receiver is gone by then. Errors of any kind arrive as
    // mynacard::Error.
    template <class R>
    void run(const QString& reader, std::function<R(CardJob&)> job, QObject* receiver,
             std::function<void(Outcome<R>)> done) {
        beginJob();
        // The outcome is posted to the service (alive until the worker is
        // joined) and the receiver checked there, on the UI thread: posting
        // to the receiver from the worker would touch a receiver deleted
        // while the job ran.
        QPointer<QObject> guard(receiver);
        enqueue(reader.toStdString(), [this, job = std::move(job), guard, done = std::move(done)](
                                          CardJob* j, const Error* failed) {
            auto outcome =
                std::make_shared<Outcome<R>>(failed ? Outcome<R>(*failed) : execute(job, *j));
            if (j != nullptr && j->card_replaced()) announceReplaced(j->reader());
            QMetaObject::invokeMethod(
                this,
                [this, guard, done, outcome]() {
                    if (guard) done(std::move(*outcome));
                    endJob();
                },
                Qt::QueuedConnection);
        });
    }

  signals:
    void readersChanged();
    void busyChanged(bool busy);
    // Another card is in `reader` than the one jobs read before (found after
    // a reset). Emitted before the failed job's outcome arrives: whatever
    // was shown of the old card must go, the new one is read afresh.
    void cardReplaced(const QString& reader);

  private:
    using Task = std::function<void(CardJob*, const Error*)>;

    template <class R>
    static Outcome<R> execute(const std::function<R(CardJob&)>& job, CardJob& j) {
        try {
            return Outcome<R>(std::in_place_index<0>, job(j));
        } catch (const Error& e) {
            return Outcome<R>(std::in_place_index<1>, e);
        } catch (const std::exception& e) {
            return Outcome<R>(std::in_place_index<1>, Error(Errc::internal, e.what()));
        }
    }

    void enqueue(std::string reader, Task task);
    // Posts cardReplaced (worker thread; queued before the job's outcome).
    void announceReplaced(const std::string& reader);
    void beginJob();
    void endJob();
    void monitorLoop(const std::stop_token& stop);
    void workerLoop(const std::stop_token& stop);

    std::filesystem::path audit_path_;
    QList<ReaderInfo> readers_;
    int pending_ = 0;

    std::mutex mutex_;
    std::condition_variable_any queue_cv_;
    std::deque<std::pair<std::string, Task>> queue_;
    std::jthread monitor_;
    std::jthread worker_;
};

}  // namespace mynacard::gui
