// mynacard-qualification-server as a process: serve answers a card check,
// SIGTERM stops it cleanly (exit 0, "stopped" logged, the database intact
// and not locked), and the port is free afterwards.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <regex>

#include "core/error.h"
#include "core/spawn.h"
#include "core/unique_fd.h"
#include "qualification/reference_client.h"
#include "reference_fixture.h"

using namespace mynacard;
using namespace mynacard::qualification;
using namespace std::chrono_literals;
using test::kInstitution;
using test::kPki;
using test::kProfiles;
namespace fs = std::filesystem;

namespace {

// Polls `file` (bounded) until `re` matches its content.
std::optional<std::smatch> wait_for(const fs::path& file, const std::regex& re, std::string& text,
                                    std::chrono::seconds within = 20s) {
    const auto until = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < until) {
        text = fs::exists(file) ? test::slurp(file) : "";
        std::smatch m;
        if (std::regex_search(text, m, re)) return m;
        std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
}

std::optional<int> wait_exit(pid_t pid, std::chrono::seconds within) {
    const auto until = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < until) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) return status;
        std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
}

TEST(ReferenceProcess, ServesThenStopsCleanlyOnSigterm) {
    test::TempDir dir("reference-process");
    const fs::path state = dir / "state";
    const std::string bin = MYNACARD_QUALIFICATION_SERVER;
    server::init_state(state, {kInstitution}, {});
    server::trust_ca(state, kPki / "auth_root.pem");
    test::spit(dir / "record.json",
               R"({"InsurerNumber":"06132013","InsuredIdentificationNumber":"1",
                                        "Birthdate":"19800217","Name":"架空　太郎"})");
    server::enroll(state, kProfiles / "default" / "auth_cert.der", dir / "record.json");

    const UniqueFd out(
        ::open((dir / "out.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    const UniqueFd err(
        ::open((dir / "err.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    const std::array<ChildFd, 2> fds{{{out.get(), 1}, {err.get(), 2}}};
    const pid_t pid =
        spawn_isolated(bin, {"serve", "--state", state.string(), "--listen", "127.0.0.1:0"}, fds);
    std::string text;
    const auto m = wait_for(dir / "out.txt", std::regex(R"(listening on port (\d+))"), text);
    if (!m) {
        ::kill(pid, SIGKILL);
        (void)wait_for_child(pid);
        FAIL() << "no port announced: " << test::slurp(dir / "err.txt");
    }
    const std::string url = "https://127.0.0.1:" + (*m)[1].str();

    const auto key = test::load_key(kProfiles / "default" / "auth_key.pem");
    const XmlMsg answer =
        ReferenceClient(url, state / "server.pem", 10s)
            .check({kInstitution, {}},
                   to_bytes(test::slurp(kProfiles / "default" / "auth_cert.der")),
                   [&](ByteView di) { return test::sign_digest_info(key.get(), di); });
    EXPECT_EQ(answer.validity(), QualificationValidity::valid);

    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    const auto status = wait_exit(pid, 15s);
    if (!status) ::kill(pid, SIGKILL);
    ASSERT_TRUE(status) << "did not stop on SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 0);
    const std::string log = test::slurp(dir / "err.txt");
    EXPECT_NE(log.find("op=serve result=stopped"), std::string::npos) << log;
    EXPECT_NE(log.find("op=check result=answered validity=1"), std::string::npos) << log;
    EXPECT_EQ(log.find("太郎"), std::string::npos);
    // The database is closed and usable: a new record can be enrolled.
    EXPECT_NO_THROW(
        server::enroll(state, kProfiles / "default" / "auth_cert.der", dir / "record.json"));
    // Nobody listens any more.
    try {
        (void)ReferenceClient(url, state / "server.pem", 3s)
            .check({kInstitution, {}},
                   to_bytes(test::slurp(kProfiles / "default" / "auth_cert.der")),
                   [&](ByteView di) { return test::sign_digest_info(key.get(), di); });
        FAIL() << "still answering after SIGTERM";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::service_stopped) << e.what();
    }
}

TEST(ReferenceProcess, SubcommandsHaveHelpAndVersion) {
    test::TempDir dir("reference-help");
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--version"},
                                                 {"serve", "--help"},
                                                 {"init", "--help"},
                                                 {"enroll", "--help"},
                                                 {"import-crl", "--help"}}) {
        const UniqueFd out(
            ::open((dir / "o.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        const std::array<ChildFd, 1> fds{{{out.get(), 1}}};
        const pid_t pid = spawn_isolated(MYNACARD_QUALIFICATION_SERVER, args, fds);
        const auto status = wait_for_child(pid);
        ASSERT_TRUE(status);
        EXPECT_EQ(WEXITSTATUS(*status), 0) << args.front();
        EXPECT_FALSE(test::slurp(dir / "o.txt").empty()) << args.front();
    }
    // A bad institution code is refused with a clear message and exit 1.
    const UniqueFd err(
        ::open((dir / "e.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    const std::array<ChildFd, 1> fds{{{err.get(), 2}}};
    const pid_t pid =
        spawn_isolated(MYNACARD_QUALIFICATION_SERVER,
                       {"init", "--state", (dir / "s").string(), "--institution-code", "123"}, fds);
    const auto status = wait_for_child(pid);
    ASSERT_TRUE(status);
    EXPECT_EQ(WEXITSTATUS(*status), 1);
    EXPECT_NE(test::slurp(dir / "e.txt").find("10 digits"), std::string::npos);
}

}  // namespace
