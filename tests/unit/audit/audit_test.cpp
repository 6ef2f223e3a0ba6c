// The hash-chained audit log (middleware/audit, decision 11).

#include "audit/audit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/error.h"
#include "support/temp_dir.h"

namespace a = mynacard::audit;
using mynacard::Errc;
using mynacard::Error;

namespace {

// A private temporary directory per test, removed afterwards.
using TempDir = mynacard::test::TempDir;  // tests/support

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void spit(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

a::Event event(a::Operation op, a::Result result = a::Result::ok) {
    a::Event e;
    e.operation = op;
    e.result = result;
    e.reader = "ACS ACR39U ICC Reader 00 00";
    e.key = "sign";
    e.cert_serial_hash = a::serial_hash(mynacard::from_hex("CA8836CD1A5359AD"));
    return e;
}

std::size_t line_count(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Environment variable set for one scope.
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value != nullptr)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

  private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST(Audit, AppendReadRoundTrip) {
    TempDir dir;
    a::Log log(dir.path() / "state" / "mynacard" / "audit.jsonl");
    EXPECT_TRUE(log.read().empty());
    EXPECT_TRUE(log.verify().ok);

    log.append(event(a::Operation::sign));
    log.append(event(a::Operation::pin_status, a::Result::pin_incorrect));
    a::Event plain;
    plain.operation = a::Operation::read_certificate;
    log.append(plain);

    const auto entries = log.read();
    ASSERT_EQ(entries.size(), 3U);
    EXPECT_EQ(entries[0].seq, 1U);
    EXPECT_EQ(entries[0].prev, "");
    EXPECT_EQ(entries[0].event.operation, a::Operation::sign);
    EXPECT_EQ(entries[0].event.reader, "ACS ACR39U ICC Reader 00 00");
    EXPECT_EQ(entries[0].event.key, "sign");
    EXPECT_EQ(entries[0].event.cert_serial_hash.size(), 64U);
    EXPECT_EQ(entries[0].pid, static_cast<long>(::getpid()));
    EXPECT_NE(entries[0].program.find("audit_test"), std::string::npos) << entries[0].program;
    EXPECT_EQ(entries[0].time.size(), 20U);  // 2026-11-27T23:02:47Z
    EXPECT_EQ(entries[0].time.back(), 'Z');
    EXPECT_EQ(entries[1].seq, 2U);
    EXPECT_EQ(entries[1].prev, entries[0].hash);
    EXPECT_EQ(entries[1].event.result, a::Result::pin_incorrect);
    EXPECT_EQ(entries[2].prev, entries[1].hash);
    EXPECT_EQ(entries[2].event.key, "");
    EXPECT_EQ(entries[2].event.cert_serial_hash, "");

    const auto v = log.verify();
    EXPECT_TRUE(v.ok) << v.error;
    EXPECT_EQ(v.entries, 3U);
}

TEST(Audit, LinesHaveTheDocumentedFormat) {
    TempDir dir;
    a::Log log(dir.path() / "audit.jsonl");
    log.append(event(a::Operation::login));
    const std::string text = slurp(log.path());
    ASSERT_EQ(text.back(), '\n');
    const std::string line = text.substr(0, text.size() - 1);
    const auto j = nlohmann::ordered_json::parse(line);
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys,
              (std::vector<std::string>{"seq", "time", "program", "pid", "operation", "result",
                                        "reader", "key", "cert_serial_hash", "prev", "hash"}));
    // hash = SHA-256 of the line with `,"hash":"…"` removed (README).
    const std::string canonical = line.substr(0, line.size() - 75) + "}";
    EXPECT_EQ(j["hash"].get<std::string>(),
              a::serial_hash(mynacard::ByteView(
                  reinterpret_cast<const std::uint8_t*>(canonical.data()), canonical.size())));
}

TEST(Audit, RejectsWhatIsNotInTheVocabulary) {
    TempDir dir;
    a::Log log(dir.path() / "audit.jsonl");
    auto e = event(a::Operation::sign);
    e.key = "1234";  // e.g. a PIN by mistake
    EXPECT_THROW(log.append(e), Error);
    e = event(a::Operation::sign);
    e.cert_serial_hash = "CA8836CD1A5359AD";  // a raw serial, not its hash
    try {
        log.append(e);
        FAIL();
    } catch (const Error& err) {
        EXPECT_EQ(err.code(), Errc::invalid_argument);
    }
    e = event(a::Operation::sign);
    e.reader = std::string(257, 'r');
    EXPECT_THROW(log.append(e), Error);
    e.reader = std::string(256, 'r');
    EXPECT_NO_THROW(log.append(e));
    e.reader = "\xff\xfe";
    EXPECT_THROW(log.append(e), Error);
    e = event(a::Operation::sign);
    e.operation = static_cast<a::Operation>(99);
    EXPECT_THROW(log.append(e), Error);
    EXPECT_EQ(log.read().size(), 1U);
    EXPECT_TRUE(log.verify().ok);
}

TEST(Audit, EverySingleByteFlipIsDetectedAtItsLine) {
    TempDir dir;
    a::Log log(dir.path() / "audit.jsonl");
    log.append(event(a::Operation::login));
    auto e = event(a::Operation::read_text_ap);
    e.reader = "Lecteur à puce — 読み取り機";  // non-ASCII must survive
    e.key = "text";
    log.append(e);
    log.append(event(a::Operation::sign, a::Result::cancelled));
    const std::string original = slurp(log.path());
    ASSERT_TRUE(log.verify().ok);
    EXPECT_EQ(log.read()[1].event.reader, e.reader);

    std::uint64_t line = 1;
    for (std::size_t i = 0; i < original.size(); ++i) {
        for (const unsigned mask : {0x01U, 0x20U, 0x80U}) {
            std::string damaged = original;
            damaged[i] = static_cast<char>(static_cast<unsigned char>(damaged[i]) ^ mask);
            spit(log.path(), damaged);
            const auto v = log.verify();
            ASSERT_FALSE(v.ok) << "byte " << i << " mask " << unsigned{mask};
            EXPECT_EQ(v.first_bad_line, line)
                << "byte " << i << " mask " << unsigned{mask} << ": " << v.error;
        }
        if (original[i] == '\n') ++line;
    }
    spit(log.path(), original);
    EXPECT_TRUE(log.verify().ok);
}

TEST(Audit, DeletedOrReorderedLinesAreDetected) {
    TempDir dir;
    a::Log log(dir.path() / "audit.jsonl");
    for (int i = 0; i < 4; ++i) log.append(event(a::Operation::sign));
    const std::string original = slurp(log.path());
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < original.size();) {
        const auto nl = original.find('\n', start);
        lines.push_back(original.substr(start, nl - start + 1));
        start = nl + 1;
    }
    ASSERT_EQ(lines.size(), 4U);

