// TerminalFolders against a test thread that plays the terminal: it picks
// the request up from req/ and answers into res/ — slowly and in parts,
// never, or for another request.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/error.h"
#include "fixtures.h"
#include "qualification/terminal_folders.h"
#include "qualification/xml_msg.h"
#include "support/temp_dir.h"

namespace q = mynacard::qualification;
namespace fs = std::filesystem;
using mynacard::Errc;
using mynacard::Error;
using namespace qualification_test;
using namespace std::chrono_literals;

namespace {

// Short intervals keep the tests fast; the waits stay bounded.
q::FolderOptions fast() {
    q::FolderOptions o;
    o.poll_interval = 20ms;
    o.stable_for = 150ms;
    return o;
}

// The first complete request in req/ (dot files are temporaries), polled
// for at most five seconds.
fs::path wait_for_request(const fs::path& req) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
        for (const auto& e : fs::directory_iterator(req))
            if (e.path().filename().string().front() != '.' && e.path().extension() == ".xml")
                return e.path();
        std::this_thread::sleep_for(5ms);
    }
    return {};
}

fs::path answer_path(const fs::path& res, const fs::path& request) {
    std::string name = request.filename().string();
    return res / name.replace(name.find("req_"), 4, "res_");
}

class Terminal {
  public:
    Terminal(const fs::path& root, std::function<void(const fs::path&, const fs::path&)> answer)
        : thread_([root, answer] {
              const auto request = wait_for_request(root / "req");
              if (!request.empty()) answer(request, answer_path(root / "res", request));
          }) {}
    ~Terminal() { thread_.join(); }

  private:
    std::thread thread_;
};

class TerminalFoldersTest : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(dir_ / "req");
        fs::create_directories(dir_ / "res");
        fs::create_directories(dir_ / "face");
    }
    mynacard::test::TempDir dir_{"qualification-folders"};
};

}  // namespace

TEST_F(TerminalFoldersTest, AnswerWrittenSlowlyInPartsIsReadWhenComplete) {
    q::XmlMsg seen_request;
    Terminal terminal(dir_.path(), [&](const fs::path& request, const fs::path& answer) {
        seen_request = q::parse(bytes(read_text(request)));
        auto reply = q::parse(bytes(fixture("number_answer.xml")));
        reply.header.arbitrary_file_identifier = seen_request.header.arbitrary_file_identifier;
        const auto data = q::write(reply, q::Encoding::shift_jis);
        // Three parts, each well within stable_for of the last: a reader that
        // did not wait for the file to settle would parse half a file.
        std::ofstream out(answer, std::ios::binary);
        const std::size_t third = data.size() / 3;
        for (std::size_t at = 0; at < data.size(); at += third) {
            out.write(reinterpret_cast<const char*>(data.data() + at),
                      static_cast<std::streamsize>(std::min(third, data.size() - at)));
            out.flush();
            std::this_thread::sleep_for(40ms);  // the terminal is slow, not the test
        }
    });
    q::TerminalFolders folders(dir_.path(), fast());
    const auto request = q::parse(bytes(fixture("number_request.xml")));
    auto sent = request;
    sent.header.arbitrary_file_identifier.reset();  // the identifier is then the file's
    const auto reply = folders.ask(sent, 10s);
    EXPECT_EQ(reply.validity(), q::QualificationValidity::valid);
    EXPECT_EQ(reply.body.result_list->front().name, "試験　花子");
    EXPECT_EQ(reply.character_code(), q::Encoding::shift_jis);
    // The request as the terminal saw it: the body unchanged, the
    // identifier set, its encoding declared.
    EXPECT_EQ(seen_request.body, request.body);
    ASSERT_TRUE(seen_request.header.arbitrary_file_identifier);
    EXPECT_EQ(seen_request.header.arbitrary_file_identifier->size(), 22u);
    EXPECT_EQ(seen_request.character_code(), q::Encoding::utf8);
    // Read and removed (decision 11); nothing left behind in res/.
    EXPECT_TRUE(fs::is_empty(dir_ / "res"));
}

