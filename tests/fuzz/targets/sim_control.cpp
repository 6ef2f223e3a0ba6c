// The virtual reader's control protocol (reader-drivers/virtual/README.md,
// "Control socket"): request lines as a client writes them to the socket,
// answered by virtual_reader::answer_line against a handler with two
// readers (0: contact with a PIN pad, 1: contactless), as pcscd would have
// opened them. The text PROFILE in a line becomes the path of the build's
// default test card, so `insert` can load a card. Every line gets one
// JSON object back with a boolean "ok"; nothing escapes as an exception
// (the handler runs inside pcscd).

#include <nlohmann/json.hpp>

#include <string>

#include "fuzz_target.h"
#include "virtual/control_server.h"
#include "virtual/simulator.h"

namespace vr = mynacard::virtual_reader;
using mynacard::fuzz::require;

MYNACARD_FUZZ_TARGET(sim_control) {
    const std::string profile = std::string(MYNACARD_TEST_PROFILES) + "/default";
    // A fresh handler per input (never started: no socket is bound), so no
    // state piles up over millions of inputs.
    vr::Simulator simulator("/nonexistent/mynacard-fuzz.sock");
    std::string error;
    (void)simulator.open_channel(0, {0, vr::ReaderMode::contact, true}, error);
    (void)simulator.open_channel(1, {1, vr::ReaderMode::contactless, false}, error);
    const std::string input(reinterpret_cast<const char*>(data), size);
    std::size_t start = 0;
    for (int lines = 0; start <= input.size() && lines < 16; ++lines) {
        const auto end = std::min(input.find('\n', start), input.size());
        std::string line = input.substr(start, end - start);
        start = end + 1;
        for (auto at = line.find("PROFILE"); at != std::string::npos; at = line.find("PROFILE"))
            line.replace(at, 7, profile);
        vr::Follow follow;
        const std::string answer = vr::answer_line(simulator, line, follow);
        const auto j = nlohmann::json::parse(answer, nullptr, false);
        require(j.is_object() && j.contains("ok") && j["ok"].is_boolean(),
                "an answer that is not an object with a boolean ok");
        require(line.find_first_not_of('\0') == std::string::npos, "the request line was kept");
    }
    (void)simulator.close_channel(0);
    (void)simulator.close_channel(1);
    return 0;
}
