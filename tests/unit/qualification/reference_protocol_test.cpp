// The reference service's protocol edges, spoken by hand over HTTPS: nonce
// single use, the time window, oversized and malformed requests, the rate
// limit; and the client's own errors (docs/qualification.md).
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/unique_fd.h"
#include "qualification/reference_client.h"
#include "qualification_server/checker.h"
#include "reference_fixture.h"

using namespace mynacard;
using namespace mynacard::qualification;
using namespace std::chrono_literals;
using test::kInstitution;
using test::kPki;
using test::kProfiles;
using test::TimePoint;
namespace fs = std::filesystem;

namespace {

auto now() {
    return std::chrono::system_clock::now();
}

class ReferenceProtocolTest : public ::testing::Test {
  protected:
    void SetUp() override {
        state_ = dir_ / "state";
        server::init_state(state_, {kInstitution}, {});
        server::trust_ca(state_, kPki / "auth_root.pem");
        card_key_ = test::load_key(kProfiles / "default" / "auth_key.pem");
        cert_ = to_bytes(test::slurp(kProfiles / "default" / "auth_cert.der"));
    }
    server::ServiceOptions options(double rate = 0) {
        server::ServiceOptions o;
        o.state_dir = state_;
        o.port = 0;
        o.threads = 2;
        o.rate_per_second = rate;
        o.burst = rate;
        o.log = [](std::string_view) {};
        return o;
    }
    std::unique_ptr<httplib::SSLClient> http_client(const test::RunningService& s) {
        auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", s.port());
        c->set_ca_cert_path((state_ / "server.pem").c_str());
        c->enable_server_certificate_verification(true);
        c->set_read_timeout(10s);
        return c;
    }
    std::string nonce(httplib::SSLClient& c) {
        const auto res =
            c.Post("/v1/challenge", nlohmann::json{{"institution_code", kInstitution}}.dump(),
                   "application/json");
        EXPECT_TRUE(res);
        EXPECT_EQ(res->status, 200);
        return nlohmann::json::parse(res->body).at("nonce").get<std::string>();
    }
    // A signed check request for `nonce` at client time `at`.
    std::string check_body(const std::string& n, TimePoint at) {
        const protocol::Challenge ch{n, kInstitution, protocol::format_time(at), {}};
        const Bytes sig =
            test::sign_digest_info(card_key_.get(), protocol::challenge_digest_info(ch));
        return nlohmann::json{{"nonce", n},
                              {"institution_code", kInstitution},
                              {"time", ch.time},
                              {"consents", nlohmann::json::array()},
                              {"certificate", to_hex(cert_, false)},
                              {"signature", to_hex(sig, false)}}
            .dump();
    }
    // Posts and returns (HTTP status, ErrorCode of the XmlMsg answer).
    std::pair<int, std::string> post(httplib::SSLClient& c, const std::string& body,
                                     const std::string& path = "/v1/check") {
        const auto res = c.Post(path, body, "application/json");
        if (!res) return {0, "no answer"};
        const XmlMsg m = parse(to_bytes(res->body));
        return {res->status, m.header.error_code.value_or("")};
    }

    test::TempDir dir_{"reference-protocol"};
    fs::path state_;
    test::Key card_key_;
    Bytes cert_;
};

// system_clock ends in 2262: a later client time is refused, not turned
// into an overflow (found by the reference_server fuzz target).
TEST(ReferenceProtocol, TimesPastTheClockRangeAreRefused) {
    EXPECT_TRUE(protocol::parse_time("2261-12-31T23:59:59Z").has_value());
    EXPECT_FALSE(protocol::parse_time("2262-04-12T00:00:00Z").has_value());
    EXPECT_FALSE(protocol::parse_time("2602-01-01T00:00:00Z").has_value());
    EXPECT_FALSE(protocol::parse_time("9999-12-31T23:59:59Z").has_value());
    // Before the epoch: 1301 overflowed from_time_t (fuzz finding).
    EXPECT_TRUE(protocol::parse_time("1970-01-01T00:00:00Z").has_value());
    EXPECT_FALSE(protocol::parse_time("1969-12-31T23:59:59Z").has_value());
    EXPECT_FALSE(protocol::parse_time("1301-01-01T00:00:00Z").has_value());
    EXPECT_FALSE(protocol::parse_time("0000-01-01T00:00:00Z").has_value());
}

TEST(ReferenceProtocol, ChallengeBytesAreCanonical) {
    const protocol::Challenge ch{std::string(64, 'a'), "1312345678", "2026-12-04T01:02:03Z",
                                 parse_consents("limit,medication,limit")};
    const Bytes b = protocol::canonical_bytes(ch);
    EXPECT_EQ(std::string(b.begin(), b.end()),
              "mynacard-qualification-challenge/1\nnonce=" + std::string(64, 'a') +
                  "\ninstitution=1312345678\ntime=2026-12-04T01:02:03Z\nconsents=medication,limit");
    auto bad = ch;
    bad.time = "2026-02-31T01:02:03Z";
    EXPECT_THROW((void)protocol::canonical_bytes(bad), Error);
    bad = ch;
    bad.nonce = std::string(64, 'A');  // one spelling only
    EXPECT_THROW((void)protocol::canonical_bytes(bad), Error);
    try {
        (void)parse_consents("medication,xray");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("xray"), std::string::npos);
    }
    EXPECT_TRUE(parse_consents(" ").empty());
}

