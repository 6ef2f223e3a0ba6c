#pragma once

// Terminal mode (`serve --terminal-dir DIR`): the reference service also
// plays the qualification terminal's 連携アプリ for the clinic side
// (qualification::TerminalFolders): it answers every
// req/OQSsiquc01req_<id>.xml and req/OQSsiimm01req_<id>.xml with
// res/…res_<id>.xml from its records, and drops the result of each card
// check it served over HTTPS into face/ (OQSsiquc01res_face_<id>.xml).
// Files are written atomically (dot-named temporary, fsync, rename); a
// request is read once it has stopped changing, and one that still does
// not parse after kMalformedAfter is answered with an error and removed.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "qualification/folder_io.h"
#include "qualification/xml_msg.h"
#include "qualification_server/store.h"

namespace mynacard::qualification::server {

class TerminalResponder {
  public:
    // How long a request that does not parse may still be in the middle of
    // being written (a writer that pauses longer than the settle time).
    static constexpr std::chrono::milliseconds kMalformedAfter{2000};

    TerminalResponder(std::filesystem::path root, Store& store,
                      std::function<void(std::string_view)> log,
                      std::chrono::milliseconds poll = std::chrono::milliseconds(200),
                      std::chrono::milliseconds stable_for = std::chrono::milliseconds(300));
    ~TerminalResponder();
    TerminalResponder(const TerminalResponder&) = delete;
    TerminalResponder& operator=(const TerminalResponder&) = delete;

    void start();
    void stop();
    // One look at req/: answers what has settled. The thread calls it.
    void scan();
    // Writes a card-check answer into face/. Never throws (logged).
    void drop_face(const XmlMsg& answer) noexcept;

  private:
    void loop();
    void handle(const std::filesystem::path& file, const std::string& prefix,
                const std::string& id);
    [[nodiscard]] XmlMsg answer_qualification(const XmlMsg& request, const std::string& id);
    [[nodiscard]] XmlMsg answer_registration(const XmlMsg& request, const std::string& id);

    std::filesystem::path root_;
    Store& store_;
    std::function<void(std::string_view)> log_;
    std::chrono::milliseconds poll_;
    detail::SettleTracker settle_;
    // Requests that did not parse: since when, in this state.
    std::map<std::string, std::pair<detail::FileState, detail::Clock::time_point>> failing_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::mutex join_mutex_;
    std::thread thread_;
};

}  // namespace mynacard::qualification::server
