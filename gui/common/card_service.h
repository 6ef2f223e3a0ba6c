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
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

#include "audit/audit.h"
#include "card/card.h"
#include "core/error.h"
#include "session/session.h"
#include "session/source.h"

namespace mynacard::gui {

struct ReaderInfo {
    QString name;
    bool card_present = false;
    bool mute = false;  // a card is in but does not answer
    friend bool operator==(const ReaderInfo&, const ReaderInfo&) = default;
};

// What a job sees on the worker thread: the card in one reader, reached
// through the worker's session::Session (its connection and the card's
// identity are kept there), and the audit trail every card use goes to
// (decision 11).
class CardJob {
  public:
    // What the session knows of the card in `reader` now is remembered to
    // tell, after the job, whether the job met another card
    // (card_replaced()).
    CardJob(session::Session& session, std::string reader)
        : session_(session),
          reader_(std::move(reader)),
          known_at_start_(session.known_card(reader_)) {}

    [[nodiscard]] const std::string& reader() const noexcept { return reader_; }
    [[nodiscard]] session::Session& session() noexcept { return session_; }

    // Runs `fn(card::MyNumberCard&)` on the card (Session::use).
    template <class F>
    decltype(auto) use(F&& fn) {
        return session_.use(reader_, [&](card::MyNumberCard& card) -> decltype(auto) {
            const Watch watch(*this);
            return fn(card);
        });
    }
    // The same, recorded in the audit log with its outcome
    // (Session::audited); `fn` may take a session::Subject& as second
    // argument to add the certificate it read.
    template <class F>
    decltype(auto) audited(audit::Operation operation, session::Subject subject, F&& fn) {
        return session_.audited(
            reader_, operation, std::move(subject),
            [&](card::MyNumberCard& card, session::Subject& s) -> decltype(auto) {
                const Watch watch(*this);
                if constexpr (std::is_invocable_v<F&, card::MyNumberCard&, session::Subject&>)
                    return fn(card, s);
                else
                    return fn(card);
            });
    }

    // True when the card was known before the job and the job found another
    // one: the card layer's check after a reset (decision 8) failed and
    // forgot the identity, or another authentication certificate was read.
    [[nodiscard]] bool card_replaced() const noexcept { return replaced_; }

  private:
    // Looks at the card's identity when an operation ends, either way, while
    // the session still keeps it: an operation that fails is followed by the
    // session forgetting the card, whether it left or another one came.
    struct Watch {
        explicit Watch(CardJob& j) noexcept : job(j) {}
        CardJob& job;
        Watch(const Watch&) = delete;
        Watch& operator=(const Watch&) = delete;
        ~Watch() { job.noteIdentity(); }
    };
    void noteIdentity() noexcept;

    session::Session& session_;
    std::string reader_;
    Bytes known_at_start_;  // the public authentication certificate
    bool replaced_ = false;
};

// The result of a job: its value, or the error that ended it.
template <class R>
using Outcome = std::variant<R, Error>;

// Card I/O off the UI thread (decision 8: one card source, one PC/SC
// context, per thread). A monitor thread follows readers and cards with a
// source of its own (wait_for_change, a new context after a pcscd restart)
// and reports them through readersChanged(); a worker thread owns the one
// session::Session every job goes through, runs jobs one at a time and
// hands the outcome back on the thread of a receiver object. The UI thread
// never touches the card.
//
// The session keeps per reader the connection and the card's identity for
// as long as the same card is in: a reset by another process then shows up
// on the next job, and the card layer checks that the card is still the one
// whose authentication certificate was read (decision 8). Before each job
// the worker asks the session for the readers, so a card that left or was
// put in (pcscd's event counter moved) is forgotten first. A job that finds
// another card fails (Errc::card_removed) after cardReplaced() was emitted.
// Audit records are best effort (session::AuditWrite::best_effort): a log
// that cannot be written does not undo what the card did.
class CardService : public QObject {
    Q_OBJECT
  public:
    // Makes a card source; called once on each of the two threads.
    using SourceFactory = std::function<std::unique_ptr<session::CardSource>()>;

    // Cards through pcscd (session::pcsc_source()).
    explicit CardService(std::filesystem::path audit_log = audit::Log::default_path(),
                         QObject* parent = nullptr);
    CardService(SourceFactory sources, std::filesystem::path audit_log, QObject* parent = nullptr);
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

    SourceFactory sources_;
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