TEST_F(TerminalFoldersTest, AskReceivedKeepsTheAnswerAsWritten) {
    mynacard::Bytes written;
    Terminal terminal(dir_.path(), [&](const fs::path& request, const fs::path& answer) {
        auto reply = q::parse(bytes(fixture("number_answer.xml")));
        reply.header.arbitrary_file_identifier =
            q::parse(bytes(read_text(request))).header.arbitrary_file_identifier;
        written = q::write(reply, q::Encoding::shift_jis);
        const fs::path temp = answer.parent_path() / ".answer.part";
        std::ofstream(temp, std::ios::binary)
            .write(reinterpret_cast<const char*>(written.data()),
                   static_cast<std::streamsize>(written.size()));
        fs::rename(temp, answer);
    });
    q::TerminalFolders folders(dir_.path(), fast());
    const auto received = folders.ask_received(q::Exchange::qualification,
                                               q::parse(bytes(fixture("number_request.xml"))), 10s);
    EXPECT_EQ(received.bytes, written);  // Shift_JIS, byte for byte
    EXPECT_EQ(received.message, q::parse(written));
    EXPECT_TRUE(fs::is_empty(dir_ / "res"));
}

TEST_F(TerminalFoldersTest, RegistrationUsesItsOwnFileNames) {
    std::string request_name;
    Terminal terminal(dir_.path(), [&](const fs::path& request, const fs::path& answer) {
        request_name = request.filename().string();
        auto reply = q::parse(bytes(fixture("registration_answer.xml")));
        reply.header.arbitrary_file_identifier =
            q::parse(bytes(read_text(request))).header.arbitrary_file_identifier;
        const auto data = q::write(reply, q::Encoding::utf8);
        std::ofstream(answer, std::ios::binary)
            .write(reinterpret_cast<const char*>(data.data()),
                   static_cast<std::streamsize>(data.size()));
    });
    q::TerminalFolders folders(dir_.path(), fast());
    const auto reply = folders.ask(q::parse(bytes(fixture("registration_request.xml"))), 10s);
    EXPECT_EQ(request_name.rfind("OQSsiimm01req_", 0), 0u) << request_name;
    ASSERT_TRUE(reply.body.registration);
    EXPECT_EQ(reply.body.registration->reference_number, "24434");
}

TEST_F(TerminalFoldersTest, NoAnswerTimesOutAndWithdrawsTheRequest) {
    q::TerminalFolders folders(dir_.path(), fast());
    const auto started = std::chrono::steady_clock::now();
    try {
        (void)folders.ask(q::parse(bytes(fixture("number_request.xml"))), 300ms);
        FAIL() << "answered";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::timeout);
    }
    EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
    EXPECT_TRUE(fs::is_empty(dir_ / "req"));
}

TEST_F(TerminalFoldersTest, AnswerForAnotherRequestIsRefused) {
    Terminal terminal(dir_.path(), [&](const fs::path&, const fs::path& answer) {
        auto reply = q::parse(bytes(fixture("number_answer.xml")));
        reply.header.arbitrary_file_identifier = "someone-else";
        const auto data = q::write(reply, q::Encoding::utf8);
        std::ofstream(answer, std::ios::binary)
            .write(reinterpret_cast<const char*>(data.data()),
                   static_cast<std::streamsize>(data.size()));
    });
    q::TerminalFolders folders(dir_.path(), fast());
    try {
        (void)folders.ask(q::parse(bytes(fixture("number_request.xml"))), 10s);
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::malformed_data);
        EXPECT_NE(std::string(e.what()).find("ArbitraryFileIdentifier"), std::string::npos);
    }
    EXPECT_FALSE(fs::is_empty(dir_ / "res"));  // left for a person to look at
}

TEST_F(TerminalFoldersTest, MissingFoldersAreReported) {
    fs::remove(dir_ / "res");
    q::TerminalFolders folders(dir_.path(), fast());
    try {
        (void)folders.ask(q::parse(bytes(fixture("number_request.xml"))), 1s);
        FAIL() << "sent";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::not_found);
    }
}

TEST(TerminalFolders, IdentifiersAreUnique) {
    const auto a = q::TerminalFolders::new_identifier();
    const auto b = q::TerminalFolders::new_identifier();
    EXPECT_NE(a, b);
    EXPECT_EQ(a.size(), 22u);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}
