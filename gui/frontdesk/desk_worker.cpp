#include "gui/frontdesk/desk_worker.h"

namespace mynacard::gui {

DeskWorker::DeskWorker(QObject* parent)
    : QObject(parent), thread_([this](const std::stop_token& stop) { loop(stop); }) {}

DeskWorker::~DeskWorker() {
    thread_.request_stop();
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DeskWorker::enqueue(std::function<void()> task) {
    {
        const std::lock_guard lock(mutex_);
        queue_.push_back(std::move(task));
    }
    cv_.notify_one();
}

void DeskWorker::loop(const std::stop_token& stop) {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            if (!cv_.wait(lock, stop, [this] { return !queue_.empty(); })) return;
            task = std::move(queue_.front());
            queue_.pop_front();
        }
        task();
    }
}

}  // namespace mynacard::gui