    spit(log.path(), lines[0] + lines[2] + lines[3]);  // middle line deleted
    auto v = log.verify();
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_line, 2U);

    spit(log.path(), lines[1] + lines[2] + lines[3]);  // head deleted
    v = log.verify();
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_line, 1U);

    spit(log.path(), lines[0] + lines[2] + lines[1] + lines[3]);  // swapped
    v = log.verify();
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_line, 2U);

    spit(log.path(), lines[0] + lines[1] + lines[2]);  // tail deleted: undetectable by design
    EXPECT_TRUE(log.verify().ok);
}

TEST(Audit, TornTailIsIgnoredAndCutByTheNextAppend) {
    TempDir dir;
    a::Log log(dir.path() / "audit.jsonl");
    log.append(event(a::Operation::login));
    log.append(event(a::Operation::sign));
    const std::string original = slurp(log.path());
    const auto good = log.read();

    // An append interrupted in the middle of writing the third line.
    const std::string torn = R"({"seq":3,"time":"2026-11-27T23:)";
    spit(log.path(), original + torn);
    auto v = log.verify();
    EXPECT_TRUE(v.ok) << v.error;  // never a committed entry: the log still verifies
    EXPECT_EQ(v.entries, 2U);
    EXPECT_EQ(v.torn_tail_bytes, torn.size());
    EXPECT_EQ(log.read().size(), 2U);

    // Bytes that no interrupted append can leave (another seq, or a whole
    // line and more) are damage, reported at their line.
    for (const std::string& bad : {std::string(R"({"seq":7,"time":")"), std::string("garbage"),
                                   original.substr(0, original.find('\n')) + "x"}) {
        spit(log.path(), original + bad);
        v = log.verify();
        EXPECT_FALSE(v.ok) << bad;
        EXPECT_EQ(v.first_bad_line, 3U) << bad;
    }
    spit(log.path(), original + torn);

    // The next append cuts the piece off and chains from the last good entry.
    log.append(event(a::Operation::pin_status));
    const std::string after = slurp(log.path());
    EXPECT_EQ(after.substr(0, original.size()), original);
    EXPECT_EQ(after.find(torn), std::string::npos);
    EXPECT_EQ(line_count(after), 3U);
    const auto entries = log.read();
    ASSERT_EQ(entries.size(), 3U);
    EXPECT_EQ(entries[2].seq, 3U);
    EXPECT_EQ(entries[2].prev, good[1].hash);
    v = log.verify();
    EXPECT_TRUE(v.ok) << v.error;
    EXPECT_EQ(v.entries, 3U);
    EXPECT_EQ(v.torn_tail_bytes, 0U);
}

