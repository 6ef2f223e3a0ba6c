#include "virtual/sim_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "core/bytes.h"
#include "core/error.h"

namespace mynacard::virtual_reader {

SimClient::SimClient(std::string path) : path_(std::move(path)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.empty() || path_.size() >= sizeof addr.sun_path)
        throw Error(Errc::invalid_argument, "socket path too long: " + path_);
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd_) throw Error(Errc::transport, std::string("socket: ") + std::strerror(errno));
    if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        throw Error(Errc::reader_unavailable,
                    "no virtual reader answers at " + path_ + " (" + std::strerror(errno) + ")");
}

nlohmann::json SimClient::request(nlohmann::json& request) {
    std::string line = request.dump() + "\n";
    if (request.is_object() && request.contains("pin") && request["pin"].is_string()) {
        auto& pin = request["pin"].get_ref<std::string&>();
        secure_zero(pin.data(), pin.size());
    }
    std::size_t sent = 0;
    while (sent < line.size()) {
        const auto n = ::send(fd_.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            secure_zero(line.data(), line.size());
            throw Error(Errc::transport,
                        std::string("control socket send: ") + std::strerror(errno));
        }
        sent += static_cast<std::size_t>(n);
    }
    secure_zero(line.data(), line.size());
    auto response = read_line();
    if (!response) throw Error(Errc::transport, "the virtual reader closed the control connection");
    return *response;
}

std::optional<nlohmann::json> SimClient::read_line(int timeout_ms) {
    for (;;) {
        const auto nl = buffer_.find('\n');
        if (nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            auto j = nlohmann::json::parse(line, nullptr, false);
            if (j.is_discarded())
                throw Error(Errc::malformed_data, "the virtual reader sent invalid JSON");
            return j;
        }
        pollfd p{fd_.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, timeout_ms);
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw Error(Errc::transport,
                        std::string("control socket poll: ") + std::strerror(errno));
        }
        if (ready == 0) return std::nullopt;
        char buf[4096];
        const auto n = ::recv(fd_.get(), buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(Errc::transport,
                        std::string("control socket recv: ") + std::strerror(errno));
        }
        if (n == 0) return std::nullopt;
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace mynacard::virtual_reader
