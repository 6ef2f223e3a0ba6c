// The consent client: remembered answers, the helper protocol (run against a
// fake helper script through $MYNACARD_HELPER) and the MYNACARD_CONSENT policy.
#include "consent/consent.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/paths.h"
#include "support/temp_dir.h"

namespace c = mynacard::consent;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The asking process in these tests: the test itself, never an interpreter,
// so answers are remembered (an arbitrary pid could be a shell).
long self() {
    return static_cast<long>(::getpid());
}

mynacard::x509::Certificate sim_cert(const std::string& profile, const std::string& file) {
    return mynacard::x509::Certificate::from_file(fs::path(MYNACARD_SIM_DIR) / "profiles" /
                                                  profile / file);
}

// A private directory with a fake helper; the environment the client reads
// (lower-case name so `ctest -R consent` selects these tests too)
// is set per test and restored afterwards.
class consent_client : public ::testing::Test {
  protected:
    void SetUp() override {
        scratch_.emplace("mynacard-consent");
        dir_ = scratch_->path();
        helper_ = dir_ / "fake-helper";
        // Records its arguments and what came on stdin, answers with
        // $FAKE_CONSENT_EXIT and counts its runs.
        std::ofstream(helper_) << "#!/bin/sh\n"
                                  "printf '%s\\n' \"$@\" > \"$FAKE_DIR/args\"\n"
                                  "cat > \"$FAKE_DIR/stdin\"\n"
                                  "echo run >> \"$FAKE_DIR/runs\"\n"
                                  "exit \"${FAKE_CONSENT_EXIT:-10}\"\n";
        ::chmod(helper_.c_str(), 0755);
        save("MYNACARD_HELPER");
        save("DISPLAY");
        save("WAYLAND_DISPLAY");
        save("MYNACARD_CONSENT");
        save("MYNACARD_CONSENT_FILE");
        save("XDG_CONFIG_HOME");
        save("FAKE_DIR");
        save("FAKE_CONSENT_EXIT");
        ::setenv("MYNACARD_HELPER", helper_.c_str(), 1);
        ::setenv("DISPLAY", ":99", 1);
        ::unsetenv("WAYLAND_DISPLAY");
        ::unsetenv("MYNACARD_CONSENT");
        ::unsetenv("MYNACARD_CONSENT_FILE");
        ::setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
        ::setenv("FAKE_DIR", dir_.c_str(), 1);
    }
    void TearDown() override {
        for (const auto& [name, value] : saved_) {
            if (value) {
                ::setenv(name.c_str(), value->c_str(), 1);
            } else {
                ::unsetenv(name.c_str());
            }
        }
        scratch_.reset();
    }
    void save(const std::string& name) {
        const char* v = std::getenv(name.c_str());
        saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
    }
    [[nodiscard]] int runs() const {
        const std::string s = read_text(dir_ / "runs");
        return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
    }
    [[nodiscard]] fs::path store_path() const {
        return dir_ / "config" / "mynacard" / "consent.json";
    }

