// Drives the built libifd-mynacard-virtual.so through its IFDH* entry points
// (as pcscd does) and its control socket (as mynacard-sim does).

#include <dlfcn.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

extern "C" {
#include <ifdhandler.h>
#include <reader.h>
}

#include "core/bytes.h"
#include "core/error.h"
#include "softcard/card.h"
#include "softcard/profile.h"
#include "support/temp_dir.h"
#include "virtual/pinpad.h"
#include "virtual/sim_client.h"

namespace {

using mynacard::Bytes;
using mynacard::from_hex;
using mynacard::SecureBytes;
using mynacard::to_hex;
using mynacard::virtual_reader::SimClient;
using nlohmann::json;
namespace fs = std::filesystem;
namespace pinpad = mynacard::virtual_reader::pinpad;

constexpr DWORD lun0 = 0x00000;  // "mynacard-virtual:0:contact"
constexpr DWORD lun1 = 0x10000;  // "mynacard-virtual:1:contactless"
constexpr DWORD lun2 = 0x20000;  // "mynacard-virtual:2:contact+pinpad"

// card-facts.md §1.5 / §2.1.
const Bytes select_jpki = from_hex("00A4040C0AD392F000260100000001");
const Bytes select_auth_cert = from_hex("00A4020C02000A");
const Bytes select_auth_pin = from_hex("00A4020C020018");
const Bytes read_4 = from_hex("00B0000004");

struct Module {
    void* handle = nullptr;
    decltype(&IFDHCreateChannelByName) create = nullptr;
    decltype(&IFDHCloseChannel) close = nullptr;
    decltype(&IFDHGetCapabilities) get_capabilities = nullptr;
    decltype(&IFDHSetProtocolParameters) set_protocol = nullptr;
    decltype(&IFDHPowerICC) power = nullptr;
    decltype(&IFDHTransmitToICC) transmit = nullptr;
    decltype(&IFDHICCPresence) presence = nullptr;
    decltype(&IFDHControl) control = nullptr;
};

// Shared by every test of the binary: the module, the socket path and a
// copy of the build's default profile (generated once by the build, not
// here: RSA key generation is slow and ctest runs each test in a process).
struct World {
    std::optional<mynacard::test::TempDir> scratch;
    fs::path dir;
    fs::path socket;
    fs::path profile;
    Module m;
    std::string auth_pin;
    int auth_max = 0;
    Bytes atr;
};

// The World lives until exit (the module stays loaded), but its scratch
// directory with keys and the socket is removed when the tests end.
World* created_world = nullptr;

class ScratchCleanup : public ::testing::Environment {
  public:
    void TearDown() override {
        if (created_world == nullptr) return;
        created_world->scratch.reset();
    }
};
[[maybe_unused]] const auto* const scratch_cleanup =
    ::testing::AddGlobalTestEnvironment(new ScratchCleanup);  // gtest takes ownership

World& world() {
    static World* w = [] {
        auto owned = std::make_unique<World>();
        owned->scratch.emplace("mynacard-virtual-test");
        owned->dir = owned->scratch->path();
        owned->socket = owned->dir / "sim.sock";
        ::setenv("MYNACARD_SIM_SOCKET", owned->socket.c_str(), 1);
        owned->profile = owned->dir / "profile-default";
        fs::copy(fs::path(MYNACARD_TEST_PROFILES) / "default", owned->profile,
                 fs::copy_options::recursive);
        auto profile = mynacard::softcard::load_profile(owned->profile);
        const auto& secret = profile.secrets.at("auth");
        owned->auth_pin.assign(secret.value.begin(), secret.value.end());
        owned->auth_max = secret.max_tries;
        owned->atr = mynacard::softcard::Card(std::move(profile)).atr();

        Module& m = owned->m;
        m.handle = ::dlopen(MYNACARD_VIRTUAL_MODULE, RTLD_NOW | RTLD_LOCAL);
        if (m.handle == nullptr) throw std::runtime_error(::dlerror());
        auto sym = [&](const char* name) {
            void* p = ::dlsym(m.handle, name);
            if (p == nullptr) throw std::runtime_error(std::string("missing ") + name);
            return p;
        };
        m.create = reinterpret_cast<decltype(m.create)>(sym("IFDHCreateChannelByName"));
        m.close = reinterpret_cast<decltype(m.close)>(sym("IFDHCloseChannel"));
        m.get_capabilities =
            reinterpret_cast<decltype(m.get_capabilities)>(sym("IFDHGetCapabilities"));
        m.set_protocol =
            reinterpret_cast<decltype(m.set_protocol)>(sym("IFDHSetProtocolParameters"));
        m.power = reinterpret_cast<decltype(m.power)>(sym("IFDHPowerICC"));
        m.transmit = reinterpret_cast<decltype(m.transmit)>(sym("IFDHTransmitToICC"));
        m.presence = reinterpret_cast<decltype(m.presence)>(sym("IFDHICCPresence"));
        m.control = reinterpret_cast<decltype(m.control)>(sym("IFDHControl"));
        created_world = owned.get();
        return owned.release();
    }();
    return *w;
}

class VirtualReader : public ::testing::Test {
  protected:
    void SetUp() override {
        w = &world();
        m = &w->m;
        ASSERT_EQ(m->create(lun0, const_cast<char*>("mynacard-virtual:0:contact")), IFD_SUCCESS);
        ASSERT_EQ(m->create(lun1, const_cast<char*>("mynacard-virtual:1:contactless")),
                  IFD_SUCCESS);
        ASSERT_EQ(m->create(lun2, const_cast<char*>("\"mynacard-virtual:2:contact+pinpad\"")),
                  IFD_SUCCESS);
    }
    void TearDown() override {
        // Closing the last channel drops all state and joins the control thread.
        for (DWORD lun : {lun0, lun1, lun2}) EXPECT_EQ(m->close(lun), IFD_SUCCESS);
        EXPECT_FALSE(fs::exists(w->socket));
    }

