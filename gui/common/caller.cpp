#include "gui/common/caller.h"

#include <sys/socket.h>
#include <unistd.h>

namespace mynacard::gui {

long verified_caller_pid(int channel_fd) {
    if (channel_fd >= 0) {
        ucred cred{};
        socklen_t size = sizeof cred;
        if (::getsockopt(channel_fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) == 0 &&
            size == sizeof cred && cred.pid > 0)
            return static_cast<long>(cred.pid);
    }
    return static_cast<long>(::getppid());
}

std::string program_name(const std::string& executable) {
    const auto slash = executable.rfind('/');
    return slash == std::string::npos ? executable : executable.substr(slash + 1);
}

}  // namespace mynacard::gui
