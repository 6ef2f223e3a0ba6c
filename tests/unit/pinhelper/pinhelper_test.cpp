// pinhelper::ask against a fake `mynacard-helper`: a shell script that
// records its argv, checks what it inherited (fd 3 the pipe, stdin and
// stdout /dev/null, nothing else) and answers as $FAKE_MODE says.
#include "pinhelper/pinhelper.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "core/error.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using namespace mynacard;
using namespace mynacard::pinhelper;

namespace {

constexpr const char* fake_script = R"(#!/bin/bash
# Records argv one per line, then answers as $FAKE_MODE says.
printf '%s\n' "$@" >"$FAKE_DIR/args"
problems=""
[[ $(readlink /proc/$$/fd/0) == /dev/null ]] || problems+="stdin "
[[ $(readlink /proc/$$/fd/1) == /dev/null ]] || problems+="stdout "
[[ -p /proc/$$/fd/3 || $(readlink /proc/$$/fd/3) == pipe:* ]] || problems+="fd3 "
if [[ -n ${FAKE_LEAK_FD:-} && -e /proc/$$/fd/$FAKE_LEAK_FD ]]; then problems+="leak "; fi
echo "$problems" >"$FAKE_DIR/problems"
case $FAKE_MODE in
  entered) printf '%s\n' "$FAKE_PIN" >&3; exit 0 ;;
  cancelled) exit 10 ;;
  timed_out) exit 11 ;;
  no_display) exit 12 ;;
  blocked) exit 13 ;;
  usage) exit 2 ;;
  other) exit 1 ;;
  no_newline) printf '%s' "$FAKE_PIN" >&3; exit 0 ;;
  too_long) printf '%065d\n' 1 >&3; exit 0 ;;
  extra) printf '1234\nmore\n' >&3; exit 0 ;;
  empty) printf '\n' >&3; exit 0 ;;
  silent) exit 0 ;;
  killed) kill -9 $$ ;;
  entered_then_fail) printf '1234\n' >&3; exit 10 ;;
  confirmed) printf 'confirmed\n' >&3; exit 0 ;;
  confirmed_then_fail) printf 'confirmed\n' >&3; exit 1 ;;
  confirmed_twice) printf 'confirmed\nconfirmed\n' >&3; exit 0 ;;
  garbage) printf 'confirmedX\n' >&3; exit 0 ;;
esac
exit 99
)";

class pinhelper_ask : public ::testing::Test {
  protected:
    void SetUp() override {
        // Not a name built from the pid: another user could plant a helper
        // script there before the test runs it.
        scratch_.emplace("pinhelper-test");
        dir_ = scratch_->path();
        helper_ = dir_ / "fake-helper";
        std::ofstream(helper_) << fake_script;
        fs::permissions(helper_, fs::perms::owner_all);
        ::setenv("MYNACARD_HELPER", helper_.c_str(), 1);
        ::setenv("FAKE_DIR", dir_.c_str(), 1);
        ::setenv("DISPLAY", ":99", 1);
        ::unsetenv("WAYLAND_DISPLAY");
        ::unsetenv("FAKE_LEAK_FD");
        ::setenv("FAKE_PIN", "1234", 1);
    }
    void TearDown() override { scratch_.reset(); }
    [[nodiscard]] std::string file(const char* name) const {
        std::ifstream f(dir_ / name);
        std::stringstream s;
        s << f.rdbuf();
        return s.str();
    }
    static Request request() {
        Request r;
        r.pin = card::Pin::auth;
        r.purpose = Purpose::login;
        r.program = "/usr/bin/firefox";
        r.pid = 4242;
        r.reader = "Virtual Reader 00 00";
        r.tries_left = 3;
        return r;
    }
    static Errc error_of(const char* mode) {
        ::setenv("FAKE_MODE", mode, 1);
        try {
            (void)ask(request());
        } catch (const Error& e) {
            return e.code();
        }
        ADD_FAILURE() << mode << ": no error";
        return Errc::internal;
    }

