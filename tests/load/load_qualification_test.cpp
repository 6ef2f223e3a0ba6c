// Load on the reference qualification service: mynacard-qualification-server
// as a process on loopback answers 1,000 card checks from 16 clients at
// once, each client another card (the 16 generated load profiles), with no
// error, every answer for the client's own record, and every consent
// recorded: the SQLite database holds, per record, six consent rows per
// check and as many given consents as that client asked for.
//
// Software keys stand in for the cards (each profile's auth_key.pem, as
// tests/bench/qualification_server_bench.cpp does): this measures the
// service, not the card; the card path is loaded by load_pkcs11_test.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <regex>

#include "../unit/qualification/reference_fixture.h"
#include "core/error.h"
#include "core/spawn.h"
#include "core/unique_fd.h"
#include "qualification/reference_client.h"

using namespace mynacard;
using namespace mynacard::qualification;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t clients = 16;
constexpr int checks = 1000;
// Every check records all six consent items, given or not (checker.cpp).
constexpr int consent_items = 6;

const fs::path load_profiles = MYNACARD_LOAD_PROFILES;

fs::path card(std::size_t i) {
    char name[16];
    std::snprintf(name, sizeof name, "card-%02zu", i);
    return load_profiles / name;
}

std::string insured_number(std::size_t client) {
    return std::to_string(1000 + client);
}

// The consents of check `i`: a rotating subset, so a row stored for the
// wrong check or client changes the counts.
std::vector<ConsentItem> consents_of(int i) {
    static const std::vector<ConsentItem> all{
        ConsentItem::medication, ConsentItem::checkups, ConsentItem::diagnosis,
        ConsentItem::operation,  ConsentItem::limit,    ConsentItem::specific_disease};
    std::vector<ConsentItem> out;
    for (std::size_t k = 0; k < all.size(); ++k)
        if (((static_cast<std::size_t>(i) >> k) & 1U) != 0) out.push_back(all[k]);
    return out;
}

std::optional<int> wait_exit(pid_t pid, std::chrono::seconds within) {
    const auto until = Clock::now() + within;
    while (Clock::now() < until) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) return status;
        std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
}

struct Sqlite {
    sqlite3* db = nullptr;
    explicit Sqlite(const fs::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open " + file.string());
    }
    ~Sqlite() { sqlite3_close(db); }
    Sqlite(const Sqlite&) = delete;
    Sqlite& operator=(const Sqlite&) = delete;
    // number → {rows, given}: the consent rows of each record.
    std::map<std::string, std::pair<long, long>> consents_per_record() const {
        std::map<std::string, std::pair<long, long>> out;
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db,
                               "SELECT r.number, count(c.id), coalesce(sum(c.given), 0) "
                               "FROM records r LEFT JOIN consents c ON c.record_id = r.id "
                               "GROUP BY r.id",
                               -1, &s, nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db));
        while (sqlite3_step(s) == SQLITE_ROW)
            out[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] = {
                sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2)};
        sqlite3_finalize(s);
        return out;
    }
};

