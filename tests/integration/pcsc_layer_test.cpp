// mynacard::pcsc against the real pcscd with the virtual readers: reader
// listing, shared connections, transactions, chunked reads, part 10 features
// and card events. Runs inside the integration fixture (see CMakeLists.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "apdu/tlv.h"
#include "pcsc/pcsc.h"
#include "support/freed_memory.h"
#include "support/virtual_readers.h"

using namespace mynacard;
using namespace std::chrono_literals;

namespace {

using test::profile;
using test::sim;
using test::wait_for;

std::string reader_named(const pcsc::Context& ctx, const std::string& part) {
    for (const auto& r : ctx.readers())
        if (r.find(part) != std::string::npos) return r;
    return {};
}

// card-facts.md §1.5 and §2.1
const Bytes select_jpki = from_hex("00A4040C0AD392F000260100000001");

class PcscLayer : public ::testing::Test {
  protected:
    void SetUp() override { test::reset_readers(); }
};

}  // namespace

TEST_F(PcscLayer, ListsVirtualReadersWithState) {
    pcsc::Context ctx;
    auto states = ctx.states();
    ASSERT_GE(states.size(), 3u);
    EXPECT_NE(states[0].name.find("mynacard Virtual Reader 0"), std::string::npos);
    EXPECT_TRUE(states[0].present);
    EXPECT_EQ(states[0].atr, from_hex("3BE000FF8131FE4514"));
    EXPECT_FALSE(states[1].present);
}

TEST_F(PcscLayer, ReadsCertificateInShortChunksInsideTransaction) {
    pcsc::Context ctx;
    pcsc::Connection card(ctx, reader_named(ctx, "Reader 0"));
    EXPECT_EQ(card.atr(), from_hex("3BE000FF8131FE4514"));
    pcsc::Transaction tx(card);
    ASSERT_TRUE(card.transmit(apdu::CommandApdu::parse(select_jpki)).ok());
    ASSERT_TRUE(card.transmit(apdu::CommandApdu::parse(from_hex("00A4020C02000A"))).ok());
    auto head = card.transmit(apdu::CommandApdu::parse(from_hex("00B0000004")));
    ASSERT_TRUE(head.ok());
    auto total = apdu::tlv_encoded_size(head.data);
    ASSERT_TRUE(total);
    Bytes der;
    while (der.size() < *total) {
        const std::size_t n = std::min<std::size_t>(256, *total - der.size());
        apdu::CommandApdu rb{0x00,
                             0xB0,
                             static_cast<std::uint8_t>(der.size() >> 8),
                             static_cast<std::uint8_t>(der.size() & 0xFF),
                             {},
                             n};
        auto r = card.transmit(rb);
        ASSERT_TRUE(r.ok());
        ASSERT_EQ(r.data.size(), n);
        der.insert(der.end(), r.data.begin(), r.data.end());
    }
    auto cert = apdu::parse_tlv(der);
    EXPECT_EQ(cert.tag, 0x30u);
    EXPECT_EQ(cert.total_size(), *total);
}

// transmit_raw reuses one receive buffer per connection: each answer is
// exactly what the card sent this time, never bytes of an earlier, longer one.
TEST_F(PcscLayer, RawAnswersCarryOnlyTheirOwnBytes) {
    pcsc::Context ctx;
    pcsc::Connection card(ctx, reader_named(ctx, "Reader 0"));
    pcsc::Transaction tx(card);
    EXPECT_EQ(card.transmit_raw(select_jpki), from_hex("9000"));
    EXPECT_EQ(card.transmit_raw(from_hex("00A4020C02000A")), from_hex("9000"));
    const Bytes whole = card.transmit_raw(from_hex("00B0000000"));
    ASSERT_EQ(whole.size(), 258u);
    EXPECT_EQ(whole[0], 0x30);  // a DER SEQUENCE: the certificate
    EXPECT_EQ(whole[256], 0x90);
    EXPECT_EQ(whole[257], 0x00);
    EXPECT_EQ(card.transmit_raw(from_hex("00A4020C02000A")), from_hex("9000"));
    const Bytes head = card.transmit_raw(from_hex("00B0000004"));
    ASSERT_EQ(head.size(), 6u);
    EXPECT_TRUE(std::equal(head.begin(), head.begin() + 4, whole.begin()));
    EXPECT_EQ(head[4], 0x90);
    EXPECT_EQ(head[5], 0x00);
    // And through transmit(): a status-only answer has no data.
    const auto r = card.transmit(apdu::CommandApdu::parse(select_jpki));
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.data.empty());
}

