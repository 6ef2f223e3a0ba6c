// The reference qualification server's request parsing: the JSON bodies of
// POST /v1/challenge and POST /v1/check (qualification_server/checker.h),
// without HTTP. The first input byte picks the request; a check body that
// holds the text NONCE gets a nonce the server just issued in its place, so
// the checks after the nonce (time, certificate, signature) are reached.
// Every answer is a reply with an HTTP status, never an exception; a refusal
// is an XML message. (The terminal mode's request files are XmlMsg files:
// the qualification target fuzzes their parser.)

#include <nlohmann/json.hpp>

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
        checker_ = std::make_unique<server::Checker>(state);
    }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    server::Checker& checker() { return *checker_; }

  private:
    mynacard::test::TempDir dir_;  // removed at exit, after the checker
    std::unique_ptr<server::Checker> checker_;
};

std::string fresh_nonce(server::Checker& checker) {
    const auto reply =
        checker.challenge(std::string(R"({"institution_code":")") + institution + "\"}");
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
        reply = state.checker().challenge(body);
    } else {
        if (const auto at = body.find("NONCE"); at != std::string::npos)
            body.replace(at, 5, fresh_nonce(state.checker()));
        reply = state.checker().check(body);
    }
    require(reply.status >= 200 && reply.status < 600, "a reply without an HTTP status");
    require(!reply.body.empty(), "a reply without a body");
    return 0;
}
