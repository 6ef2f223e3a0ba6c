// pkcs11::Module: the login rules of decision 5 (a wrong PIN, the held PIN
// sent only with the full counter, the first refusal ending the login, a
// blocked PIN, the last try only with a person's confirmation), the
// protected authentication path and the consent of decision 11. VERIFY
// commands are counted on the bench: no try is spent where none may be.
#include "module_fixture.h"

using namespace mynacard;
using namespace mynacard::test_support;

namespace {

// Another program on the same card: its own card session.
int spend_a_try_elsewhere(const std::shared_ptr<Bench>& bench, card::Pin pin) {
    session::Session other(std::make_unique<SoftcardSource>(bench),
                           session::AuditTrail({}, session::AuditWrite::best_effort));
    const std::string wrong = pin == card::Pin::auth ? "9999" : "WRONG1";
    try {
        other.use("R", [&](card::MyNumberCard& c) {
            c.verify_pin(pin, SecureBytes(wrong.begin(), wrong.end()));
        });
    } catch (const Error& e) {
        return e.tries_left();
    }
    return -1;
}

TEST_F(ModuleTest, NoApduUntilATokenIsUsed) {
    bench_->add("R", card());
    CK_ULONG n = 0;
    m().get_slot_list(true, nullptr, n);
    EXPECT_EQ(n, 2U);  // both tokens of one card
    CK_SLOT_INFO info{};
    m().get_slot_info(auth_slot, info);
    EXPECT_TRUE(info.flags & CKF_TOKEN_PRESENT);
    EXPECT_EQ(bench_->connects, 0);  // decision 6
    EXPECT_TRUE(bench_->log.empty());
}

TEST_F(ModuleTest, AWrongPinIsIncorrectAndTheTokenShowsTriesSpent) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    EXPECT_EQ(login(h, "12"), CKR_PIN_LEN_RANGE);  // format first, nothing sent
    EXPECT_EQ(login(h, "12a4"), CKR_PIN_INVALID);
    EXPECT_EQ(bench_->verify_attempts(), 0U);
    EXPECT_EQ(login(h, "9999"), CKR_PIN_INCORRECT);
    EXPECT_EQ(bench_->verify_attempts(), 1U);
    const CK_FLAGS flags = token_flags(auth_slot);  // the counter cached from the refusal
    EXPECT_TRUE(flags & CKF_USER_PIN_COUNT_LOW);
    EXPECT_FALSE(flags & CKF_USER_PIN_FINAL_TRY);
    EXPECT_EQ(state(h), CKS_RO_PUBLIC_SESSION);
    EXPECT_EQ(login(h, auth_pin), CKR_OK);
    EXPECT_EQ(state(h), CKS_RO_USER_FUNCTIONS);
    EXPECT_EQ(login(h, auth_pin), CKR_USER_ALREADY_LOGGED_IN);
    EXPECT_EQ(bench_->verify_attempts(), 2U);
    EXPECT_FALSE(token_flags(auth_slot) & CKF_USER_PIN_COUNT_LOW);  // a success resets it
}

TEST_F(ModuleTest, TheHeldPinIsSentOnlyWhileTheCounterIsFull) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    const auto other = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const CK_OBJECT_HANDLE key = private_key(h);
    ASSERT_EQ(sign_init(h), CKR_OK);
    ASSERT_EQ(sign_once(h), CKR_OK);  // the held PIN, counter full
    const auto sent = bench_->verify_attempts();
    EXPECT_EQ(sent, 2U);  // login, signature

    EXPECT_EQ(spend_a_try_elsewhere(bench_, card::Pin::auth), 2);
    const auto after_other = bench_->verify_attempts();
    ASSERT_EQ(sign_init(h), CKR_OK);
    // The counter is no longer full: the held PIN is not sent, and the first
    // refusal ends the login of every session of the token.
    EXPECT_EQ(sign_once(h), CKR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(bench_->verify_attempts(), after_other);
    EXPECT_EQ(state(h), CKS_RO_PUBLIC_SESSION);
    EXPECT_EQ(state(other), CKS_RO_PUBLIC_SESSION);
    EXPECT_EQ(sign_init(other, key), CKR_KEY_HANDLE_INVALID);  // the key went with the login
    EXPECT_TRUE(token_flags(auth_slot) & CKF_USER_PIN_COUNT_LOW);
}

