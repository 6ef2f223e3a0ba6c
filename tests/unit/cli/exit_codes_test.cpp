// The CLI's one mapping of errors to exit codes and sentences (decision 7,
// docs/cli.md "Exit codes"): every Errc has its documented code, the PIN
// named in a blocked or malformed-PIN sentence is the one the command asked,
// and a wrong PIN's sentence gives the tries left.
#include <gtest/gtest.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include "cli/exit_codes.h"

using namespace mynacard;
using namespace mynacard::cli;

namespace {

class ExitCodes : public ::testing::Test {
  protected:
    void SetUp() override {
        // English sentences, whatever the machine's locale.
        ::setenv("LC_ALL", "C.UTF-8", 1);
    }
};

TEST_F(ExitCodes, EveryErrorHasItsDocumentedCode) {
    const std::vector<std::pair<Errc, Exit>> table{
        {Errc::invalid_argument, exit_usage},
        {Errc::malformed_data, exit_malformed},
        {Errc::not_found, exit_no_card},
        {Errc::security_status, exit_card_gone},
        {Errc::pin_incorrect, exit_pin_incorrect},
        {Errc::pin_blocked, exit_pin_blocked},
        {Errc::pin_format, exit_pin_format},
        {Errc::confirmation_required, exit_cancelled},
        {Errc::card_removed, exit_card_gone},
        {Errc::card_reset, exit_card_gone},
        {Errc::no_card, exit_no_card},
        {Errc::reader_unavailable, exit_no_card},
        {Errc::transport, exit_card_gone},
        {Errc::service_stopped, exit_no_card},
        {Errc::timeout, exit_card_gone},
        {Errc::cancelled, exit_cancelled},
        {Errc::unsupported, exit_error},
        {Errc::card_error, exit_card_gone},
        {Errc::io, exit_error},
        {Errc::internal, exit_error},
    };
    for (const auto& [code, exit] : table)
        EXPECT_EQ(verdict(Error(code, "x"), std::nullopt).code, exit) << to_string(code);
    // The numbers themselves are what scripts test.
    EXPECT_EQ(exit_no_card, 3);
    EXPECT_EQ(exit_pin_blocked, 5);
    EXPECT_EQ(exit_malformed, 10);
}

TEST_F(ExitCodes, ABlockedOrMalformedPinIsNamedAsTheCommandAskedIt) {
    const Error blocked(Errc::pin_blocked, "blocked", 0);
    EXPECT_EQ(verdict(blocked, card::Pin::sign).sentence,
              "The digital-signature password is locked. It can be reset at your municipal "
              "office.");
    EXPECT_EQ(verdict(blocked, card::Pin::text).sentence,
              "The card-information PIN is locked. It can be reset at your municipal office.");
    // No PIN asked (the 券面AP's code): the authentication PIN's wording.
    EXPECT_EQ(verdict(blocked, std::nullopt).sentence, verdict(blocked, card::Pin::auth).sentence);
    const Error format(Errc::pin_format, "rule");
    EXPECT_EQ(verdict(format, card::Pin::text).sentence, "The card-information PIN is 4 digits.");
    EXPECT_EQ(verdict(format, card::Pin::auth).sentence,
              "The user-authentication PIN is 4 digits.");
}

TEST_F(ExitCodes, SentencesCarryWhatThePersonNeeds) {
    EXPECT_EQ(verdict(Error(Errc::pin_incorrect, "6983", 2), card::Pin::auth).sentence,
              "Wrong PIN. Tries left: 2.");
    // A reader error's text is already the sentence (card_use.cpp words it).
    EXPECT_EQ(verdict(Error(Errc::reader_unavailable, "No card reader is connected."), {}).sentence,
              "No card reader is connected.");
    EXPECT_EQ(verdict(Error(Errc::io, "cannot read f"), {}).sentence, "File error: cannot read f");
    EXPECT_NE(verdict(Error(Errc::service_stopped, "x"), {}).sentence.find("pcscd"),
              std::string::npos);
}

TEST_F(ExitCodes, JapaneseWhenTheLocaleIsJapanese) {
    ::setenv("LC_ALL", "ja_JP.UTF-8", 1);
    EXPECT_EQ(verdict(Error(Errc::cancelled, "x"), {}).sentence, "キャンセルしました。");
}

}  // namespace