TEST(Audit, EntryMissingOnlyItsNewlineCountsAndIsCompleted) {
    TempDir dir;
    a::Log log(dir.path() / "audit.jsonl");
    log.append(event(a::Operation::login));
    log.append(event(a::Operation::sign));
    std::string text = slurp(log.path());
    text.pop_back();  // interrupted right before the '\n'
    spit(log.path(), text);
    auto v = log.verify();
    EXPECT_TRUE(v.ok) << v.error;
    EXPECT_EQ(v.entries, 2U);
    EXPECT_EQ(v.torn_tail_bytes, 0U);
    log.append(event(a::Operation::pin_status));
    EXPECT_EQ(slurp(log.path()).substr(0, text.size() + 1), text + "\n");
    v = log.verify();
    EXPECT_TRUE(v.ok) << v.error;
    EXPECT_EQ(v.entries, 3U);
    // A damaged line that is not the last still fails, at its line.
    std::string damaged = slurp(log.path());
    damaged[damaged.find("\"operation\":\"sign\"") + 13] = '#';
    spit(log.path(), damaged);
    v = log.verify();
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.first_bad_line, 2U);
}

namespace {

// The largest event the vocabulary allows: a long reader name widens the
// window in which an append can be interrupted.
a::Event large_event() {
    a::Event e = event(a::Operation::sign);
    e.reader = std::string(256, 'R');
    return e;
}

}  // namespace

// A process killed in the middle of its write: RLIMIT_FSIZE cuts the write
// after exactly `cut` bytes of the new line and SIGXFSZ kills the process
// (default action) — at every byte of the line's start and end (seq, prev,
// hash, the final '\n') and every 4th byte between. Each time the log
// verifies, and the next append chains on cleanly.
TEST(Audit, AppendCutAnywhereInItsLineStillVerifies) {
    TempDir dir;
    const auto path = dir.path() / "audit.jsonl";
    a::Log log(path);
    log.append(large_event());
    log.append(large_event());
    const std::string base = slurp(path);
    const std::size_t line = base.find('\n') + 1;  // every line has about this size
    bool completed = false;
    for (std::size_t cut = 0; !completed && cut < 2048; ++cut) {
        if (cut > 80 && cut + 100 < line && cut % 4 != 0) continue;
        // A new file each time (truncating one makes ext4 flush it on close: slow).
        std::filesystem::remove(path);
        spit(path, base);
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            const rlimit none{0, 0};
            ::setrlimit(RLIMIT_CORE, &none);
            const rlimit fsize{base.size() + cut, base.size() + cut};
            ::setrlimit(RLIMIT_FSIZE, &fsize);
            try {
                a::Log(path).append(large_event());
            } catch (...) {
                ::_exit(1);
            }
            ::_exit(0);
        }
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            completed = true;  // the limit no longer cut the line
        } else {
            ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ)
                << "cut " << cut << ": status " << status;
            ASSERT_EQ(slurp(path).size(), base.size() + cut);
        }
        auto v = log.verify();
        ASSERT_TRUE(v.ok) << "cut " << cut << ": " << v.error;
        // A line cut before its '\n' is no entry; one that lacks only the '\n' is.
        ASSERT_TRUE(v.entries == 2 || v.entries == 3) << "cut " << cut;
        ASSERT_EQ(v.entries == 3, completed || slurp(path).back() == '}') << "cut " << cut;
        // The next append settles the tail (every 16th cut and the last
        // bytes: each append is synced to disk, which is slow).
        if (cut % 16 == 0 || cut + 8 > line) {
            const std::uint64_t now = v.entries;
            log.append(large_event());
            v = log.verify();
            ASSERT_TRUE(v.ok) << "cut " << cut << " then append: " << v.error;
            ASSERT_EQ(v.entries, now + 1) << "cut " << cut;
            ASSERT_EQ(v.torn_tail_bytes, 0U);
        }
    }
    EXPECT_TRUE(completed);
}