    std::optional<mynacard::test::TempDir> scratch_;
    fs::path dir_;
    fs::path helper_;
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace

TEST_F(consent_client, DefaultStorePathFollowsXdgConfigHome) {
    EXPECT_EQ(c::Store::default_path(), store_path());
    ::setenv("MYNACARD_CONSENT_FILE", (dir_ / "elsewhere.json").c_str(), 1);
    EXPECT_EQ(c::Store::default_path(), dir_ / "elsewhere.json");
}

TEST_F(consent_client, PolicyFromEnvironment) {
    EXPECT_EQ(c::policy_from_environment(), c::Policy::ask);
    ::setenv("MYNACARD_CONSENT", "allow", 1);
    EXPECT_EQ(c::policy_from_environment(), c::Policy::allow);
    ::setenv("MYNACARD_CONSENT", "deny", 1);
    EXPECT_EQ(c::policy_from_environment(), c::Policy::deny);
    ::setenv("MYNACARD_CONSENT", "yes please", 1);  // unknown: the safe default
    EXPECT_EQ(c::policy_from_environment(), c::Policy::ask);
}

TEST_F(consent_client, HelperGetsProgramPidAndCertificate) {
    const auto cert = sim_cert("default", "sign_cert.der");
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    c::Options options;
    options.lang = "ja";
    EXPECT_EQ(c::ask_consent("/usr/bin/firefox-esr", 4242, cert, options), c::Decision::allow);
    EXPECT_EQ(read_text(dir_ / "args"),
              "consent\n--program\n/usr/bin/firefox-esr\n--pid\n4242\n--lang\nja\n");
    const std::string der = read_text(dir_ / "stdin");
    EXPECT_EQ(mynacard::Bytes(der.begin(), der.end()), cert.der());
}

TEST_F(consent_client, AnswerIsRememberedPerProgramAndCertificate) {
    const auto sign = sim_cert("default", "sign_cert.der");
    const auto other = sim_cert("minor", "auth_cert.der");  // any other certificate
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::allow);
    EXPECT_EQ(runs(), 1);
    // Remembered: the helper is not asked again, even when it would refuse.
    ::setenv("FAKE_CONSENT_EXIT", "10", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::allow);
    EXPECT_EQ(runs(), 1);
    // Another program, or another certificate: asked.
    EXPECT_EQ(c::ask_consent("/usr/bin/b", self(), sign), c::Decision::deny);
    EXPECT_EQ(runs(), 2);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), other), c::Decision::deny);
    EXPECT_EQ(runs(), 3);
    // A refusal is remembered too.
    EXPECT_EQ(c::ask_consent("/usr/bin/b", self(), sign), c::Decision::deny);
    EXPECT_EQ(runs(), 3);

    c::Store store(store_path());
    EXPECT_EQ(store.find("/usr/bin/a", c::certificate_hash(sign)), c::Decision::allow);
    EXPECT_EQ(store.find("/usr/bin/b", c::certificate_hash(sign)), c::Decision::deny);
    EXPECT_EQ(store.records().size(), 3U);
    EXPECT_TRUE(store.forget("/usr/bin/a"));
    EXPECT_FALSE(store.find("/usr/bin/a", c::certificate_hash(sign)).has_value());
    EXPECT_FALSE(store.forget("/usr/bin/a"));
}

TEST_F(consent_client, ForgetOneCertificateKeepsTheOthers) {
    const std::string first(64, 'a');
    const std::string second(64, 'b');
    c::Store store(store_path());
    EXPECT_FALSE(store.forget("/usr/bin/a", first));  // no file yet
    store.remember("/usr/bin/a", first, c::Decision::allow);
    store.remember("/usr/bin/a", second, c::Decision::deny);
    store.remember("/usr/bin/b", first, c::Decision::allow);
    EXPECT_TRUE(store.forget("/usr/bin/a", first));
    EXPECT_FALSE(store.find("/usr/bin/a", first).has_value());  // asked again next time
    EXPECT_EQ(store.find("/usr/bin/a", second), c::Decision::deny);
    EXPECT_EQ(store.find("/usr/bin/b", first), c::Decision::allow);
    EXPECT_EQ(store.records().size(), 2U);
    EXPECT_FALSE(store.forget("/usr/bin/a", first));
    EXPECT_FALSE(store.forget("/usr/bin/c", second));
    EXPECT_EQ(store.records().size(), 2U);
}

