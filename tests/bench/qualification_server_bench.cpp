// Benchmark (not a test): card checks per second and p50/p99 latency of the
// reference qualification service on loopback, with 1 and 8 concurrent
// clients. Each check is what ReferenceClient::check does — a fresh TLS
// connection, POST /v1/challenge, the signature (a software RSA-2048 key
// standing in for the card: the card itself takes ~1 s and would measure
// the card), POST /v1/check — against the service in-process with 8
// workers and no rate limit. Bounded: `checks` per level or 60 s.
// Usage: qualification_server_bench [checks-per-level]   (default 400)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../unit/qualification/reference_fixture.h"
#include "qualification/reference_client.h"

using namespace mynacard;
using namespace mynacard::qualification;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    const int checks = argc > 1 ? std::max(8, std::stoi(argv[1])) : 400;
    test::TempDir dir("qualification-bench");
    const auto state = dir / "state";
    server::init_state(state, {test::kInstitution}, {});
    server::trust_ca(state, test::kPki / "auth_root.pem");
    test::spit(
        dir / "record.json",
        R"({"InsurerNumber":"06132013","InsuredIdentificationNumber":"1","Birthdate":"19800217"})");
    const auto cert_path = test::kProfiles / "default" / "auth_cert.der";
    server::enroll(state, cert_path, dir / "record.json");
    const Bytes cert = to_bytes(test::slurp(cert_path));
    const auto key = test::load_key(test::kProfiles / "default" / "auth_key.pem");

    server::ServiceOptions o;
    o.state_dir = state;
    o.port = 0;
    o.threads = 8;
    o.rate_per_second = 0;
    o.log = [](std::string_view) {};
    test::RunningService running(std::move(o));

    std::printf("| concurrent clients | checks | checks/s | p50 ms | p99 ms | failures |\n");
    std::printf("|---|---|---|---|---|---|\n");
    for (const int clients : {1, 8}) {
        std::vector<double> latencies;
        std::mutex mutex;
        int failures = 0;
        const auto start = Clock::now();
        const auto stop_at = start + 60s;
        std::vector<std::thread> threads;
        for (int t = 0; t < clients; ++t) {
            threads.emplace_back([&, t] {
                ReferenceClient client(running.url(), state / "server.pem", 10s);
                const int mine = checks / clients + (t < checks % clients ? 1 : 0);
                for (int i = 0; i < mine && Clock::now() < stop_at; ++i) {
                    const auto t0 = Clock::now();
                    bool ok = false;
                    try {
                        const XmlMsg a = client.check(
                            {test::kInstitution, {}}, cert,
                            [&](ByteView di) { return test::sign_digest_info(key.get(), di); });
                        ok = a.validity() == QualificationValidity::valid;
                    } catch (const std::exception&) {
                        ok = false;
                    }
                    const std::chrono::duration<double, std::milli> ms = Clock::now() - t0;
                    const std::lock_guard lock(mutex);
                    latencies.push_back(ms.count());
                    if (!ok) ++failures;
                }
            });
        }
        for (auto& th : threads) th.join();
        const std::chrono::duration<double> total = Clock::now() - start;
        std::sort(latencies.begin(), latencies.end());
        const auto pct = [&](double p) {
            return latencies.empty()
                       ? 0.0
                       : latencies[std::min(
                             latencies.size() - 1,
                             static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
        };
        std::printf("| %d | %zu | %.0f | %.1f | %.1f | %d |\n", clients, latencies.size(),
                    static_cast<double>(latencies.size()) / total.count(), pct(0.50), pct(0.99),
                    failures);
    }
    return 0;
}