    json sim(json request) {
        SimClient client(w->socket.string());
        return client.request(request);
    }
    json sim_ok(json request) {
        json r = sim(std::move(request));
        EXPECT_TRUE(r.value("ok", false)) << r.dump();
        return r;
    }
    void insert(int reader, bool fresh = false) {
        sim_ok({{"cmd", "insert"},
                {"reader", reader},
                {"profile", w->profile.string()},
                {"fresh", fresh}});
    }
    Bytes power_up(DWORD lun) {
        std::array<UCHAR, MAX_ATR_SIZE> atr{};
        DWORD len = atr.size();
        EXPECT_EQ(m->power(lun, IFD_POWER_UP, atr.data(), &len), IFD_SUCCESS);
        return Bytes(atr.begin(), atr.begin() + len);
    }
    RESPONSECODE transmit(DWORD lun, const Bytes& command, Bytes& response) {
        SCARD_IO_HEADER send{SCARD_PROTOCOL_T1, sizeof(SCARD_IO_HEADER)};
        SCARD_IO_HEADER recv{};
        std::array<UCHAR, 65538> buf{};
        DWORD len = buf.size();
        RESPONSECODE rc = m->transmit(lun, send, const_cast<UCHAR*>(command.data()),
                                      static_cast<DWORD>(command.size()), buf.data(), &len, &recv);
        response.assign(buf.begin(), buf.begin() + len);
        return rc;
    }
    Bytes apdu(DWORD lun, const Bytes& command) {
        Bytes response;
        EXPECT_EQ(transmit(lun, command, response), IFD_SUCCESS);
        return response;
    }
    static std::uint16_t sw(const Bytes& r) {
        return r.size() < 2 ? 0 : static_cast<std::uint16_t>((r[r.size() - 2] << 8) | r.back());
    }
    Bytes verify_apdu(const std::string& pin) const {
        Bytes c{0x00, 0x20, 0x00, 0x80, static_cast<std::uint8_t>(pin.size())};
        c.insert(c.end(), pin.begin(), pin.end());
        return c;
    }
    int tries_left(int reader, const char* secret = "auth") {
        return sim_ok({{"cmd", "status"}, {"reader", reader}})["reader"]["tries_left"].value(secret,
                                                                                             -1);
    }
    RESPONSECODE control(DWORD lun, DWORD code, const Bytes& in, Bytes& out) {
        std::array<UCHAR, 512> buf{};
        DWORD got = 0;
        RESPONSECODE rc = m->control(lun, code, const_cast<UCHAR*>(in.data()),
                                     static_cast<DWORD>(in.size()), buf.data(), buf.size(), &got);
        out.assign(buf.begin(), buf.begin() + got);
        return rc;
    }
    // PIN_VERIFY_STRUCTURE as OpenSC builds it for an ASCII PIN without padding.
    static Bytes verify_structure() {
        Bytes s{0x1E, 0x1E, 0x02, 0x00, 0x00, 0x10, 0x04, 0x02, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00};
        s[5] = 16;  // wPINMaxExtraDigit little-endian: max 16
        s[6] = 4;   //                                  min 4
        Bytes header{0x00, 0x20, 0x00, 0x80};
        s.insert(s.end(), header.begin(), header.end());
        return s;
    }