    std::optional<mynacard::test::TempDir> scratch_;
    fs::path dir_;
    fs::path helper_;
};

TEST(pinhelper_protocol, ArgumentsNameEverythingButThePin) {
    Request r;
    r.pin = card::Pin::sign;
    r.purpose = Purpose::read_certificate;
    r.program = "/usr/bin/mynacard";
    r.pid = 77;
    r.reader = "Reader A";
    r.tries_left = 5;
    r.timeout = std::chrono::seconds(30);
    const std::vector<std::string> want{"pin",
                                        "--pin",
                                        "sign",
                                        "--purpose",
                                        "read-certificate",
                                        "--program",
                                        "/usr/bin/mynacard",
                                        "--pid",
                                        "77",
                                        "--reader",
                                        "Reader A",
                                        "--tries-left",
                                        "5",
                                        "--timeout",
                                        "30",
                                        "--pin-fd",
                                        "3"};
    EXPECT_EQ(arguments(r, 3), want);

    r.tries_left = -1;  // unknown: left out, as is a zero timeout
    r.timeout = std::chrono::seconds(0);
    const auto a = arguments(r, 7);
    EXPECT_EQ(std::find(a.begin(), a.end(), "--tries-left"), a.end());
    EXPECT_EQ(std::find(a.begin(), a.end(), "--timeout"), a.end());
    EXPECT_EQ(a.back(), "7");
}

TEST(pinhelper_protocol, NewPinEntriesSayWhichAndCarryNoTries) {
    Request r;
    r.pin = mynacard::card::Pin::sign;
    r.purpose = Purpose::change_pin;
    r.tries_left = 2;
    r.entry = mynacard::pinhelper::Entry::new_pin;
    const auto a = arguments(r, 3);
    const auto e = std::find(a.begin(), a.end(), "--entry");
    ASSERT_NE(e, a.end());
    EXPECT_EQ(*(e + 1), "new");
    EXPECT_EQ(std::find(a.begin(), a.end(), "--tries-left"), a.end());
    r.entry = mynacard::pinhelper::Entry::repeat_new;
    const auto rep = arguments(r, 3);
    EXPECT_NE(std::find(rep.begin(), rep.end(), "repeat"), rep.end());
    r.entry = mynacard::pinhelper::Entry::current;
    const auto c = arguments(r, 3);
    EXPECT_EQ(std::find(c.begin(), c.end(), "--entry"), c.end());
    for (const auto x : {mynacard::pinhelper::Entry::current, mynacard::pinhelper::Entry::new_pin,
                         mynacard::pinhelper::Entry::repeat_new})
        EXPECT_EQ(mynacard::pinhelper::entry_from_string(mynacard::pinhelper::to_string(x)), x);
    EXPECT_FALSE(mynacard::pinhelper::entry_from_string("old").has_value());
}

TEST(pinhelper_protocol, PurposeNamesRoundTrip) {
    for (const Purpose p : {Purpose::login, Purpose::sign, Purpose::read_certificate,
                            Purpose::change_pin, Purpose::read_text}) {
        EXPECT_EQ(purpose_from_string(to_string(p)), p);
    }
    EXPECT_FALSE(purpose_from_string("anything").has_value());
    EXPECT_FALSE(purpose_from_string("").has_value());
}