TEST_F(ModuleTest, AHeldPinChangedElsewhereCostsOneTryAndEndsTheLogin) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const CK_OBJECT_HANDLE key = private_key(h);
    // Another program changes the PIN (the counter stays full).
    {
        session::Session other(std::make_unique<SoftcardSource>(bench_),
                               session::AuditTrail({}, session::AuditWrite::best_effort));
        other.use("R", [](card::MyNumberCard& c) {
            c.change_pin(card::Pin::auth, SecureBytes{'1', '2', '3', '4'},
                         SecureBytes{'5', '6', '7', '8'});
        });
    }
    const auto before = bench_->verify_attempts();
    ASSERT_EQ(sign_init(h), CKR_OK);
    EXPECT_EQ(sign_once(h), CKR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(bench_->verify_attempts(), before + 1);
    EXPECT_EQ(state(h), CKS_RO_PUBLIC_SESSION);
    EXPECT_EQ(sign_init(h, key), CKR_KEY_HANDLE_INVALID);
    EXPECT_EQ(bench_->verify_attempts(), before + 1);  // nothing more sent
    EXPECT_EQ(login(h, "5678"), CKR_OK);
}

TEST_F(ModuleTest, ABlockedPinIsLockedWithoutAVerify) {
    bench_->add("R", card("default", {{"auth", 0}}));
    const auto h = open(auth_slot);
    EXPECT_TRUE(token_flags(auth_slot) & CKF_USER_PIN_LOCKED);
    EXPECT_EQ(login(h, auth_pin), CKR_PIN_LOCKED);
    EXPECT_EQ(bench_->verify_attempts(), 0U);
}

TEST_F(ModuleTest, TheLastTryOfAnApplicationsPinNeedsAPersonsConfirmation) {
    bench_->add("R", card("default", {{"auth", 1}}));
    const auto h = open(auth_slot);
    EXPECT_TRUE(token_flags(auth_slot) & CKF_USER_PIN_FINAL_TRY);
    person_->allows_last_try = false;
    EXPECT_EQ(login(h, auth_pin), CKR_FUNCTION_REJECTED);
    EXPECT_EQ(bench_->verify_attempts(), 0U);
    ASSERT_EQ(person_->last_try_dialogs.size(), 1U);
    EXPECT_EQ(person_->last_try_dialogs[0].entry, pinhelper::Entry::confirm_last_try);
    EXPECT_EQ(person_->last_try_dialogs[0].tries_left, 1);
    EXPECT_EQ(person_->last_try_dialogs[0].reader, "R");
    EXPECT_EQ(bench_->reader("R").card->tries_left("auth"), 1);

    person_->allows_last_try = true;
    EXPECT_EQ(login(h, auth_pin), CKR_OK);
    EXPECT_EQ(bench_->verify_attempts(), 1U);
    EXPECT_EQ(person_->last_try_dialogs.size(), 2U);
}

TEST_F(ModuleTest, WithNobodyToAskTheLastTryIsNeverSent) {
    bench_->add("R", card("default", {{"auth", 1}}));
    person_->reachable = false;
    const auto h = open(auth_slot);
    EXPECT_EQ(login(h, auth_pin), CKR_FUNCTION_REJECTED);
    EXPECT_TRUE(person_->last_try_dialogs.empty());
    EXPECT_EQ(bench_->verify_attempts(), 0U);
}

