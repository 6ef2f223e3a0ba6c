#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "core/error.h"
#include "gui/common/card_service.h"

namespace mynacard::gui {

// One background thread for the desk's slow work that is not the card's:
// the terminal folders (an answer takes seconds) and the face folder (a
// network mount may hang). Jobs run one at a time, in order; the outcome is
// handed back on the worker object's thread (the UI thread), and dropped
// when the receiver is gone. The destructor waits for the running job.
class DeskWorker : public QObject {
    Q_OBJECT
  public:
    explicit DeskWorker(QObject* parent = nullptr);
    ~DeskWorker() override;
    DeskWorker(const DeskWorker&) = delete;
    DeskWorker& operator=(const DeskWorker&) = delete;

    template <class R>
    void run(std::function<R()> job, QObject* receiver, std::function<void(Outcome<R>)> done) {
        QPointer<QObject> guard(receiver);
        enqueue([this, job = std::move(job), guard, done = std::move(done)]() {
            auto outcome = std::make_shared<Outcome<R>>(execute(job));
            QMetaObject::invokeMethod(
                this,
                [guard, done, outcome]() {
                    if (guard) done(std::move(*outcome));
                },
                Qt::QueuedConnection);
        });
    }

  private:
    template <class R>
    static Outcome<R> execute(const std::function<R()>& job) {
        try {
            return Outcome<R>(std::in_place_index<0>, job());
        } catch (const Error& e) {
            return Outcome<R>(std::in_place_index<1>, e);
        } catch (const std::exception& e) {
            return Outcome<R>(std::in_place_index<1>, Error(Errc::internal, e.what()));
        }
    }
    void enqueue(std::function<void()> task);
    void loop(const std::stop_token& stop);

    std::mutex mutex_;
    std::condition_variable_any cv_;
    std::deque<std::function<void()>> queue_;
    std::jthread thread_;
};

}  // namespace mynacard::gui
