// The consent client: remembered answers, the helper protocol (run against a
// fake helper script through $MYNACARD_HELPER) and the MYNACARD_CONSENT policy.
#include "consent/consent.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

namespace c = mynacard::consent;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
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
        std::string templ = (fs::temp_directory_path() / "mynacard-consent-XXXXXX").string();
        if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = templ;
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
        std::error_code ec;
        fs::remove_all(dir_, ec);
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
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::allow);
    EXPECT_EQ(runs(), 1);
    // Remembered: the helper is not asked again, even when it would refuse.
    ::setenv("FAKE_CONSENT_EXIT", "10", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 2, sign), c::Decision::allow);
    EXPECT_EQ(runs(), 1);
    // Another program, or another certificate: asked.
    EXPECT_EQ(c::ask_consent("/usr/bin/b", 3, sign), c::Decision::deny);
    EXPECT_EQ(runs(), 2);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 4, other), c::Decision::deny);
    EXPECT_EQ(runs(), 3);
    // A refusal is remembered too.
    EXPECT_EQ(c::ask_consent("/usr/bin/b", 5, sign), c::Decision::deny);
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
    ASSERT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::allow);
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
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::deny);
    EXPECT_EQ(runs(), 0);
    ::setenv("DISPLAY", ":99", 1);
    ::setenv("MYNACARD_HELPER", (dir_ / "missing").c_str(), 1);  // no helper
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::deny);
    ::setenv("MYNACARD_HELPER", helper_.c_str(), 1);
    ::setenv("FAKE_CONSENT_EXIT", "12", 1);  // the helper found no display
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::deny);
    ::setenv("FAKE_CONSENT_EXIT", "3", 1);  // the helper failed
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::deny);
    EXPECT_FALSE(fs::exists(store_path()) && !c::Store(store_path()).records().empty());
    // Once a screen is there, the holder is asked.
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::allow);
}

TEST_F(consent_client, ExplicitPolicyDecidesWithoutAskingOrRemembering) {
    const auto sign = sim_cert("default", "sign_cert.der");
    ::setenv("FAKE_CONSENT_EXIT", "0", 1);
    ::setenv("MYNACARD_CONSENT", "deny", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::deny);
    ::setenv("MYNACARD_CONSENT", "allow", 1);
    ::unsetenv("DISPLAY");
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::allow);
    EXPECT_EQ(runs(), 0);
    EXPECT_FALSE(fs::exists(store_path()));
    // Options override the environment.
    c::Options options;
    options.policy = c::Policy::deny;
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign, options), c::Decision::deny);
}

TEST_F(consent_client, DamagedStoreAsksAgain) {
    const auto sign = sim_cert("default", "sign_cert.der");
    fs::create_directories(store_path().parent_path());
    std::ofstream(store_path()) << "{ not json";
    ::setenv("FAKE_CONSENT_EXIT", "10", 1);
    EXPECT_EQ(c::ask_consent("/usr/bin/a", 1, sign), c::Decision::deny);
    EXPECT_EQ(runs(), 1);
    // Rewritten as a valid store with the new answer.
    EXPECT_EQ(c::Store(store_path()).find("/usr/bin/a", c::certificate_hash(sign)),
              c::Decision::deny);
}

TEST_F(consent_client, RememberRejectsMalformedHash) {
    c::Store store(store_path());
    EXPECT_THROW(store.remember("/usr/bin/a", "not-a-hash", c::Decision::allow), mynacard::Error);
}