TEST_F(consent_client, StoreHoldsNothingPersonal) {
    const auto sign = sim_cert("default", "sign_cert.der");
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    ASSERT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::allow);
    const std::string text = read_text(store_path());
    const auto j = nlohmann::json::parse(text);
    ASSERT_EQ(j.at("choices").size(), 1U);
    const auto& r = j.at("choices").at(0);
    EXPECT_EQ(r.size(), 4U);  // program, certificate_sha256, choice, time
    EXPECT_EQ(r.at("program"), "/usr/bin/a");
    EXPECT_EQ(r.at("certificate_sha256"), c::certificate_hash(sign));
    EXPECT_EQ(r.at("choice"), "allow");
    const auto attrs = mynacard::x509::jpki_attributes(sign);
    ASSERT_TRUE(attrs.has_value());
    EXPECT_EQ(text.find(attrs->name), std::string::npos);
    EXPECT_EQ(text.find(attrs->address), std::string::npos);
    struct stat st {};
    ASSERT_EQ(::stat(store_path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
}

TEST_F(consent_client, NobodyToAskMeansDenyAndNothingRemembered) {
    const auto sign = sim_cert("default", "sign_cert.der");
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    ::unsetenv("DISPLAY");  // no display
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::deny);
    EXPECT_EQ(runs(), 0);
    ::setenv("DISPLAY", ":99", 1);
    ::setenv("MYNACARD_HELPER", (dir_ / "missing").c_str(), 1);  // no helper
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::deny);
    ::setenv("MYNACARD_HELPER", helper_.c_str(), 1);
    ::setenv("FAKE_CONSENT_EXIT", "12", 1);  // the helper found no display
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::deny);
    ::setenv("FAKE_CONSENT_EXIT", "3", 1);  // the helper failed
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::deny);
    EXPECT_FALSE(fs::exists(store_path()) && !c::Store(store_path()).records().empty());
    // Once a screen is there, the holder is asked.
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::allow);
}

TEST_F(consent_client, ExplicitPolicyDecidesWithoutAskingOrRemembering) {
    const auto sign = sim_cert("default", "sign_cert.der");
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    ::setenv("MYNACARD_CONSENT", "deny", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::deny);
    ::setenv("MYNACARD_CONSENT", "allow", 1);
    ::unsetenv("DISPLAY");
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::allow);
    EXPECT_EQ(runs(), 0);
    EXPECT_FALSE(fs::exists(store_path()));
    // Options override the environment.
    c::Options options;
    options.policy = c::Policy::deny;
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign, options), c::Decision::deny);
}