TEST_F(PcscLayer, HandlesWrongLeAnswerBy6Cxx) {
    pcsc::Context ctx;
    pcsc::Connection card(ctx, reader_named(ctx, "Reader 0"));
    pcsc::Transaction tx(card);
    ASSERT_TRUE(card.transmit(apdu::CommandApdu::parse(select_jpki)).ok());
    ASSERT_TRUE(card.transmit(apdu::CommandApdu::parse(from_hex("00A4020C020006"))).ok());
    // The next READ BINARY answers 6C20: the layer resends it with Le=0x20.
    sim("fault --reader 0 sw 6C20 --ins B0");
    auto r = card.transmit(apdu::CommandApdu::parse(from_hex("00B0000000")));
    EXPECT_TRUE(r.ok());
    ASSERT_EQ(r.data.size(), 0x20u);
    EXPECT_EQ(std::string(r.data.begin(), r.data.begin() + 15), "JPKIAPICCTOKEN2");
}

// The 6Cxx resend of a command that carries a PIN leaves no copy of it in
// freed memory (decision 5: PINs zeroised after use).
TEST_F(PcscLayer, ResendAfter6CxxLeavesNoPinInFreedMemory) {
    pcsc::Context ctx;
    pcsc::Connection card(ctx, reader_named(ctx, "Reader 0"));
    pcsc::Transaction tx(card);
    ASSERT_TRUE(card.transmit(apdu::CommandApdu::parse(select_jpki)).ok());
    ASSERT_TRUE(card.transmit(apdu::CommandApdu::parse(from_hex("00A4020C02001B"))).ok());
    // A signature password no test uses elsewhere, as the pattern to find.
    constexpr std::string_view marker = "QZ7X5W3V1K";
    sim("fault --reader 0 sw 6C00 --ins 20");
    {
        apdu::CommandApdu verify{0x00, 0x20, 0x00, 0x80, {}, std::nullopt};
        verify.data.assign(marker.begin(), marker.end());
        freed_memory::pattern = marker;
        freed_memory::hits = 0;
        freed_memory::armed = true;
        const auto r = card.transmit(verify);
        freed_memory::armed = false;
        wipe(verify.data);
        // The card's own answer to the resend (a VERIFY with Le: 6700), not
        // the injected 6C00: the resend happened.
        EXPECT_NE(r.sw1(), 0x6C) << "no resend";
    }
    EXPECT_EQ(freed_memory::hits.load(), 0) << "a freed buffer still held the password";
}

TEST_F(PcscLayer, ReportsPinPadFeatures) {
    pcsc::Context ctx;
    sim("insert --reader 2 " + profile("contactless"));
    wait_for({true, false, true});
    pcsc::Connection pinpad(ctx, reader_named(ctx, "PIN Pad"));
    EXPECT_TRUE(pinpad.features().pin_pad());
    EXPECT_NE(pinpad.features().modify_pin_direct, 0u);
    pcsc::Connection plain(ctx, reader_named(ctx, "Reader 0"));
    EXPECT_FALSE(plain.features().pin_pad());
}

TEST_F(PcscLayer, SeesRemovalAndFailsCleanly) {
    pcsc::Context ctx;
    pcsc::Connection card(ctx, reader_named(ctx, "Reader 0"));
    (void)ctx.wait_for_change(0ms);  // learn the current state
    sim("remove --reader 0");
    bool changed = false;
    for (int i = 0; i < 20 && !changed; ++i) changed = ctx.wait_for_change(250ms);
    EXPECT_TRUE(changed);
    EXPECT_FALSE(ctx.states()[0].present);
    try {
        (void)card.transmit(apdu::CommandApdu::parse(select_jpki));
        FAIL() << "transmit to a removed card succeeded";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::card_removed) << e.what();
    }
}

TEST_F(PcscLayer, AVanishedReaderIsAskedOncePerTransaction) {
    // pcscd 1.9.9 sleeps 1 s in every call that meets a reader gone from
    // the bus (SendHotplugSignal): the rest of the transaction fails at once,
    // and it ends without a card reset (the card lost its supply).
    pcsc::Context ctx;
    pcsc::Connection card(ctx, reader_named(ctx, "Reader 0"));
    sim("trace --reader 0 --clear");
    sim("fault --reader 0 unplug --after 1");
    {
        pcsc::Transaction tx(card);
        ASSERT_TRUE(card.transmit(apdu::CommandApdu::parse(select_jpki)).ok());
        for (int i = 0; i < 3; ++i) {
            try {
                (void)card.transmit(apdu::CommandApdu::parse(select_jpki));
                FAIL() << "transmit through an unplugged reader succeeded";
            } catch (const Error& e) {
                EXPECT_EQ(e.code(), Errc::reader_unavailable) << e.what();
            }
        }
        card.reset_card_at_end();
    }
    const std::string trace = test::sim_output("trace --reader 0");
    std::size_t unplugged = 0;
    for (auto at = trace.find("\"fault\":\"unplug\""); at != std::string::npos;
         at = trace.find("\"fault\":\"unplug\"", at + 1))
        ++unplugged;
    EXPECT_EQ(unplugged, 1u) << trace;
    sim("fault --reader 0 replug");
    wait_for({true});
}
