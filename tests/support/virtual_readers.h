#pragma once

// The virtual readers from a test program that runs inside the integration
// fixture (pcscd with libifd-mynacard-virtual, ctest fixture virtual_pcscd):
// mynacard-sim commands, the build's card profiles, and waiting for pcscd
// to see what a command did. Needs GoogleTest and mynacard::pcsc.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "pcsc/pcsc.h"

namespace mynacard::test {

inline std::string build_dir() {
    const char* b = std::getenv("MYNACARD_BUILD_DIR");
    return b ? b : ".";
}

inline std::string profile(const std::string& name) {
    return build_dir() + "/share/mynacard/sim/profiles/" + name;
}

// Runs a shell command; its standard output.
inline std::string run_cmd(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

// mynacard-sim's standard output.
inline std::string sim_output(const std::string& args) {
    return run_cmd(build_dir() + "/bin/mynacard-sim " + args);
}

inline void sim(const std::string& args) {
    ASSERT_EQ(std::system((build_dir() + "/bin/mynacard-sim " + args + " >/dev/null").c_str()), 0)
        << args;
}

// pcscd polls card presence every 400 ms: waits (at most 6 s) until the
// first readers show `present`.
inline void wait_for(const std::vector<bool>& present) {
    using namespace std::chrono_literals;
    for (int i = 0; i < 60; ++i) {
        pcsc::Context ctx;
        const auto st = ctx.states();
        bool all = st.size() >= present.size();
        for (std::size_t r = 0; all && r < present.size(); ++r) all = st[r].present == present[r];
        if (all) return;
        std::this_thread::sleep_for(100ms);
    }
    FAIL() << "pcscd did not reach the expected card states";
}

// The state every test starts from: no faults, the default card with fresh
// counters in reader 0, readers 1 and 2 empty (as tests/integration/lib.sh's
// reset_readers).
inline void reset_readers() {
    for (int i = 0; i < 3; ++i) {
        sim("fault --reader " + std::to_string(i) + " clear");
        sim("remove --reader " + std::to_string(i));
    }
    wait_for({false, false, false});
    sim("insert --reader 0 --fresh " + profile("default"));
    wait_for({true, false, false});
}

}  // namespace mynacard::test
