#pragma once

// Shared by the IFD handler and mynacard-sim: where the control socket lives
// and the names of the protocol's requests (README.md, "Control socket").

#include <cstdlib>
#include <string>

namespace mynacard::virtual_reader {

inline constexpr const char* socket_env = "MYNACARD_SIM_SOCKET";
// pcscd 1.9.9 keeps its own socket in /run/pcscd (pcsclite.h PCSCLITE_IPC_DIR),
// so the control socket sits beside it and shares its mount namespace.
inline constexpr const char* default_socket = "/run/pcscd/mynacard-sim.sock";

// $MYNACARD_SIM_SOCKET if set and non-empty, else the default.
[[nodiscard]] inline std::string socket_path_from_environment() {
    const char* env = std::getenv(socket_env);  // NOLINT(concurrency-mt-unsafe)
    if (env != nullptr && *env != '\0') return env;
    return default_socket;
}

// Bounded trace ring (entries) kept by the handler.
inline constexpr std::size_t trace_capacity = 10000;

}  // namespace mynacard::virtual_reader
