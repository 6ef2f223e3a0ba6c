// The reference qualification server's request parsing: the JSON bodies of
// POST /v1/challenge and POST /v1/check (qualification_server/checker.h),
// without HTTP. The first input byte picks the request; a check body that
// holds the text NONCE gets a nonce the server just issued in its place, so
// the checks after the nonce (time, certificate, signature) are reached.
// Every answer is a reply with an HTTP status, never an exception; a refusal
// is an XML message. A valid challenge gets a nonce, unless the checker's
// bound on outstanding nonces (CheckerOptions::max_nonces within
// nonce_lifetime) is reached: then, and only then, it is refused as busy —
// a long run issues that many (the ten-minute run did, at ~300 inputs/s). (The terminal mode's
// request files are XmlMsg files: the qualification target fuzzes their parser.)

#include <nlohmann/json.hpp>

#include <deque>
#include <filesystem>
#include <memory>
#include <string>

#include "fuzz_target.h"
#include "qualification_server/admin.h"
#include "qualification_server/checker.h"
#include "support/temp_dir.h"

namespace server = mynacard::qualification::server;
namespace fs = std::filesystem;
using mynacard::fuzz::require;

namespace {

constexpr const char* institution = "1310000001";  // 10 digits, as 医療機関コード

// One state folder for the whole run (a database, a TLS key and the test
// PKI's roots as anchors), removed at exit.
class State {
  public:
    State() : dir_("mynacard-fuzz-server") {
        const fs::path state = dir_.path() / "state";
        server::init_state(state, {institution}, {});
        const fs::path pki = MYNACARD_TEST_PKI;
        for (const char* root : {"auth_root.pem", "sign_root.pem"})
            if (fs::exists(pki / root)) server::trust_ca(state, pki / root);
        if (!fs::exists(server::Store::anchors_path(state)))
            mynacard::fuzz::fail("the test PKI is missing: build mynacard_sim_profiles first");
        checker_ = std::make_unique<server::Checker>(state, options_);
    }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    server::Checker& checker() { return *checker_; }
    // The checker's challenge(), with its bound checked: a reply is a
    // nonce, or busy only while max_nonces are unexpired.
    server::Reply challenge(const std::string& body) {
        // The checker reads its clock after `before` and stamps a nonce
        // before this records it: whatever it still holds is counted here
        // too, so the count is never below the checker's.
        const auto before = options_.clock();
        server::Reply reply = checker_->challenge(body);
        if (reply.status == 200) issued_.push_back(options_.clock());
        if (reply.status == 503)
            require(unexpired_at(before) >= options_.max_nonces,
                    "a challenge refused as busy below the bound on outstanding nonces");
        return reply;
    }

  private:
    std::size_t unexpired_at(server::TimePoint t) {
        while (!issued_.empty() && issued_.front() + options_.nonce_lifetime < t)
            issued_.pop_front();
        return issued_.size();
    }

    server::CheckerOptions options_;  // the product's defaults
    mynacard::test::TempDir dir_;     // removed at exit, after the checker
    std::unique_ptr<server::Checker> checker_;
    std::deque<server::TimePoint> issued_;  // when each nonce was seen issued
};

// A nonce for the check, or nothing when the bound is reached (the check
// then meets an unknown nonce).
std::string fresh_nonce(State& state) {
    const auto reply =
        state.challenge(std::string(R"({"institution_code":")") + institution + "\"}");
    if (reply.status == 503) return "NONCE";
    require(reply.status == 200, "no nonce for a valid challenge request");
    return nlohmann::json::parse(reply.body).at("nonce").get<std::string>();
}

}  // namespace

MYNACARD_FUZZ_TARGET(reference_server) {
    static State state;
    if (size == 0) return 0;
    std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    server::Reply reply;
    if (data[0] % 2 == 0) {
        reply = state.challenge(body);
    } else {
        if (const auto at = body.find("NONCE"); at != std::string::npos)
            body.replace(at, 5, fresh_nonce(state));
        reply = state.checker().check(body);
    }
    require(reply.status >= 200 && reply.status < 600, "a reply without an HTTP status");
    require(!reply.body.empty(), "a reply without a body");
    return 0;
}