TEST_F(ModuleTest, AProtectedPathLoginAsksThePersonWithTheTriesReadFresh) {
    bench_->add("R", card("default", {{"auth", 2}}));
    const auto h = open(auth_slot);
    EXPECT_TRUE(token_flags(auth_slot) & CKF_PROTECTED_AUTHENTICATION_PATH);
    person_->pins = {auth_pin};
    EXPECT_EQ(login_protected(h), CKR_OK);
    ASSERT_EQ(person_->pin_dialogs.size(), 1U);
    const auto& asked = person_->pin_dialogs[0];
    EXPECT_EQ(asked.pin, card::Pin::auth);
    EXPECT_EQ(asked.purpose, pinhelper::Purpose::login);
    EXPECT_EQ(asked.entry, pinhelper::Entry::current);
    EXPECT_EQ(asked.tries_left, 2);
    EXPECT_EQ(asked.reader, "R");
    EXPECT_EQ(state(h), CKS_RO_USER_FUNCTIONS);
    EXPECT_EQ(bench_->verify_attempts(), 1U);
}

TEST_F(ModuleTest, ACancelledDialogSpendsNoTry) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    person_->pins = {};  // the person cancels
    EXPECT_EQ(login_protected(h), CKR_FUNCTION_CANCELED);
    EXPECT_EQ(bench_->verify_attempts(), 0U);
    EXPECT_EQ(state(h), CKS_RO_PUBLIC_SESSION);
    const auto entries = audit_entries();
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries.back().event.operation, audit::Operation::login);
    EXPECT_EQ(entries.back().event.result, audit::Result::cancelled);
    EXPECT_EQ(entries.back().event.key, "auth");
}

TEST_F(ModuleTest, WithoutAProtectedPathANullPinIsABadArgument) {
    bench_->add("R", card());
    person_->reachable = false;
    const auto h = open(auth_slot);
    EXPECT_FALSE(token_flags(auth_slot) & CKF_PROTECTED_AUTHENTICATION_PATH);
    EXPECT_EQ(login_protected(h), CKR_ARGUMENTS_BAD);
    EXPECT_TRUE(person_->pin_dialogs.empty());
    EXPECT_EQ(bench_->verify_attempts(), 0U);
}

TEST_F(ModuleTest, TheDialogIsAskedAgainWhenTheTriesDroppedToOneMeanwhile) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    person_->pins = {"9999", "9999", auth_pin};
    // Two wrong entries through the dialog, then the right one: the third
    // dialog shows the last try and the person's typing confirms it.
    EXPECT_EQ(login_protected(h), CKR_PIN_INCORRECT);
    EXPECT_EQ(login_protected(h), CKR_PIN_INCORRECT);
    EXPECT_EQ(login_protected(h), CKR_OK);
    ASSERT_EQ(person_->pin_dialogs.size(), 3U);
    EXPECT_EQ(person_->pin_dialogs[2].tries_left, 1);
    EXPECT_TRUE(person_->last_try_dialogs.empty());
}

TEST_F(ModuleTest, TheSignatureKeyNeedsTheContextSpecificLoginForEverySignature) {
    bench_->add("R", card());
    const auto h = open(sign_slot);
    ASSERT_EQ(login(h, sign_pin), CKR_OK);
    EXPECT_EQ(person_->consent_dialogs, 1);
    const CK_OBJECT_HANDLE key = private_key(h);
    CK_BBOOL always = CK_FALSE;
    CK_ATTRIBUTE a{CKA_ALWAYS_AUTHENTICATE, &always, sizeof always};
    EXPECT_EQ(m().get_attribute_value(h, key, &a, 1), CKR_OK);
    EXPECT_EQ(always, CK_TRUE);

    EXPECT_EQ(login(h, sign_pin, CKU_CONTEXT_SPECIFIC), CKR_OPERATION_NOT_INITIALIZED);
    ASSERT_EQ(sign_init(h), CKR_OK);
    EXPECT_EQ(sign_once(h), CKR_USER_NOT_LOGGED_IN);  // no password for this signature
    ASSERT_EQ(sign_init(h), CKR_OK);
    const auto before = bench_->verify_attempts();
    ASSERT_EQ(login(h, sign_pin, CKU_CONTEXT_SPECIFIC), CKR_OK);
    EXPECT_EQ(sign_once(h), CKR_OK);
    EXPECT_EQ(bench_->verify_attempts(), before + 2);  // the context login and the signature
    ASSERT_EQ(sign_init(h), CKR_OK);
    EXPECT_EQ(sign_once(h), CKR_USER_NOT_LOGGED_IN);  // used for exactly one signature
    EXPECT_EQ(bench_->verify_attempts(), before + 2);
    EXPECT_EQ(state(h), CKS_RO_USER_FUNCTIONS);  // the token login stays
}

