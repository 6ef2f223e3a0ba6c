// The control protocol's line handling (virtual_reader::answer_line), which
// runs on the handler's thread inside pcscd: whatever a client writes, one
// JSON object comes back and nothing is thrown. Two of these lines used to
// escape as exceptions and end pcscd (std::terminate from a noexcept
// thread): a non-string "cmd" (nlohmann's value() threw type_error outside
// the handler's try). The answer is also dumped with U+FFFD for bytes that
// are not UTF-8, so no error text can make dump() throw either. The fuzz
// target sim_control keeps such inputs in its corpus.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "virtual/control_server.h"
#include "virtual/simulator.h"

namespace vr = mynacard::virtual_reader;
using nlohmann::json;

namespace {

class ControlProtocol : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string error;
        // Reader 0 as pcscd opens it: contact, with a PIN pad. No socket.
        ASSERT_EQ(simulator_.open_channel(0, {0, vr::ReaderMode::contact, true}, error),
                  vr::Outcome::ok)
            << error;
    }
    void TearDown() override { (void)simulator_.close_channel(0); }

    json answer(std::string line, vr::Follow* follow = nullptr) {
        vr::Follow ignored;
        const std::string out = vr::answer_line(simulator_, line, follow ? *follow : ignored);
        EXPECT_EQ(line.find_first_not_of('\0'), std::string::npos) << "line not zeroised";
        const json j = json::parse(out, nullptr, false);
        EXPECT_TRUE(j.is_object() && j.contains("ok") && j["ok"].is_boolean()) << out;
        return j;
    }

    vr::Simulator simulator_{"/nonexistent/mynacard-test.sock"};
};

TEST_F(ControlProtocol, NumberAsCommandIsRefusedNotThrown) {
    EXPECT_FALSE(answer(R"({"cmd":5})")["ok"].get<bool>());
    EXPECT_FALSE(answer(R"({"cmd":null,"follow":true})")["ok"].get<bool>());
}

TEST_F(ControlProtocol, BytesThatAreNotUtf8AreAnsweredAsJson) {
    // nlohmann's parser refuses them; the answer is still one JSON object.
    EXPECT_FALSE(answer("{\"cmd\":\"\xff\xfe\"}")["ok"].get<bool>());
}

TEST_F(ControlProtocol, FollowOnlyForATraceThatAsksWithABoolean) {
    vr::Follow follow;
    EXPECT_TRUE(answer(R"({"cmd":"trace","follow":"yes"})", &follow)["ok"].get<bool>());
    EXPECT_FALSE(follow.requested);
    EXPECT_TRUE(answer(R"({"cmd":"trace","follow":true,"reader":0})", &follow)["ok"].get<bool>());
    EXPECT_TRUE(follow.requested);
    EXPECT_EQ(follow.reader, 0);
}

TEST_F(ControlProtocol, NotJsonAndNotAnObject) {
    EXPECT_FALSE(answer("not json")["ok"].get<bool>());
    EXPECT_FALSE(answer("[]")["ok"].get<bool>());
    EXPECT_TRUE(answer(R"({"cmd":"ping"})")["ok"].get<bool>());
}

TEST_F(ControlProtocol, TypedPinIsQueuedAndTheLineWiped) {
    const json j = answer(R"({"cmd":"pinpad","reader":0,"action":"type","pin":"1234"})");
    EXPECT_TRUE(j["ok"].get<bool>());
    EXPECT_EQ(j["queued"].get<int>(), 1);
}

}  // namespace
