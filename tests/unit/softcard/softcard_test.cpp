#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "apdu/status.h"
#include "fixture.h"
#include "support/temp_dir.h"

namespace softcard_test {

namespace {
Fixture g_fixture;
std::unique_ptr<mynacard::test::TempDir> g_scratch;
std::map<std::string, mynacard::softcard::Profile> g_profiles;

class Environment : public ::testing::Environment {
  public:
    void SetUp() override {
        g_scratch = std::make_unique<mynacard::test::TempDir>("softcard-test");
        g_fixture.root = g_scratch->path();
    }
    void TearDown() override {
        if (std::getenv("SOFTCARD_TEST_KEEP") != nullptr) {
            g_scratch->keep();
            std::printf("softcard test files kept in %s\n", g_fixture.root.c_str());
        }
        g_scratch.reset();
    }
};

[[maybe_unused]] const auto* const g_env = ::testing::AddGlobalTestEnvironment(
    std::make_unique<Environment>().release());  // gtest owns it
}  // namespace

const Fixture& fixture() {
    return g_fixture;
}

std::filesystem::path Fixture::pki() const {
    return std::filesystem::path(MYNACARD_TEST_SHARE) / "pki";
}

std::filesystem::path Fixture::profile_dir(const std::string& variant) const {
    return std::filesystem::path(MYNACARD_TEST_SHARE) / "profiles" / variant;
}

mynacard::softcard::Profile profile(const std::string& variant) {
    auto it = g_profiles.find(variant);
    if (it == g_profiles.end())
        it = g_profiles
                 .emplace(variant, mynacard::softcard::load_profile(g_fixture.profile_dir(variant)))
                 .first;
    return it->second;
}

mynacard::Bytes tx(mynacard::softcard::Card& card, const std::string& hex) {
    return card.process(mynacard::from_hex(hex));
}

std::uint16_t sw(const mynacard::Bytes& r) {
    return r.size() < 2 ? 0 : mynacard::be16(r, r.size() - 2);
}

mynacard::Bytes body(const mynacard::Bytes& r) {
    return r.size() < 2 ? mynacard::Bytes{} : mynacard::Bytes(r.begin(), r.end() - 2);
}

std::string hex_sw(mynacard::softcard::Card& card, const std::string& hex) {
    const auto r = tx(card, hex);
    return mynacard::to_hex(mynacard::ByteView(r).last(std::min<std::size_t>(2, r.size())));
}

std::string sel_ef(unsigned fid) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "00A4020C02%04X", fid & 0xFFFFu);
    return buf;
}

std::string verify(const std::string& ascii) {
    char len[3];
    std::snprintf(len, sizeof len, "%02X", static_cast<unsigned>(ascii.size()));
    return std::string("00200080") + len + mynacard::to_hex(mynacard::to_bytes(ascii));
}

mynacard::Bytes read_all(mynacard::softcard::Card& card) {
    mynacard::Bytes out;
    for (std::size_t off = 0; off <= 0x7FFF; off += 256) {
        char cmd[16];
        std::snprintf(cmd, sizeof cmd, "00B0%04X00", static_cast<unsigned>(off));
        const auto r = tx(card, cmd);
        if (sw(r) != mynacard::apdu::sw::ok) break;
        const auto d = body(r);
        out.insert(out.end(), d.begin(), d.end());
        if (d.size() < 256) break;
    }
    return out;
}

}  // namespace softcard_test