// The same with SIGKILL at random moments: a child appends large events in a
// loop and is killed 50 times; the log verifies after every kill and the
// entries count up without a gap.
TEST(Audit, SigkillDuringAppendsLeavesAVerifiableLog) {
    TempDir dir;
    const auto path = dir.path() / "audit.jsonl";
    a::Log log(path);
    std::srand(static_cast<unsigned>(::getpid()));
    std::uint64_t last = 0;
    for (int round = 0; round < 50; ++round) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            try {
                a::Log child(path);
                for (;;) child.append(large_event());
            } catch (...) {
                ::_exit(1);
            }
        }
        ::usleep(static_cast<useconds_t>(1000 + std::rand() % 40000));  // NOLINT: test jitter
        ASSERT_EQ(::kill(pid, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round << ": the child stopped by itself";
        const auto v = log.verify();
        ASSERT_TRUE(v.ok) << "round " << round << ": " << v.error;
        ASSERT_GE(v.entries, last);
        last = v.entries;
        const auto entries = log.read();
        ASSERT_EQ(entries.size(), v.entries);
        if (!entries.empty()) {
            ASSERT_EQ(entries.back().seq, v.entries);
        }
    }
    EXPECT_GT(last, 0U);
}

TEST(Audit, ConcurrentAppendsFromProcesses) {
    TempDir dir;
    const auto path = dir.path() / "audit.jsonl";
    constexpr int kProcesses = 4;
    constexpr int kEach = 50;
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            int rc = 0;
            try {
                a::Log log(path);
                for (int i = 0; i < kEach; ++i) log.append(event(a::Operation::sign));
            } catch (...) {
                rc = 1;
            }
            ::_exit(rc);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    a::Log log(path);
    const auto v = log.verify();
    EXPECT_TRUE(v.ok) << v.error;
    EXPECT_EQ(v.entries, static_cast<std::uint64_t>(kProcesses * kEach));
    const auto entries = log.read();
    ASSERT_EQ(entries.size(), static_cast<std::size_t>(kProcesses * kEach));
    std::set<long> pids;
    for (const auto& e : entries) pids.insert(e.pid);
    EXPECT_EQ(pids.size(), static_cast<std::size_t>(kProcesses));
    EXPECT_EQ(line_count(slurp(path)), static_cast<std::size_t>(kProcesses * kEach));
}