TEST_F(consent_client, DamagedStoreAsksAgain) {
    const auto sign = sim_cert("default", "sign_cert.der");
    fs::create_directories(store_path().parent_path());
    std::ofstream(store_path()) << "{ not json";
    ::setenv("FAKE_CONSENT_EXIT", "10", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", self(), sign), c::Decision::deny);
    EXPECT_EQ(runs(), 1);
    // Rewritten as a valid store with the new answer.
    EXPECT_EQ(c::Store(store_path()).find("/usr/bin/a", c::certificate_hash(sign)),
              c::Decision::deny);
}

TEST_F(consent_client, RememberRejectsMalformedHash) {
    c::Store store(store_path());
    EXPECT_THROW(store.remember("/usr/bin/a", "not-a-hash", c::Decision::allow), mynacard::Error);
}

TEST(consent_intermediary, InterpretersAndProxiesByBaseName) {
    using c::Intermediary;
    for (const char* exe : {"/usr/bin/python3", "/usr/bin/python3.11", "/usr/bin/python2.7",
                            "/usr/local/bin/python3.12-dbg", "/usr/bin/perl", "/usr/bin/perl5.36.0",
                            "/usr/bin/ruby3.1", "/usr/bin/node", "/usr/bin/nodejs",
                            "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "/bin/sh", "/bin/bash",
                            "/usr/bin/dash", "/usr/bin/zsh", "zsh5.9"})
        EXPECT_EQ(c::intermediary_of(exe), Intermediary::interpreter) << exe;
    EXPECT_EQ(c::intermediary_of("/usr/libexec/p11-kit/p11-kit-remote"), Intermediary::proxy);
    EXPECT_EQ(c::intermediary_of("/usr/bin/p11-kit", {"server", "--provider", "x.so", "pkcs11:"}),
              Intermediary::proxy);
    EXPECT_EQ(c::intermediary_of("/usr/bin/p11-kit", {"-v", "server", "pkcs11:"}),
              Intermediary::proxy);
    EXPECT_EQ(c::intermediary_of("/usr/bin/p11-kit", {"remote", "/usr/lib/x.so"}),
              Intermediary::proxy);
    // Not intermediaries: p11-kit listing modules, programs that only look alike.
    for (const char* exe :
         {"/usr/lib/firefox-esr/firefox-esr", "/usr/bin/ssh", "/usr/bin/shred", "/usr/bin/bashbug",
          "/usr/bin/perldoc-x", "/usr/bin/javac", "/usr/bin/nodemon", "/usr/bin/pkcs11-tool", ""})
        EXPECT_EQ(c::intermediary_of(exe), Intermediary::none) << exe;
    EXPECT_EQ(c::intermediary_of("/usr/bin/p11-kit", {"list-modules"}), Intermediary::none);
}

namespace {

// A shell running a script file, as a separate process; killed and reaped
// when it goes.
class ScriptProcess {
  public:
    explicit ScriptProcess(const fs::path& script) {
        std::ofstream(script) << "while :; do sleep 1; done\n";
        std::string sh = "/bin/sh";
        std::string path = script.string();
        std::array<char*, 3> argv{sh.data(), path.data(), nullptr};
        if (::posix_spawn(&pid_, sh.c_str(), nullptr, nullptr, argv.data(), nullptr) != 0)
            throw std::runtime_error("cannot start /bin/sh");
        // Wait until the kernel shows the shell (not this test) as its executable.
        for (int i = 0; i < 200; ++i) {
            if (mynacard::executable_of(pid_).value_or("").find("sh") != std::string::npos &&
                read_text("/proc/" + std::to_string(pid_) + "/cmdline").find(path) !=
                    std::string::npos)
                break;
            ::usleep(10000);
        }
    }
    ~ScriptProcess() {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    ScriptProcess(const ScriptProcess&) = delete;
    ScriptProcess& operator=(const ScriptProcess&) = delete;
    [[nodiscard]] long pid() const { return static_cast<long>(pid_); }

  private:
    pid_t pid_ = -1;
};

}  // namespace

TEST_F(consent_client, IdentifyCallerNamesTheScriptAnInterpreterRuns) {
    const ScriptProcess shell(dir_ / "asks.sh");
    const c::Caller caller = c::identify_caller(shell.pid());
    EXPECT_EQ(caller.pid, shell.pid());
    EXPECT_EQ(caller.kind, c::Intermediary::interpreter) << caller.executable;
    EXPECT_EQ(caller.script, (dir_ / "asks.sh").string());
    // This test program is no intermediary.
    const c::Caller me = c::identify_caller(self());
    EXPECT_EQ(me.kind, c::Intermediary::none);
    EXPECT_EQ(me.executable, mynacard::own_executable());
    EXPECT_TRUE(me.script.empty());
}

TEST_F(consent_client, AllowIsNeverRememberedForAnInterpreterOrProxy) {
    const auto sign = sim_cert("default", "sign_cert.der");
    const std::string hash = c::certificate_hash(sign);
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    // By the path the caller passes...
    for (const char* program : {"/usr/bin/python3.11", "/usr/libexec/p11-kit/p11-kit-remote"}) {
        const int before = runs();
        EXPECT_EQ(c::ask_consent(program, self(), sign), c::Decision::allow);
        EXPECT_EQ(c::ask_consent(program, self(), sign), c::Decision::allow);
        EXPECT_EQ(runs(), before + 2) << program << ": asked every time";
        EXPECT_FALSE(c::Store(store_path()).find(program, hash).has_value()) << program;
    }
    // ...and by what the kernel says runs as the pid, whatever path is passed.
    const ScriptProcess shell(dir_ / "asks.sh");
    const int before = runs();
    EXPECT_EQ(c::ask_consent("/opt/app/bin/app", shell.pid(), sign), c::Decision::allow);
    EXPECT_EQ(c::ask_consent("/opt/app/bin/app", shell.pid(), sign), c::Decision::allow);
    EXPECT_EQ(runs(), before + 2);
    // An "allow" already in the store (an older version wrote it) is not taken.
    c::Store(store_path()).remember("/usr/bin/perl", hash, c::Decision::allow);
    ::setenv("FAKE_CONSENT_EXIT", "10", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/perl", self(), sign), c::Decision::deny);
    // A refusal is remembered: it discloses nothing and stops repeated asking.
    const int asked = runs();
    EXPECT_EQ(c::ask_consent("/usr/bin/perl", self(), sign), c::Decision::deny);
    EXPECT_EQ(runs(), asked);
    EXPECT_EQ(c::Store(store_path()).find("/usr/bin/perl", hash), c::Decision::deny);
}

// The consent helper is started like the PIN helper: a descriptor the host
// left open is not inherited, nothing reaches the host's stdout (p11-kit-remote
// speaks its RPC there), and the host's ignored or blocked signals are not
// passed on.
TEST_F(consent_client, HelperInheritsNoDescriptorStdoutOrSignalState) {
    const auto sign = sim_cert("default", "sign_cert.der");
    std::ofstream(helper_)
        << "#!/bin/sh\n"
           "out=$(readlink /proc/$$/fd/1)\n"
           "echo \"$out\" > \"$FAKE_DIR/stdout\"\n"
           "ls -l /proc/$$/fd > \"$FAKE_DIR/fds\"\n"
           // Read by the shell itself: a child reading
           // $$'s status while the shell waits for it can
           // see the mask the shell holds while waiting.
           "while read -r k v; do case $k in SigIgn:|SigBlk:) echo \"$k $v\";; esac; "
           "done < /proc/$$/status > \"$FAKE_DIR/signals\"\n"
           "echo 'helper output on stdout'\n"
           "cat > \"$FAKE_DIR/stdin\"\n"
           "exit 10\n";
    // An inheritable descriptor (no O_CLOEXEC), as careless hosts leave them.
    const fs::path canary = dir_ / "leak-canary";
    const int leak = ::open(canary.c_str(), O_WRONLY | O_CREAT, 0600);
    ASSERT_GE(leak, 0);
    // The host's stdout is a pipe the test reads.
    std::array<int, 2> out{-1, -1};
    ASSERT_EQ(::pipe2(out.data(), O_CLOEXEC | O_NONBLOCK), 0);
    const int saved_stdout = ::dup(STDOUT_FILENO);
    ASSERT_GE(saved_stdout, 0);
    ASSERT_EQ(::dup2(out[1], STDOUT_FILENO), STDOUT_FILENO);
    // SIGUSR1 ignored and SIGUSR2 blocked in the host.
    struct sigaction ignore {};
    struct sigaction previous {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    ASSERT_EQ(::sigaction(SIGUSR1, &ignore, &previous), 0);
    sigset_t block;
    sigset_t old_mask;
    ::sigemptyset(&block);
    ::sigaddset(&block, SIGUSR2);
    ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &block, &old_mask), 0);

    const auto decision = c::ask_consent("/usr/bin/a", self(), sign);

    ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    ::sigaction(SIGUSR1, &previous, nullptr);
    ::dup2(saved_stdout, STDOUT_FILENO);
    ::close(saved_stdout);
    ::close(out[1]);
    std::array<char, 256> buf{};
    const ssize_t n = ::read(out[0], buf.data(), buf.size());
    ::close(out[0]);
    ::close(leak);

    EXPECT_EQ(decision, c::Decision::deny);
    EXPECT_LE(n, 0) << "the helper wrote to the host's stdout: "
                    << std::string(buf.data(), static_cast<std::size_t>(n > 0 ? n : 0));
    const std::string fds = read_text(dir_ / "fds");
    ASSERT_FALSE(fds.empty());
    EXPECT_EQ(fds.find("leak-canary"), std::string::npos) << fds;
    EXPECT_EQ(read_text(dir_ / "stdout"), "/dev/null\n");
    const std::string der = read_text(dir_ / "stdin");
    EXPECT_EQ(mynacard::Bytes(der.begin(), der.end()), sign.der());  // stdin is still the socket
    const std::string signals = read_text(dir_ / "signals");
    const auto mask_of = [&](const std::string& name) {
        const auto at = signals.find(name + ":");
        EXPECT_NE(at, std::string::npos) << signals;
        return at == std::string::npos
                   ? 0ULL
                   : std::stoull(signals.substr(at + name.size() + 1), nullptr, 16);
    };
    EXPECT_EQ(mask_of("SigIgn") & (1ULL << (SIGUSR1 - 1)), 0ULL) << signals;
    EXPECT_EQ(mask_of("SigBlk") & (1ULL << (SIGUSR2 - 1)), 0ULL) << signals;
}
