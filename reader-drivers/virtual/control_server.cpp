#include "virtual/control_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "virtual/log.h"
#include "virtual/simulator.h"

namespace mynacard::virtual_reader {

namespace {

constexpr std::size_t max_clients = 32;
constexpr std::size_t max_line = 1U << 20;      // a request never gets near this
constexpr std::size_t max_backlog = 16U << 20;  // a follower that stops reading is dropped
constexpr int follow_poll_ms = 100;

[[noreturn]] void fail(const std::string& what) {
    throw Error(Errc::io, what + ": " + std::strerror(errno));
}

struct Client {
    UniqueFd fd;
    std::string in;
    std::string out;
    bool follow = false;
    std::optional<int> follow_reader;
    std::uint64_t follow_seq = 0;
    bool eof = false;      // peer closed its side: answer, then close
    bool closing = false;  // error: drop now
};

void handle_line(Simulator& simulator, Client& client, std::string& line) {
    Follow follow;
    client.out += answer_line(simulator, line, follow) + "\n";
    if (follow.requested) {
        client.follow = true;
        client.follow_reader = follow.reader;
        client.follow_seq = follow.after_seq;
    }
}

}  // namespace

std::string answer_line(Simulator& simulator, std::string& line, Follow& follow) {
    nlohmann::json response;
    nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
    if (request.is_discarded()) {
        response = {{"ok", false}, {"error", "request is not valid JSON"}};
    } else {
        response = simulator.handle(request);
        // Read with checked types: a field of the wrong type is the
        // client's mistake, not a reason to take pcscd down.
        const auto field = [&](const char* key) -> const nlohmann::json* {
            if (!request.is_object()) return nullptr;
            const auto it = request.find(key);
            return it == request.end() ? nullptr : &*it;
        };
        const auto* cmd = field("cmd");
        const auto* wants_follow = field("follow");
        const auto ok = response.find("ok");
        if (cmd != nullptr && cmd->is_string() && cmd->get_ref<const std::string&>() == "trace" &&
            wants_follow != nullptr && wants_follow->is_boolean() && wants_follow->get<bool>() &&
            ok != response.end() && ok->is_boolean() && ok->get<bool>()) {
            follow.requested = true;
            const auto* reader = field("reader");
            if (reader != nullptr && reader->is_number_integer())
                follow.reader = reader->get<int>();
            const auto last = response.find("last_seq");
            if (last != response.end() && last->is_number_unsigned())
                follow.after_seq = last->get<std::uint64_t>();
            response["follow"] = true;
        }
        if (const auto* pin = field("pin"); pin != nullptr && pin->is_string()) {
            auto& text = request["pin"].get_ref<std::string&>();
            secure_zero(text.data(), text.size());
        }
    }
    secure_zero(line.data(), line.size());
    // An error text may quote the request, and the request need not be
    // UTF-8: dump() would throw on it, so invalid bytes become U+FFFD.
    return response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ControlServer::ControlServer(Simulator& simulator, std::string path)
    : simulator_(simulator), path_(std::move(path)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.empty() || path_.size() >= sizeof addr.sun_path)
        throw Error(Errc::invalid_argument, "socket path too long: " + path_);
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);

    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) throw Error(Errc::io, path_ + " exists and is not a socket");
        ::unlink(path_.c_str());  // stale socket of an earlier run
    }

    listen_fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!listen_fd_) fail("socket");
    if (::bind(listen_fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        fail("bind " + path_);
    if (::chmod(path_.c_str(), 0600) != 0) fail("chmod " + path_);
    if (::listen(listen_fd_.get(), 16) != 0) fail("listen");

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) fail("pipe");
    wake_read_.reset(fds[0]);
    wake_write_.reset(fds[1]);
    thread_ = std::thread([this] { run(); });
}

ControlServer::~ControlServer() {
    const char byte = 'x';
    [[maybe_unused]] auto n = ::write(wake_write_.get(), &byte, 1);
    if (thread_.joinable()) thread_.join();
    ::unlink(path_.c_str());
}

void ControlServer::run() noexcept {
    std::vector<std::unique_ptr<Client>> clients;
    try {
        for (;;) {
            std::vector<pollfd> fds;
            fds.push_back({wake_read_.get(), POLLIN, 0});
            fds.push_back({listen_fd_.get(), POLLIN, 0});
            bool any_follower = false;
            for (auto& c : clients) {
                short events = c->eof ? 0 : POLLIN;
                if (!c->out.empty()) events = static_cast<short>(events | POLLOUT);
                fds.push_back({c->fd.get(), events, 0});
                any_follower = any_follower || c->follow;
            }
            int n = ::poll(fds.data(), fds.size(), any_follower ? follow_poll_ms : -1);
            if (n < 0) {
                if (errno == EINTR) continue;
                log_error(std::string("control socket poll: ") + std::strerror(errno));
                return;
            }
            if ((fds[0].revents & POLLIN) != 0) return;  // stop requested

            if ((fds[1].revents & POLLIN) != 0) {
                int fd =
                    ::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (fd >= 0) {
                    if (clients.size() >= max_clients) {
                        ::close(fd);
                    } else {
                        auto c = std::make_unique<Client>();
                        c->fd.reset(fd);
                        clients.push_back(std::move(c));
                    }
                }
            }

            for (std::size_t i = 0; i + 2 < fds.size(); ++i) {
                Client& c = *clients[i];
                const auto revents = fds[i + 2].revents;
                if (!c.eof && (revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                    char buf[4096];
                    const auto got = ::recv(c.fd.get(), buf, sizeof buf, 0);
                    if (got <= 0) {
                        if (got == 0)
                            c.eof = true;
                        else if (errno != EAGAIN && errno != EINTR)
                            c.closing = true;
                    } else {
                        c.in.append(buf, static_cast<std::size_t>(got));
                        secure_zero(buf, sizeof buf);
                    }
                    std::size_t nl;
                    while ((nl = c.in.find('\n')) != std::string::npos) {
                        std::string line = c.in.substr(0, nl);
                        secure_zero(c.in.data(), nl);
                        c.in.erase(0, nl + 1);
                        if (!line.empty()) handle_line(simulator_, c, line);
                    }
                    if (c.in.size() > max_line) {
                        secure_zero(c.in.data(), c.in.size());
                        c.closing = true;
                    }
                }
                if (c.follow) {
                    for (const auto& e : simulator_.trace_since(c.follow_seq, c.follow_reader)) {
                        c.out += to_json(e).dump() + "\n";
                        c.follow_seq = e.seq;
                    }
                    if (c.out.size() > max_backlog) c.closing = true;
                }
                if (!c.out.empty()) {
                    const auto sent =
                        ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                    if (sent > 0)
                        c.out.erase(0, static_cast<std::size_t>(sent));
                    else if (sent < 0 && errno != EAGAIN && errno != EINTR)
                        c.closing = true;
                }
                if (c.eof && (c.follow || c.out.empty()))
                    c.closing = true;  // followers stop at EOF
            }
            std::erase_if(clients, [](const auto& c) { return c->closing; });
        }
    } catch (const std::exception& e) {
        log_error(std::string("control thread stopped: ") + e.what());
    } catch (...) {
        log_error("control thread stopped: unknown exception");
    }
}

}  // namespace mynacard::virtual_reader