TEST(LoadQualification, ThousandChecksFromSixteenClients) {
    test::TempDir dir("load-qualification");
    const fs::path state = dir / "state";
    server::init_state(state, {test::kInstitution}, {});
    server::trust_ca(state, test::kPki / "auth_root.pem");
    for (std::size_t c = 0; c < clients; ++c) {
        test::spit(dir / "record.json",
                   R"({"InsurerNumber":"06132013","InsuredIdentificationNumber":")" +
                       insured_number(c) + R"(","Birthdate":"19800217"})");
        server::enroll(state, card(c) / "auth_cert.der", dir / "record.json");
    }

    // The service as installed: 8 workers (its default); no rate limit,
    // since all clients share 127.0.0.1, which the limiter counts as one.
    const UniqueFd out(
        ::open((dir / "out.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    const UniqueFd err(
        ::open((dir / "err.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    const std::array<ChildFd, 2> fds{{{out.get(), 1}, {err.get(), 2}}};
    const pid_t pid = spawn_isolated(
        MYNACARD_QUALIFICATION_SERVER,
        {"serve", "--state", state.string(), "--listen", "127.0.0.1:0", "--rate-limit", "0"}, fds);
    std::smatch m;
    std::string announced;
    const std::regex port_re(R"(listening on port (\d+))");
    for (int i = 0; i < 1000 && !std::regex_search(announced, m, port_re); ++i) {
        std::this_thread::sleep_for(20ms);
        announced = test::slurp(dir / "out.txt");
    }
    if (m.empty()) {
        ::kill(pid, SIGKILL);
        (void)wait_for_child(pid);
        FAIL() << "no port announced: " << test::slurp(dir / "err.txt");
    }
    const std::string url = "https://127.0.0.1:" + m[1].str();

    // Bounded: every client stops at the deadline; a check that hangs ends
    // with the client's 10 s timeout.
    const auto deadline = Clock::now() + 90s;
    std::atomic<int> answered{0};
    std::vector<std::string> errors(clients);
    std::vector<long> asked_given(clients, 0), done(clients, 0);
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (std::size_t c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            try {
                const auto key = test::load_key(card(c) / "auth_key.pem");
                const Bytes cert = to_bytes(test::slurp(card(c) / "auth_cert.der"));
                ReferenceClient client(url, state / "server.pem", 10s);
                const auto mine = checks / static_cast<int>(clients) +
                                  (c < static_cast<std::size_t>(checks) % clients ? 1 : 0);
                for (int i = 0; i < mine; ++i) {
                    if (Clock::now() > deadline) throw std::runtime_error("deadline exceeded");
                    const auto consents = consents_of(static_cast<int>(c) * 64 + i);
                    const XmlMsg a = client.check(
                        {test::kInstitution, consents}, cert,
                        [&](ByteView di) { return test::sign_digest_info(key.get(), di); });
                    if (a.validity() != QualificationValidity::valid)
                        throw std::runtime_error("check " + std::to_string(i) + ": not valid");
                    const auto& list = a.body.result_list;
                    if (!list || list->size() != 1 ||
                        list->front().insured_identification_number != insured_number(c))
                        throw std::runtime_error("check " + std::to_string(i) +
                                                 ": an answer for another record");
                    asked_given[c] += static_cast<long>(consents.size());
                    ++done[c];
                    ++answered;
                }
            } catch (const std::exception& e) {
                errors[c] = e.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    const std::chrono::duration<double> took = Clock::now() - start;
    std::printf("load: %d checks from %zu clients in %.1f s (%.0f checks/s)\n", answered.load(),
                clients, took.count(), answered.load() / took.count());

    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    const auto status = wait_exit(pid, 15s);
    if (!status) {
        ::kill(pid, SIGKILL);
        (void)wait_for_child(pid);
    }
    ASSERT_TRUE(status) << "the service did not stop on SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);

    for (std::size_t c = 0; c < clients; ++c) EXPECT_EQ(errors[c], "") << "client " << c;
    EXPECT_EQ(answered.load(), checks);
    const std::string log = test::slurp(dir / "err.txt");
    EXPECT_EQ(log.find("result=refused"), std::string::npos) << log.substr(0, 2000);
    std::size_t logged = 0;
    for (std::size_t at = 0; (at = log.find("op=check result=answered", at)) != std::string::npos;
         ++at)
        ++logged;
    EXPECT_EQ(logged, static_cast<std::size_t>(checks)) << "answers in the service's log";

    // Every consent of every check is in the database, for the right record.
    const auto rows = Sqlite(server::Store::db_path(state)).consents_per_record();
    ASSERT_EQ(rows.size(), clients);
    long total = 0;
    for (std::size_t c = 0; c < clients; ++c) {
        const auto it = rows.find(insured_number(c));
        ASSERT_NE(it, rows.end()) << "client " << c;
        EXPECT_EQ(it->second.first, consent_items * done[c]) << "consent rows of client " << c;
        EXPECT_EQ(it->second.second, asked_given[c]) << "given consents of client " << c;
        total += it->second.first;
    }
    EXPECT_EQ(total, consent_items * checks);
}

}  // namespace