    World* w = nullptr;
    Module* m = nullptr;
};

TEST_F(VirtualReader, ReadersStartEmptyAndListed) {
    for (DWORD lun : {lun0, lun1, lun2}) EXPECT_EQ(m->presence(lun), IFD_ICC_NOT_PRESENT);
    json list = sim_ok({{"cmd", "list"}});
    ASSERT_EQ(list["readers"].size(), 3U);
    EXPECT_EQ(list["readers"][1]["mode"], "contactless");
    EXPECT_EQ(list["readers"][2]["pinpad"], true);
    EXPECT_EQ(list["readers"][0]["card_present"], false);
}

TEST_F(VirtualReader, CapabilitiesPcscdAsks) {
    UCHAR v[64];
    DWORD len = sizeof v;
    ASSERT_EQ(m->get_capabilities(lun0, TAG_IFD_SIMULTANEOUS_ACCESS, &len, v), IFD_SUCCESS);
    EXPECT_EQ(len, 1U);
    EXPECT_GT(v[0], 1);
    len = sizeof v;
    ASSERT_EQ(m->get_capabilities(lun0, TAG_IFD_THREAD_SAFE, &len, v), IFD_SUCCESS);
    EXPECT_EQ(v[0], 1);
    len = sizeof v;
    ASSERT_EQ(m->get_capabilities(lun0, TAG_IFD_SLOTS_NUMBER, &len, v), IFD_SUCCESS);
    EXPECT_EQ(v[0], 1);
    len = sizeof v;
    EXPECT_EQ(m->get_capabilities(lun0, TAG_IFD_POLLING_THREAD_WITH_TIMEOUT, &len, v),
              IFD_ERROR_TAG);
    len = sizeof v;
    ASSERT_EQ(m->get_capabilities(lun0, SCARD_ATTR_VENDOR_NAME, &len, v), IFD_SUCCESS);
    EXPECT_STREQ(reinterpret_cast<char*>(v), "mynacard");
    len = 0;
    EXPECT_EQ(m->get_capabilities(lun0, SCARD_ATTR_VENDOR_NAME, &len, v),
              IFD_ERROR_INSUFFICIENT_BUFFER);
}

TEST_F(VirtualReader, BadDeviceNameRefused) {
    EXPECT_EQ(m->create(0x30000, const_cast<char*>("usb:1234/5678")), IFD_NO_SUCH_DEVICE);
    EXPECT_EQ(m->create(0x30000, const_cast<char*>("mynacard-virtual:0:contact")),
              IFD_COMMUNICATION_ERROR)
        << "reader 0 is already served";
}

TEST_F(VirtualReader, InsertPowerAtrRemove) {
    insert(0);
    EXPECT_EQ(m->presence(lun0), IFD_ICC_PRESENT);
    EXPECT_EQ(power_up(lun0), w->atr);
    UCHAR v[64];
    DWORD len = sizeof v;
    ASSERT_EQ(m->get_capabilities(lun0, TAG_IFD_ATR, &len, v), IFD_SUCCESS);
    EXPECT_EQ(Bytes(v, v + len), w->atr);
    EXPECT_EQ(m->set_protocol(lun0, SCARD_PROTOCOL_T1, 0, 0, 0, 0), IFD_SUCCESS);
    json removed = sim_ok({{"cmd", "remove"}, {"reader", 0}});
    EXPECT_TRUE(removed["removed"]);
    EXPECT_EQ(m->presence(lun0), IFD_ICC_NOT_PRESENT);
    Bytes r;
    EXPECT_EQ(transmit(lun0, select_jpki, r), IFD_ICC_NOT_PRESENT);
}

TEST_F(VirtualReader, RemovalIsSeenEvenIfTheCardIsBackBeforeThePoll) {
    insert(0);
    EXPECT_EQ(m->presence(lun0), IFD_ICC_PRESENT);
    sim_ok({{"cmd", "remove"}, {"reader", 0}});
    insert(0);
    EXPECT_EQ(m->presence(lun0), IFD_ICC_NOT_PRESENT);
    EXPECT_EQ(m->presence(lun0), IFD_ICC_PRESENT);
}

TEST_F(VirtualReader, SelectAndReadThroughTheCard) {
    insert(0);
    power_up(lun0);
    EXPECT_EQ(sw(apdu(lun0, select_jpki)), 0x9000);
    EXPECT_EQ(sw(apdu(lun0, select_auth_cert)), 0x9000);
    Bytes r = apdu(lun0, read_4);
    ASSERT_EQ(r.size(), 6U);
    EXPECT_EQ(r[0], 0x30);  // DER SEQUENCE of the certificate
    EXPECT_EQ(sw(r), 0x9000);
}

TEST_F(VirtualReader, CountersSurviveRemovalAndMovingReaders) {
    insert(0);
    power_up(lun0);
    apdu(lun0, select_jpki);
    apdu(lun0, select_auth_pin);
    const std::string wrong = w->auth_pin == "9999" ? "9998" : "9999";
    EXPECT_EQ(sw(apdu(lun0, verify_apdu(wrong))) & 0xFFF0, 0x63C0);
    EXPECT_EQ(tries_left(0), w->auth_max - 1);

    sim_ok({{"cmd", "remove"}, {"reader", 0}});
    insert(0);
    EXPECT_EQ(tries_left(0), w->auth_max - 1);

    // The same card cannot be in two readers; moved, it keeps its counter.
    EXPECT_FALSE(sim({{"cmd", "insert"}, {"reader", 1}, {"profile", w->profile.string()}})
                     .value("ok", true));
    sim_ok({{"cmd", "remove"}, {"reader", 0}});
    insert(1);
    EXPECT_EQ(tries_left(1), w->auth_max - 1);

    sim_ok({{"cmd", "remove"}, {"reader", 1}});
    insert(1, /*fresh=*/true);
    EXPECT_EQ(tries_left(1), w->auth_max);
}

TEST_F(VirtualReader, FaultRemoveAfter) {
    insert(0);
    power_up(lun0);
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "remove-after"}, {"count", 1}});
    EXPECT_EQ(sw(apdu(lun0, select_jpki)), 0x9000);
    Bytes r;
    EXPECT_EQ(transmit(lun0, select_auth_cert, r), IFD_COMMUNICATION_ERROR);
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(m->presence(lun0), IFD_ICC_NOT_PRESENT);
    EXPECT_FALSE(sim_ok({{"cmd", "status"}, {"reader", 0}})["reader"]["card_present"]);
}