TEST_F(ReferenceProtocolTest, NonceIsSingleUseUnknownAndExpiredAreRefused) {
    test::RunningService running(options());
    auto client = http_client(running);
    auto& c = *client;
    const std::string n = nonce(c);
    const std::string body = check_body(n, now());
    EXPECT_EQ(post(c, body), (std::pair<int, std::string>{200, ""}));
    EXPECT_EQ(post(c, body), (std::pair<int, std::string>{403, "MQS012"}));  // replayed
    EXPECT_EQ(post(c, check_body(std::string(64, '0'), now())),
              (std::pair<int, std::string>{403, "MQS010"}));
}

TEST_F(ReferenceProtocolTest, ExpiredNonceIsRefused) {
    auto o = options();
    o.checker.nonce_lifetime = 0s;
    test::RunningService running(std::move(o));
    auto client = http_client(running);
    auto& c = *client;
    const std::string n = nonce(c);
    // A lifetime of zero: expired once the clock has moved on at all.
    const auto issued = now();
    while (now() == issued) std::this_thread::yield();
    EXPECT_EQ(post(c, check_body(n, now())), (std::pair<int, std::string>{403, "MQS011"}));
}

// Outstanding nonces are bounded (memory against a flood of challenges): at
// the bound a challenge is refused as busy, and it is served again once the
// oldest have expired. A ten-minute run of the reference_server fuzz target
// reached the product's bound (65,536 within 120 s).
TEST_F(ReferenceProtocolTest, OutstandingNoncesAreBoundedUntilTheyExpire) {
    TimePoint clock = now();
    server::CheckerOptions o;
    o.max_nonces = 3;
    o.nonce_lifetime = 120s;
    o.clock = [&clock] { return clock; };
    server::Checker checker(state_, o);
    const std::string body = nlohmann::json{{"institution_code", kInstitution}}.dump();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(checker.challenge(body).status, 200) << i;
    const server::Reply busy = checker.challenge(body);
    EXPECT_EQ(busy.status, 503);
    EXPECT_EQ(parse(to_bytes(busy.body)).header.error_code.value_or(""), "MQS004");
    clock += 121s;
    EXPECT_EQ(checker.challenge(body).status, 200);
}

TEST_F(ReferenceProtocolTest, StaleAndFutureTimesAreRefused) {
    test::RunningService running(options());
    auto client = http_client(running);
    auto& c = *client;
    EXPECT_EQ(post(c, check_body(nonce(c), now() - 1h)),
              (std::pair<int, std::string>{403, "MQS013"}));
    EXPECT_EQ(post(c, check_body(nonce(c), now() + 1h)),
              (std::pair<int, std::string>{403, "MQS014"}));
    EXPECT_EQ(post(c, check_body(nonce(c), now() - 60s)).first, 200);  // within the skew
}