TEST_F(pinhelper_ask, FindsOnlyAnExecutableFile) {
    EXPECT_EQ(find_helper(), helper_);
    fs::permissions(helper_, fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_FALSE(find_helper().has_value());
    ::setenv("MYNACARD_HELPER", dir_.c_str(), 1);  // a directory is executable, not a file
    EXPECT_FALSE(find_helper().has_value());
    ::setenv("MYNACARD_HELPER", (dir_ / "missing").c_str(), 1);
    EXPECT_FALSE(find_helper().has_value());
}

TEST_F(pinhelper_ask, AvailableNeedsADisplay) {
    EXPECT_TRUE(available());
    ::unsetenv("DISPLAY");
    EXPECT_FALSE(available());
    ::setenv("WAYLAND_DISPLAY", "wayland-0", 1);
    EXPECT_TRUE(available());
    ::setenv("WAYLAND_DISPLAY", "", 1);
    EXPECT_FALSE(available());
    ::setenv("DISPLAY", ":0", 1);
    ::setenv("MYNACARD_HELPER", (dir_ / "missing").c_str(), 1);
    EXPECT_FALSE(available());
}

TEST_F(pinhelper_ask, ReadsThePinFromThePipeNotArgv) {
    ::setenv("FAKE_MODE", "entered", 1);
    ::setenv("FAKE_PIN", "ABC123", 1);
    auto r = request();
    r.pin = card::Pin::sign;
    r.purpose = Purpose::sign;
    const SecureBytes pin = ask(r);
    EXPECT_EQ(std::string(pin.begin(), pin.end()), "ABC123");
    const std::string args = file("args");
    EXPECT_EQ(args.find("ABC123"), std::string::npos) << args;
    EXPECT_NE(args.find("--pin-fd\n3\n"), std::string::npos) << args;
    EXPECT_NE(args.find("--program\n/usr/bin/firefox\n"), std::string::npos) << args;
    EXPECT_NE(args.find("--reader\nVirtual Reader 00 00\n"), std::string::npos) << args;
    EXPECT_EQ(file("problems"), "\n");
}

TEST_F(pinhelper_ask, InheritsNoOtherDescriptor) {
    // Inheritable (no FD_CLOEXEC), as a careless host leaves them.
    const int leak = ::fcntl(STDERR_FILENO, F_DUPFD, 20);
    ASSERT_GE(leak, 0);
    ::setenv("FAKE_LEAK_FD", std::to_string(leak).c_str(), 1);
    ::setenv("FAKE_MODE", "entered", 1);
    (void)ask(request());
    ::close(leak);
    EXPECT_EQ(file("problems"), "\n");
}

TEST_F(pinhelper_ask, ExitCodesMapToErrors) {
    EXPECT_EQ(error_of("cancelled"), Errc::cancelled);
    EXPECT_EQ(error_of("timed_out"), Errc::timeout);
    EXPECT_EQ(error_of("no_display"), Errc::unsupported);
    EXPECT_EQ(error_of("blocked"), Errc::pin_blocked);
    EXPECT_EQ(error_of("usage"), Errc::internal);
    EXPECT_EQ(error_of("other"), Errc::transport);
    EXPECT_EQ(error_of("killed"), Errc::transport);
    // A PIN on the pipe does not count when the exit code says otherwise.
    EXPECT_EQ(error_of("entered_then_fail"), Errc::cancelled);
}

TEST_F(pinhelper_ask, MalformedAnswersAreRefused) {
    EXPECT_EQ(error_of("no_newline"), Errc::transport);
    EXPECT_EQ(error_of("too_long"), Errc::transport);
    EXPECT_EQ(error_of("extra"), Errc::transport);
    EXPECT_EQ(error_of("empty"), Errc::transport);
    EXPECT_EQ(error_of("silent"), Errc::transport);
}

TEST_F(pinhelper_ask, NoHelperOrNoDisplayIsUnsupported) {
    ::setenv("FAKE_MODE", "entered", 1);
    ::unsetenv("DISPLAY");
    EXPECT_EQ(error_of("entered"), Errc::unsupported);
    ::setenv("DISPLAY", ":99", 1);
    ::setenv("MYNACARD_HELPER", (dir_ / "missing").c_str(), 1);
    EXPECT_EQ(error_of("entered"), Errc::unsupported);
}

void on_signal(int /*unused*/) {}

TEST_F(pinhelper_ask, HostSignalHandlersStayAndIgnoredSigchldWorks) {
    struct sigaction mine {};
    mine.sa_handler = on_signal;
    ::sigemptyset(&mine.sa_mask);
    struct sigaction old_pipe {};
    ASSERT_EQ(::sigaction(SIGPIPE, &mine, &old_pipe), 0);

    // A host that ignores SIGCHLD has its children reaped by the kernel:
    // waitpid fails with ECHILD and the pipe alone decides.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    struct sigaction old_chld {};
    ASSERT_EQ(::sigaction(SIGCHLD, &ignore, &old_chld), 0);

    ::setenv("FAKE_MODE", "entered", 1);
    const SecureBytes pin = ask(request());
    EXPECT_EQ(std::string(pin.begin(), pin.end()), "1234");
    EXPECT_EQ(error_of("cancelled"), Errc::cancelled);
    EXPECT_EQ(error_of("no_newline"), Errc::cancelled);

    struct sigaction now {};
    ASSERT_EQ(::sigaction(SIGPIPE, nullptr, &now), 0);
    EXPECT_EQ(now.sa_handler, &on_signal);
    ASSERT_EQ(::sigaction(SIGCHLD, nullptr, &now), 0);
    EXPECT_EQ(now.sa_handler, SIG_IGN);

    ::sigaction(SIGCHLD, &old_chld, nullptr);
    ::sigaction(SIGPIPE, &old_pipe, nullptr);
}

// --entry confirm: the last try of a PIN the program supplied (decision 5).
TEST_F(pinhelper_ask, LastTryConfirmationNeedsTheConfirmedLine) {
    auto r = request();
    r.tries_left = 1;
    ::setenv("FAKE_MODE", "confirmed", 1);
    EXPECT_TRUE(confirm_last_try(r));
    const std::string args = file("args");
    EXPECT_NE(args.find("--entry\nconfirm\n"), std::string::npos) << args;
    EXPECT_NE(args.find("--program\n/usr/bin/firefox\n"), std::string::npos) << args;
    EXPECT_NE(args.find("--reader\nVirtual Reader 00 00\n"), std::string::npos) << args;
    EXPECT_EQ(args.find("--tries-left"), std::string::npos) << args;
    EXPECT_EQ(file("problems"), "\n");

    // Everything else is a no, never an error the caller might retry past.
    for (const char* mode :
         {"cancelled", "timed_out", "silent", "garbage", "entered", "confirmed_then_fail",
          "confirmed_twice", "killed", "usage", "other"}) {
        ::setenv("FAKE_MODE", mode, 1);
        EXPECT_FALSE(confirm_last_try(r)) << mode;
    }
    // A PIN-looking answer is not consent either.
    ::setenv("FAKE_MODE", "entered", 1);
    ::setenv("FAKE_PIN", "confirmed ", 1);
    EXPECT_FALSE(confirm_last_try(r));
}

TEST_F(pinhelper_ask, LastTryConfirmationWithoutHelperOrDisplayIsUnsupported) {
    ::setenv("FAKE_MODE", "confirmed", 1);
    ::unsetenv("DISPLAY");
    try {
        (void)confirm_last_try(request());
        ADD_FAILURE() << "no error without a display";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::unsupported);
    }
    ::setenv("DISPLAY", ":99", 1);
    ::setenv("MYNACARD_HELPER", (dir_ / "missing").c_str(), 1);
    try {
        (void)confirm_last_try(request());
        ADD_FAILURE() << "no error without a helper";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::unsupported);
    }
}

TEST(pinhelper_protocol, ConfirmEntryNameRoundTrips) {
    EXPECT_EQ(to_string(Entry::confirm_last_try), "confirm");
    EXPECT_EQ(entry_from_string("confirm"), Entry::confirm_last_try);
    Request r;
    r.entry = Entry::confirm_last_try;
    r.tries_left = 1;
    const auto a = arguments(r, 3);
    const auto e = std::find(a.begin(), a.end(), "--entry");
    ASSERT_NE(e, a.end());
    EXPECT_EQ(*(e + 1), "confirm");
}

TEST_F(pinhelper_ask, ChildIsReaped) {
    ::setenv("FAKE_MODE", "entered", 1);
    (void)ask(request());
    EXPECT_EQ(error_of("cancelled"), Errc::cancelled);
    // No zombie left: there is no child to wait for.
    errno = 0;
    EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
}

}  // namespace