TEST_F(VirtualReader, FaultMute) {
    insert(0);
    power_up(lun0);
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "mute"}});
    Bytes r;
    EXPECT_EQ(transmit(lun0, select_jpki, r), IFD_RESPONSE_TIMEOUT);
    EXPECT_EQ(m->presence(lun0), IFD_ICC_PRESENT);
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "clear"}});
    EXPECT_EQ(sw(apdu(lun0, select_jpki)), 0x9000);
}

TEST_F(VirtualReader, FaultCorrupt) {
    insert(0);
    power_up(lun0);
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "corrupt"}, {"after", 1}});
    EXPECT_EQ(sw(apdu(lun0, select_jpki)), 0x9000);
    EXPECT_EQ(apdu(lun0, select_auth_cert).size(), 1U);
    EXPECT_EQ(sw(apdu(lun0, select_auth_cert)), 0x9000) << "one-shot";
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "corrupt"}, {"mode", "random"}});
    EXPECT_EQ(apdu(lun0, read_4).size(), 6U);
}

TEST_F(VirtualReader, FaultStatusWord) {
    insert(0);
    power_up(lun0);
    sim_ok({{"cmd", "fault"},
            {"reader", 0},
            {"kind", "sw"},
            {"sw", "6A82"},
            {"ins", "A4"},
            {"after", 1}});
    EXPECT_EQ(sw(apdu(lun0, select_jpki)), 0x9000);
    EXPECT_EQ(sw(apdu(lun0, read_4)), sw(apdu(lun0, read_4))) << "other INS untouched";
    EXPECT_EQ(apdu(lun0, select_auth_cert), from_hex("6A82"));
    EXPECT_EQ(sw(apdu(lun0, select_auth_cert)), 0x9000) << "one-shot by default";
    json status = sim_ok({{"cmd", "status"}, {"reader", 0}});
    EXPECT_TRUE(status["reader"]["faults"]["sw"].is_null());
}