TEST_F(ModuleTest, ARefusedConsentIsNoLoginAndReleasesNoCertificate) {
    bench_->add("R", card());
    person_->consent = consent::Decision::deny;
    const auto h = open(sign_slot);
    EXPECT_EQ(login(h, sign_pin), CKR_FUNCTION_REJECTED);
    EXPECT_EQ(person_->consent_dialogs, 1);
    EXPECT_EQ(state(h), CKS_RO_PUBLIC_SESSION);
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    EXPECT_EQ(find(h, {{CKA_CLASS, &cls, sizeof cls}}).size(), 1U);  // the CA only
    const auto entries = audit_entries();
    ASSERT_FALSE(entries.empty());
    EXPECT_EQ(entries.back().event.operation, audit::Operation::consent_refused);
    EXPECT_EQ(entries.back().event.key, "sign");
    EXPECT_FALSE(entries.back().event.cert_serial_hash.empty());
}

TEST_F(ModuleTest, ChangingThePinKeepsTheLoginWithTheNewOne) {
    bench_->add("R", card());
    CK_ULONG n = 0;
    m().get_slot_list(true, nullptr, n);
    const auto h = m().open_session(auth_slot, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const Bytes old_pin{'1', '2', '3', '4'}, new_pin{'4', '3', '2', '1'};
    EXPECT_EQ(rv([&] { m().set_pin(h, ByteView(old_pin), ByteView(new_pin)); }), CKR_OK);
    EXPECT_EQ(bench_->reader("R").card->tries_left("auth"), 3);
    ASSERT_EQ(sign_init(h), CKR_OK);
    EXPECT_EQ(sign_once(h), CKR_OK);  // the held PIN is the new one
    const auto entries = audit_entries();
    ASSERT_GE(entries.size(), 3U);
    EXPECT_EQ(entries[1].event.operation, audit::Operation::pin_change);
    EXPECT_EQ(entries[1].event.result, audit::Result::ok);
}

TEST_F(ModuleTest, APinChangedOnTheProtectedPathIsTypedTwiceBeforeAnythingIsSent) {
    bench_->add("R", card());
    CK_ULONG n = 0;
    m().get_slot_list(true, nullptr, n);
    const auto h = m().open_session(auth_slot, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    person_->pins = {auth_pin, "4321", "4322"};  // a typing mistake in the repeat
    EXPECT_EQ(rv([&] { m().set_pin(h, std::nullopt, std::nullopt); }), CKR_PIN_INVALID);
    EXPECT_EQ(bench_->verify_attempts(), 0U);
    ASSERT_EQ(person_->pin_dialogs.size(), 3U);
    EXPECT_EQ(person_->pin_dialogs[0].entry, pinhelper::Entry::current);
    EXPECT_EQ(person_->pin_dialogs[0].purpose, pinhelper::Purpose::change_pin);
    EXPECT_EQ(person_->pin_dialogs[1].entry, pinhelper::Entry::new_pin);
    EXPECT_EQ(person_->pin_dialogs[2].entry, pinhelper::Entry::repeat_new);
    person_->pins = {auth_pin, "4321", "4321"};
    EXPECT_EQ(rv([&] { m().set_pin(h, std::nullopt, std::nullopt); }), CKR_OK);
    EXPECT_EQ(login(h, "4321"), CKR_OK);
}

}  // namespace
