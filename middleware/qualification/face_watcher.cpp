#include "qualification/face_watcher.h"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "core/error.h"
#include "qualification/face_journal.h"
#include "qualification/folder_io.h"

namespace mynacard::qualification {
namespace {

std::string sha256_hex(ByteView data) {
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
        throw Error(Errc::internal, "SHA-256 failed");
    return to_hex(ByteView(digest.data(), size), false);
}

// Result files end in .xml; temporary files of any writer (dot files,
// .tmp, ~) are not results.
bool is_result_name(const std::string& name) {
    if (name.empty() || name.front() == '.' || name.size() < 5) return false;
    std::string tail = name.substr(name.size() - 4);
    std::transform(tail.begin(), tail.end(), tail.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
    return tail == ".xml";
}

}  // namespace

struct FaceWatcher::Impl {
    Impl(std::filesystem::path dir, const std::filesystem::path& journal_file,
         FaceWatcherOptions opts)
        : face(std::move(dir)),
          options(opts),
          journal(journal_file),
          settle(opts.stable_for),
          watch(face) {}

    std::filesystem::path face;
    FaceWatcherOptions options;
    detail::FaceJournal journal;
    detail::SettleTracker settle;
    detail::FolderWatch watch;
    bool present = false;
    bool pending = false;  // a file was seen that has not settled yet

    std::filesystem::path rejected() const { return face.parent_path() / "rejected"; }

    void reject(const std::string& name, const std::string& sha, const std::string& reason) {
        std::error_code ec;
        std::filesystem::create_directories(rejected(), ec);
        std::filesystem::rename(face / name, rejected() / name, ec);
        if (ec) {  // another file system: copy, then remove
            std::filesystem::copy_file(face / name, rejected() / name,
                                       std::filesystem::copy_options::overwrite_existing, ec);
            if (!ec) std::filesystem::remove(face / name, ec);
        }
        std::ofstream(rejected() / (name + ".reason.txt")) << reason << '\n';
        journal.record(name, sha, detail::FaceOutcome::rejected);
    }

    bool stale(const detail::FileState& state) const {
        if (!options.max_age) return false;
        const auto mtime = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::nanoseconds(state.mtime_ns)));
        return std::chrono::system_clock::now() - mtime > *options.max_age;
    }

    std::vector<std::string> names() {
        std::vector<std::string> out;
        std::error_code ec;
        std::filesystem::directory_iterator it(face, ec);
        present = !ec;
        for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
            std::string name = it->path().filename().string();
            if (is_result_name(name)) out.push_back(std::move(name));
        }
        // Terminal names carry the time: name order is arrival order.
        std::sort(out.begin(), out.end());
        return out;
    }

    // Handles one settled file; true when it was delivered.
    bool handle(const std::string& name, const Handler& handler) {
        std::optional<Bytes> bytes;
        try {
            bytes = detail::read_bounded(face / name, kMaxFileSize);
        } catch (const Error& e) {
            if (e.code() != Errc::invalid_argument) throw;
            reject(name, "", e.what());
            return false;
        }
        if (!bytes) return false;  // gone meanwhile
        const std::string sha = sha256_hex(*bytes);
        if (journal.has_delivered(sha)) {
            journal.record(name, sha, detail::FaceOutcome::duplicate);
            return false;
        }
        FaceResult result{name, sha, Encoding::utf8, {}, {}};
        try {
            result.encoding = detect_encoding(*bytes);
            result.message = parse(*bytes);
        } catch (const Error& e) {
            reject(name, sha, e.what());
            return false;
        }
        result.bytes = std::move(*bytes);
        // The handler keeps what it needs; the copy here holds personal data.
        struct Wipe {
            Bytes& b;
            ~Wipe() { wipe(b); }
        } wipe_after{result.bytes};
        handler(result);
        journal.record(name, sha, detail::FaceOutcome::delivered);
        if (options.remove_delivered) {
            std::error_code ec;
            std::filesystem::remove(face / name, ec);
        }
        return true;
    }

    std::size_t poll(const Handler& handler) {
        std::size_t delivered = 0;
        pending = false;
        for (const auto& name : names()) {
            if (journal.has_name(name)) {
                settle.forget(name);
                continue;
            }
            const auto state = detail::file_state(face / name);
            if (!state) continue;  // a folder or a symlink named .xml: not ours
            if (!settle.settled(name, *state, detail::Clock::now())) {
                pending = true;
                continue;
            }
            settle.forget(name);
            if (stale(*state)) {
                journal.record(name, "", detail::FaceOutcome::stale);
                continue;
            }
            if (handle(name, handler)) ++delivered;
        }
        return delivered;
    }
};

FaceWatcher::FaceWatcher(std::filesystem::path face_dir, const std::filesystem::path& journal,
                         FaceWatcherOptions options)
    : impl_(std::make_unique<Impl>(std::move(face_dir), journal, options)) {}

FaceWatcher::~FaceWatcher() = default;

std::size_t FaceWatcher::poll(const Handler& handler) {
    return impl_->poll(handler);
}

std::size_t FaceWatcher::wait(std::chrono::milliseconds timeout, const Handler& handler) {
    const auto deadline = detail::Clock::now() + timeout;
    for (;;) {
        if (const std::size_t n = impl_->poll(handler); n > 0) return n;
        const auto now = detail::Clock::now();
        if (now >= deadline) return 0;
        auto step = std::min(impl_->options.poll_interval,
                             std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                                 std::chrono::milliseconds(1));
        // A file still being written is looked at again once it may have settled.
        if (impl_->pending)
            step = std::min(step, impl_->options.stable_for / 2 + std::chrono::milliseconds(1));
        impl_->watch.wait(step);
    }
}

bool FaceWatcher::folder_present() const noexcept {
    return impl_->present;
}

std::filesystem::path FaceWatcher::rejected_dir() const {
    return impl_->rejected();
}

}  // namespace mynacard::qualification