TEST(Audit, FileAndDirectoryModes) {
    TempDir dir;
    const mode_t old = ::umask(0);  // the modes must not depend on a permissive umask
    a::Log log(dir.path() / "new" / "sub" / "audit.jsonl");
    log.append(event(a::Operation::login));
    ::umask(old);
    struct stat st {};
    ASSERT_EQ(::stat(log.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    ASSERT_EQ(::stat((dir.path() / "new").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700U);
    ASSERT_EQ(::stat((dir.path() / "new" / "sub").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700U);
}

TEST(Audit, DefaultPath) {
    {
        ScopedEnv log("MYNACARD_AUDIT_LOG", "/tmp/x/audit.log");
        ScopedEnv xdg("XDG_STATE_HOME", "/tmp/state");
        EXPECT_EQ(a::Log::default_path(), std::filesystem::path("/tmp/x/audit.log"));
    }
    {
        ScopedEnv log("MYNACARD_AUDIT_LOG", nullptr);
        ScopedEnv xdg("XDG_STATE_HOME", "/tmp/state");
        EXPECT_EQ(a::Log::default_path(), std::filesystem::path("/tmp/state/mynacard/audit.jsonl"));
    }
    {
        ScopedEnv log("MYNACARD_AUDIT_LOG", "");
        ScopedEnv xdg("XDG_STATE_HOME", nullptr);
        ScopedEnv home("HOME", "/home/someone");
        EXPECT_EQ(a::Log::default_path(),
                  std::filesystem::path("/home/someone/.local/state/mynacard/audit.jsonl"));
    }
    {
        ScopedEnv log("MYNACARD_AUDIT_LOG", nullptr);
        ScopedEnv xdg("XDG_STATE_HOME", "relative/state");  // invalid per the XDG spec: ignored
        ScopedEnv home("HOME", "/home/someone");
        EXPECT_EQ(a::Log::default_path(),
                  std::filesystem::path("/home/someone/.local/state/mynacard/audit.jsonl"));
    }
}

TEST(Audit, SerialHashAndNames) {
    EXPECT_EQ(a::serial_hash({}),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(a::to_string(a::Operation::read_sign_certificate), "read_sign_certificate");
    EXPECT_EQ(a::to_string(a::Result::card_removed), "card_removed");
}

TEST(Audit, UnwritableLogThrowsIo) {
    TempDir dir;
    const auto blocker = dir.path() / "file";
    spit(blocker, "x");
    a::Log log(blocker / "audit.jsonl");  // parent is a regular file
    try {
        log.append(event(a::Operation::login));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::io);
    }
}

// The consent decisions (docs/consent.md) are part of the closed vocabulary:
// they round-trip through the log and keep the chain valid.
TEST(Audit, ConsentOperationsRoundTrip) {
    TempDir dir;
    a::Log log(dir.path() / "audit.jsonl");
    EXPECT_EQ(a::to_string(a::Operation::consent_given), "consent_given");
    EXPECT_EQ(a::to_string(a::Operation::consent_refused), "consent_refused");
    log.append(event(a::Operation::consent_given));
    log.append(event(a::Operation::consent_refused, a::Result::cancelled));
    const auto entries = log.read();
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].event.operation, a::Operation::consent_given);
    EXPECT_EQ(entries[1].event.operation, a::Operation::consent_refused);
    EXPECT_TRUE(log.verify().ok);
}

// The qualification operations (docs/front-desk.md) too: a card check
// names the auth key and the serial hash, a query and a face result opened
// at the desk name no key; nothing else is recorded.
TEST(Audit, QualificationOperationsRoundTrip) {
    TempDir dir;
    a::Log log(dir.path() / "audit.jsonl");
    EXPECT_EQ(a::to_string(a::Operation::qualification_check), "qualification_check");
    EXPECT_EQ(a::to_string(a::Operation::qualification_query), "qualification_query");
    EXPECT_EQ(a::to_string(a::Operation::qualification_result), "qualification_result");
    auto check = event(a::Operation::qualification_check);
    check.key = "auth";
    log.append(check);
    auto query = event(a::Operation::qualification_query, a::Result::error);
    query.key = "";
    query.cert_serial_hash = "";
    log.append(query);
    auto face = event(a::Operation::qualification_result);
    face.key = "";
    face.cert_serial_hash = "";
    log.append(face);
    const auto entries = log.read();
    ASSERT_EQ(entries.size(), 3U);
    EXPECT_EQ(entries[0].event.operation, a::Operation::qualification_check);
    EXPECT_EQ(entries[0].event.key, "auth");
    EXPECT_EQ(entries[1].event.operation, a::Operation::qualification_query);
    EXPECT_EQ(entries[1].event.result, a::Result::error);
    EXPECT_EQ(entries[2].event.operation, a::Operation::qualification_result);
    EXPECT_TRUE(log.verify().ok);
}
