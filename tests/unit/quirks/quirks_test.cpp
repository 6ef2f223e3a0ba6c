#include <gtest/gtest.h>

#include <set>
#include <string>

#include "quirks/quirks.h"

using namespace mynacard;

TEST(Quirks, EveryRowGivesItsReasonAndOverridesSomething) {
    for (const auto& row : quirks::table()) {
        EXPECT_FALSE(row.reason.empty()) << row.model;
        EXPECT_FALSE(row.name_pattern.empty()) << row.model;
        const auto& c = row.caps;
        EXPECT_TRUE(c.extended_apdu || c.max_apdu || c.pin_pad_trustworthy || c.extra_timeout_ms ||
                    c.pcsc_usable)
            << row.model << " overrides nothing";
    }
}

TEST(Quirks, AppliesByReaderName) {
    // The SAM slot of the ACR1251 claims a PIN pad it does not have.
    auto sam = quirks::for_reader("ACS ACR1251 Dual Reader SAM 00 00");
    ASSERT_TRUE(sam.pin_pad_trustworthy);
    EXPECT_FALSE(*sam.pin_pad_trustworthy);
    auto picc = quirks::for_reader("ACS ACR1251 Dual Reader PICC 00 00");
    ASSERT_TRUE(picc.extended_apdu);
    EXPECT_TRUE(*picc.extended_apdu);
    auto pasori = quirks::for_reader("SONY FeliCa RC-S300/P 00 00");
    ASSERT_TRUE(pasori.extra_timeout_ms);
    EXPECT_GT(*pasori.extra_timeout_ms, 0u);
}

TEST(Quirks, Rcs380IsDocumentedAsNotPcsc) {
    auto c = quirks::for_reader("Sony RC-S380");
    ASSERT_TRUE(c.pcsc_usable);
    EXPECT_FALSE(*c.pcsc_usable);
}

TEST(Quirks, UnknownReaderKeepsDriverValues) {
    auto c = quirks::for_reader("mynacard Virtual Reader 0 00 00");
    EXPECT_FALSE(c.extended_apdu);
    EXPECT_FALSE(c.max_apdu);
    EXPECT_FALSE(c.pin_pad_trustworthy);
    EXPECT_FALSE(c.pcsc_usable);
}