TEST_F(ReferenceProtocolTest, OversizedAndMalformedRequestsGetAnErrorAndTheServiceGoesOn) {
    test::RunningService running(options());
    auto client = http_client(running);
    auto& c = *client;
    EXPECT_EQ(post(c, std::string(1024 * 1024, 'x')), (std::pair<int, std::string>{413, "MQS002"}));
    EXPECT_EQ(post(c, "{not json"), (std::pair<int, std::string>{400, "MQS001"}));
    EXPECT_EQ(post(c, "[]"), (std::pair<int, std::string>{400, "MQS001"}));
    EXPECT_EQ(post(c, "{}", "/v1/challenge"), (std::pair<int, std::string>{400, "MQS001"}));
    auto j = nlohmann::json::parse(check_body(nonce(c), now()));
    j["certificate"] = "zz";
    EXPECT_EQ(post(c, j.dump()), (std::pair<int, std::string>{400, "MQS001"}));
    j = nlohmann::json::parse(check_body(nonce(c), now()));
    j["certificate"] = "3003020100";  // hex, but no certificate
    EXPECT_EQ(post(c, j.dump()), (std::pair<int, std::string>{400, "MQS030"}));
    j = nlohmann::json::parse(check_body(nonce(c), now()));
    j["consents"] = {"medication", "xray"};
    EXPECT_EQ(post(c, j.dump()), (std::pair<int, std::string>{400, "MQS001"}));
    EXPECT_EQ(post(c, "{}", "/v1/nothing"), (std::pair<int, std::string>{404, "MQS005"}));
    EXPECT_EQ(post(c, check_body(nonce(c), now())).first, 200);
}

TEST_F(ReferenceProtocolTest, RateLimitPerClient) {
    test::RunningService running(options(2));
    auto client = http_client(running);
    auto& c = *client;
    std::vector<int> statuses;
    for (int i = 0; i < 5; ++i) statuses.push_back(post(c, "{}", "/v1/challenge").first);
    EXPECT_EQ(statuses[0], 400);
    EXPECT_EQ(statuses[1], 400);
    EXPECT_EQ(statuses[4], 429);
    EXPECT_EQ(post(c, "{}", "/v1/challenge").second, "MQS003");
}

TEST_F(ReferenceProtocolTest, StopLetsTheRequestInFlightFinish) {
    // The service's clock is read inside the handler: a slow clock keeps a
    // request in flight while stop() comes.
    std::atomic<bool> in_handler{false};
    auto o = options();
    o.checker.clock = [&] {
        in_handler = true;
        std::this_thread::sleep_for(500ms);
        return std::chrono::system_clock::now();
    };
    auto running = std::make_unique<test::RunningService>(std::move(o));
    int status = 0;
    std::thread request([&] {
        auto client = http_client(*running);
        const auto res =
            client->Post("/v1/challenge", nlohmann::json{{"institution_code", kInstitution}}.dump(),
                         "application/json");
        status = res ? res->status : -1;
    });
    while (!in_handler) std::this_thread::sleep_for(5ms);
    running.reset();  // stop() and wait for run() to return
    request.join();
    EXPECT_EQ(status, 200);
}

TEST_F(ReferenceProtocolTest, ClientErrorsAreClear) {
    const CardSigner signer = [&](ByteView di) {
        return test::sign_digest_info(card_key_.get(), di);
    };
    EXPECT_THROW(ReferenceClient("http://127.0.0.1:1", state_ / "server.pem"), Error);
    EXPECT_THROW(ReferenceClient("https://:8443", state_ / "server.pem"), Error);
    // Nobody listening: the service is not reachable.
    int free_port = 0;
    {
        test::RunningService running(options());
        free_port = running.port();
    }
    try {
        (void)ReferenceClient("https://127.0.0.1:" + std::to_string(free_port),
                              state_ / "server.pem", 2s)
            .check({kInstitution, {}}, cert_, signer);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::service_stopped) << e.what();
    }
    // Another service's certificate: refused before anything is sent.
    test::RunningService running(options());
    const auto other = dir_ / "other";
    server::init_state(other, {kInstitution}, {});
    try {
        (void)ReferenceClient(running.url(), other / "server.pem", 5s)
            .check({kInstitution, {}}, cert_, signer);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::service_stopped) << e.what();
        EXPECT_NE(std::string(e.what()).find("TLS certificate"), std::string::npos) << e.what();
    }
    // A listener that accepts and never answers: a time-out.
    UniqueFd silent(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(silent.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(silent.get(), 4), 0);
    socklen_t len = sizeof addr;
    ::getsockname(silent.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    try {
        (void)ReferenceClient("https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)),
                              state_ / "server.pem", 1s)
            .check({kInstitution, {}}, cert_, signer);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::timeout) << e.what();
    }
}

}  // namespace