TEST_F(VirtualReader, StatusReportsVerifiedUntilReset) {
    insert(0);
    power_up(lun0);
    auto verified = [&] {
        return sim_ok({{"cmd", "status"}, {"reader", 0}})["reader"]["verified"];
    };
    EXPECT_EQ(verified().value("auth", true), false);
    apdu(lun0, select_jpki);
    apdu(lun0, select_auth_pin);
    EXPECT_EQ(sw(apdu(lun0, verify_apdu(w->auth_pin))), 0x9000);
    EXPECT_EQ(verified().value("auth", false), true);
    EXPECT_EQ(verified().value("sign", true), false);
    power_up(lun0);  // a warm reset clears it, as on the card
    EXPECT_EQ(verified().value("auth", true), false);
}

TEST_F(VirtualReader, FaultResetLosesCardState) {
    insert(0);
    power_up(lun0);
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "reset"}, {"after", 3}});
    apdu(lun0, select_jpki);
    apdu(lun0, select_auth_pin);
    EXPECT_EQ(sw(apdu(lun0, verify_apdu(w->auth_pin))), 0x9000);
    // The 4th APDU meets a card that lost its AP and its verified PIN.
    EXPECT_EQ(sw(apdu(lun0, select_auth_cert)), 0x6A82);
    json status = sim_ok({{"cmd", "status"}, {"reader", 0}})["reader"];
    EXPECT_EQ(status["verified"].value("auth", true), false);
    EXPECT_TRUE(status["faults"]["reset_after"].is_null()) << "one-shot";
    EXPECT_EQ(m->presence(lun0), IFD_ICC_PRESENT) << "no event for pcscd";
    EXPECT_EQ(tries_left(0), w->auth_max);
    json trace = sim_ok({{"cmd", "trace"}, {"reader", 0}});
    EXPECT_EQ(trace["entries"].back().value("fault", ""), "reset");
}

TEST_F(VirtualReader, FaultUnplugUntilReplug) {
    insert(0);
    power_up(lun0);
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "unplug"}, {"after", 1}});
    EXPECT_EQ(sw(apdu(lun0, select_jpki)), 0x9000);
    Bytes r;
    EXPECT_EQ(transmit(lun0, select_auth_cert, r), IFD_NO_SUCH_DEVICE);
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(m->presence(lun0), IFD_NO_SUCH_DEVICE);
    EXPECT_EQ(m->presence(lun0), IFD_NO_SUCH_DEVICE) << "until replugged";
    std::array<UCHAR, MAX_ATR_SIZE> atr{};
    DWORD len = atr.size();
    EXPECT_EQ(m->power(lun0, IFD_POWER_UP, atr.data(), &len), IFD_NO_SUCH_DEVICE);
    Bytes out;
    EXPECT_EQ(control(lun0, CM_IOCTL_GET_FEATURE_REQUEST, {}, out), IFD_NO_SUCH_DEVICE);
    json status = sim_ok({{"cmd", "status"}, {"reader", 0}})["reader"];
    EXPECT_EQ(status["faults"]["unplugged"], true);
    EXPECT_EQ(status["card_present"], true) << "the card stays in the unplugged reader";
    EXPECT_EQ(status["powered"], false);

    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "replug"}});
    EXPECT_EQ(m->presence(lun0), IFD_ICC_NOT_PRESENT) << "pcscd sees the card as new";
    EXPECT_EQ(m->presence(lun0), IFD_ICC_PRESENT);
    EXPECT_EQ(transmit(lun0, select_jpki, r), IFD_COMMUNICATION_ERROR) << "unpowered";
    power_up(lun0);
    EXPECT_EQ(sw(apdu(lun0, select_jpki)), 0x9000);

    // Without "after" the reader goes at once; "clear" brings it back too.
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "unplug"}});
    EXPECT_EQ(m->presence(lun0), IFD_NO_SUCH_DEVICE);
    sim_ok({{"cmd", "fault"}, {"reader", 0}, {"kind", "clear"}});
    EXPECT_EQ(m->presence(lun0), IFD_ICC_NOT_PRESENT);
    EXPECT_EQ(m->presence(lun0), IFD_ICC_PRESENT);
}

TEST_F(VirtualReader, SimCommandsForResetAndUnplug) {
    const std::string sim =
        std::string(MYNACARD_SIM_BINARY) + " --socket " + w->socket.string() + " fault --reader 0 ";
    auto run = [&](const std::string& args) {
        const int status = std::system((sim + args + " >/dev/null").c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    ASSERT_EQ(run("reset --after 4"), 0);
    json f = sim_ok({{"cmd", "status"}, {"reader", 0}})["reader"]["faults"];
    EXPECT_EQ(f["reset_after"], 4);
    ASSERT_EQ(run("unplug --after 2"), 0);
    f = sim_ok({{"cmd", "status"}, {"reader", 0}})["reader"]["faults"];
    EXPECT_EQ(f["unplug_after"], 2);
    EXPECT_EQ(f["unplugged"], false);
    ASSERT_EQ(run("unplug"), 0);
    EXPECT_EQ(m->presence(lun0), IFD_NO_SUCH_DEVICE);
    ASSERT_EQ(run("replug"), 0);
    f = sim_ok({{"cmd", "status"}, {"reader", 0}})["reader"]["faults"];
    EXPECT_EQ(f["unplugged"], false);
    EXPECT_TRUE(f["unplug_after"].is_null());
    EXPECT_NE(run("reset --after -1"), 0);
}

TEST_F(VirtualReader, LatencyIsReportedAndApplied) {
    insert(0);
    power_up(lun0);
    json r = sim_ok({{"cmd", "latency"},
                     {"reader", 0},
                     {"per_apdu_ms", 50},
                     {"per_byte_us", 10},
                     {"per_signature_ms", 200}});
    EXPECT_EQ(r["latency"]["per_apdu_ms"], 50.0);
    json status = sim_ok({{"cmd", "status"}, {"reader", 0}});
    EXPECT_EQ(status["reader"]["latency"]["per_signature_ms"], 200.0);
    const auto start = std::chrono::steady_clock::now();
    apdu(lun0, select_jpki);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
    // Another reader is not slowed down by reader 0's setting.
    r = sim_ok({{"cmd", "latency"}, {"reader", 0}, {"clear", true}});
    EXPECT_EQ(r["latency"]["per_apdu_ms"], 0.0);
}

TEST_F(VirtualReader, TraceRedactsVerifyAndCountsStats) {
    insert(0);
    power_up(lun0);
    sim_ok({{"cmd", "trace"}, {"clear", true}});
    apdu(lun0, select_jpki);
    apdu(lun0, select_auth_pin);
    EXPECT_EQ(sw(apdu(lun0, verify_apdu(w->auth_pin))), 0x9000);
    apdu(lun0, from_hex("00200080"));  // tries-left query: no data, not secret

    json trace = sim_ok({{"cmd", "trace"}, {"reader", 0}});
    ASSERT_EQ(trace["entries"].size(), 4U);
    const json& v = trace["entries"][2];
    EXPECT_EQ(v["redacted"], true);
    EXPECT_EQ(v["command"], "0020008004<redacted 4 bytes>");
    EXPECT_EQ(v["response"], "9000");
    EXPECT_EQ(trace["entries"][0]["command"], to_hex(select_jpki));
    const std::string text = trace.dump();
    const std::string pin_hex = to_hex(mynacard::to_bytes(w->auth_pin));
    EXPECT_EQ(text.find(pin_hex), std::string::npos);
    EXPECT_EQ(text.find(to_hex(mynacard::to_bytes(w->auth_pin), false)), std::string::npos);

    json stats = sim_ok({{"cmd", "trace"}, {"stats", true}, {"reader", 0}});
    ASSERT_EQ(stats["stats"].size(), 1U);
    EXPECT_EQ(stats["stats"][0]["apdus"], 4);
    EXPECT_EQ(stats["stats"][0]["command_bytes"],
              select_jpki.size() + select_auth_pin.size() + 5 + w->auth_pin.size() + 4);
}

TEST_F(VirtualReader, TraceFollowStreams) {
    insert(0);
    power_up(lun0);
    SimClient follower(w->socket.string());
    json first = follower.request(json{{"cmd", "trace"}, {"follow", true}, {"reader", 0}});
    ASSERT_TRUE(first.value("ok", false));
    apdu(lun0, select_jpki);
    auto line = follower.read_line(5000);
    ASSERT_TRUE(line.has_value());
    EXPECT_EQ((*line)["command"], to_hex(select_jpki));
    EXPECT_EQ((*line)["reader"], 0);
}

TEST_F(VirtualReader, FeatureListOnlyOnPinpadReaders) {
    Bytes out;
    // Works without a card (SCARD_SHARE_DIRECT).
    ASSERT_EQ(control(lun2, CM_IOCTL_GET_FEATURE_REQUEST, {}, out), IFD_SUCCESS);
    ASSERT_EQ(out.size() % 6, 0U);
    bool verify = false, modify = false;
    for (std::size_t i = 0; i + 6 <= out.size(); i += 6) {
        EXPECT_EQ(out[i + 1], 4);
        const std::uint32_t code = (std::uint32_t{out[i + 2]} << 24) |
                                   (std::uint32_t{out[i + 3]} << 16) |
                                   (std::uint32_t{out[i + 4]} << 8) | std::uint32_t{out[i + 5]};
        if (out[i] == FEATURE_VERIFY_PIN_DIRECT) {
            verify = true;
            EXPECT_EQ(code, 0x42330006U);
        }
        if (out[i] == FEATURE_MODIFY_PIN_DIRECT) modify = true;
    }
    EXPECT_TRUE(verify);
    EXPECT_TRUE(modify);
    ASSERT_EQ(control(lun2, pinpad::feature_ioctl(FEATURE_IFD_PIN_PROPERTIES), {}, out),
              IFD_SUCCESS);
    EXPECT_EQ(out.size(), 4U);
    ASSERT_EQ(control(lun2, pinpad::feature_ioctl(FEATURE_GET_TLV_PROPERTIES), {}, out),
              IFD_SUCCESS);
    EXPECT_FALSE(out.empty());

    ASSERT_EQ(control(lun0, CM_IOCTL_GET_FEATURE_REQUEST, {}, out), IFD_SUCCESS);
    EXPECT_TRUE(out.empty());
    EXPECT_NE(
        control(lun0, pinpad::feature_ioctl(FEATURE_VERIFY_PIN_DIRECT), verify_structure(), out),
        IFD_SUCCESS);
}

TEST_F(VirtualReader, PinpadVerifyWithTypedPin) {
    insert(2);
    power_up(lun2);
    apdu(lun2, select_jpki);
    apdu(lun2, select_auth_pin);
    sim_ok({{"cmd", "trace"}, {"clear", true}});
    const DWORD verify = pinpad::feature_ioctl(FEATURE_VERIFY_PIN_DIRECT);
    Bytes out;

    // Nobody typed: the reader times out.
    ASSERT_EQ(control(lun2, verify, verify_structure(), out), IFD_SUCCESS);
    EXPECT_EQ(out, from_hex("6400"));
    sim_ok({{"cmd", "pinpad"}, {"reader", 2}, {"action", "cancel"}});
    ASSERT_EQ(control(lun2, verify, verify_structure(), out), IFD_SUCCESS);
    EXPECT_EQ(out, from_hex("6401"));

    json queued =
        sim_ok({{"cmd", "pinpad"}, {"reader", 2}, {"action", "type"}, {"pin", w->auth_pin}});
    EXPECT_EQ(queued["queued"], 1);
    ASSERT_EQ(control(lun2, verify, verify_structure(), out), IFD_SUCCESS);
    EXPECT_EQ(out, from_hex("9000"));
    EXPECT_EQ(tries_left(2), w->auth_max);

    const std::string wrong = w->auth_pin == "9999" ? "9998" : "9999";
    sim_ok({{"cmd", "pinpad"}, {"reader", 2}, {"action", "type"}, {"pin", wrong}});
    ASSERT_EQ(control(lun2, verify, verify_structure(), out), IFD_SUCCESS);
    EXPECT_EQ(sw(out) & 0xFFF0, 0x63C0);
    EXPECT_EQ(tries_left(2), w->auth_max - 1);

    const std::string text = sim_ok({{"cmd", "trace"}, {"reader", 2}}).dump();
    EXPECT_EQ(text.find(to_hex(mynacard::to_bytes(w->auth_pin))), std::string::npos);
    EXPECT_EQ(text.find(to_hex(mynacard::to_bytes(wrong))), std::string::npos);
    EXPECT_NE(text.find("\"source\":\"pinpad\""), std::string::npos);
}

TEST_F(VirtualReader, PinpadRefusedOnPlainReader) {
    json r = sim({{"cmd", "pinpad"}, {"reader", 0}, {"action", "type"}, {"pin", "1234"}});
    EXPECT_FALSE(r.value("ok", true));
}

TEST_F(VirtualReader, UnknownRequestsAnswerErrors) {
    EXPECT_FALSE(sim({{"cmd", "nonsense"}}).value("ok", true));
    EXPECT_FALSE(sim({{"cmd", "status"}, {"reader", 9}}).value("ok", true));
    EXPECT_FALSE(
        sim({{"cmd", "insert"}, {"reader", 0}, {"profile", "/nonexistent"}}).value("ok", true));
}

// ---------------------------------------------------------------- pure --

SecureBytes secure(const std::string& s) {
    return SecureBytes(s.begin(), s.end());
}

Bytes structure(std::uint8_t format, std::uint8_t block, std::uint8_t length_format,
                const Bytes& apdu_template) {
    Bytes s{0, 0, format, block, length_format, 16, 4, 2, 0, 0, 0, 0, 0, 0, 0};
    const auto n = static_cast<std::uint32_t>(apdu_template.size());
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    s.insert(s.end(), apdu_template.begin(), apdu_template.end());
    return s;
}

TEST(Pinpad, AsciiVariableLength) {
    auto built =
        pinpad::build_verify(structure(0x02, 0x00, 0x00, from_hex("00200080")), secure("1234"));
    EXPECT_EQ(built.reader_sw, 0);
    EXPECT_EQ(to_hex(Bytes(built.apdu.begin(), built.apdu.end())), "002000800431323334");
}

TEST(Pinpad, AsciiFixedBlockWithPadding) {
    // Block of 8 bytes, template pads with FF, PIN at byte 0.
    auto built = pinpad::build_verify(
        structure(0x82, 0x08, 0x00, from_hex("0020008008FFFFFFFFFFFFFFFF")), secure("1234"));
    EXPECT_EQ(to_hex(Bytes(built.apdu.begin(), built.apdu.end())), "002000800831323334FFFFFFFF");
}

TEST(Pinpad, LengthLimitsAnsweredByTheReader) {
    auto built =
        pinpad::build_verify(structure(0x02, 0x00, 0x00, from_hex("00200080")), secure("12"));
    EXPECT_EQ(built.reader_sw, pinpad::sw_length);
    EXPECT_TRUE(built.apdu.empty());
}

TEST(Pinpad, MalformedStructureThrows) {
    EXPECT_THROW((void)pinpad::build_verify(from_hex("0000"), secure("1234")), mynacard::Error);
}

TEST(Sim, NoHandlerExitsWithTwo) {
    const std::string cmd = std::string(MYNACARD_SIM_BINARY) +
                            " --socket /nonexistent/mynacard-sim.sock list >/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
