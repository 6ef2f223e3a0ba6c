// pkcs11::Module: object search, the buffer-size protocol of C_Sign and
// C_GetAttributeValue, the audit lines, and what a card that leaves (or a
// card service that stops) does to sessions (CKR_DEVICE_REMOVED, recovery).
#include "module_fixture.h"

using namespace mynacard;
using namespace mynacard::test_support;

namespace {

std::string label_of(pkcs11::Module& m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o) {
    char buf[128] = {};
    CK_ATTRIBUTE a{CKA_LABEL, buf, sizeof buf};
    EXPECT_EQ(m.get_attribute_value(h, o, &a, 1), CKR_OK);
    return std::string(buf, a.ulValueLen);
}

TEST_F(ModuleTest, FindObjectsByClassIdAndLabel) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    EXPECT_EQ(find(h, {}).size(), 3U);  // certificate, CA, public key; no private key yet
    CK_OBJECT_CLASS cert = CKO_CERTIFICATE;
    EXPECT_EQ(find(h, {{CKA_CLASS, &cert, sizeof cert}}).size(), 2U);
    CK_BYTE id = 1;
    const auto by_id = find(h, {{CKA_ID, &id, 1}});
    EXPECT_EQ(by_id.size(), 2U);  // the certificate and its public key
    const std::string label = "User Authentication Certificate";
    const auto by_label = find(h, {{CKA_LABEL, const_cast<char*>(label.data()), label.size()}});
    ASSERT_EQ(by_label.size(), 1U);
    EXPECT_EQ(label_of(m(), h, by_label[0]), label);
    const auto both = find(h, {{CKA_CLASS, &cert, sizeof cert}, {CKA_ID, &id, 1}});
    ASSERT_EQ(both.size(), 1U);
    EXPECT_EQ(both[0], by_label[0]);
    CK_BYTE none = 9;
    EXPECT_TRUE(find(h, {{CKA_ID, &none, 1}}).empty());

    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    EXPECT_EQ(find(h, {}).size(), 4U);  // and the private key
    EXPECT_EQ(label_of(m(), h, private_key(h)), "User Authentication Key");
}

TEST_F(ModuleTest, TheSignatureCertificateIsVisibleOnlyAfterLogin) {
    bench_->add("R", card());
    const auto h = open(sign_slot);
    CK_OBJECT_CLASS cert = CKO_CERTIFICATE;
    const auto before = find(h, {{CKA_CLASS, &cert, sizeof cert}});
    ASSERT_EQ(before.size(), 1U);
    EXPECT_EQ(label_of(m(), h, before[0]), "Digital Signature Certificate CA");
    ASSERT_EQ(login(h, sign_pin), CKR_OK);
    const auto after = find(h, {{CKA_CLASS, &cert, sizeof cert}});
    EXPECT_EQ(after.size(), 2U);
    m().close_session(h);
    const auto again = open(sign_slot);  // the last session closed: logged out
    EXPECT_EQ(find(again, {{CKA_CLASS, &cert, sizeof cert}}).size(), 1U);
}

TEST_F(ModuleTest, SignReportsTheLengthThenTooSmallThenSigns) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    ASSERT_EQ(sign_init(h), CKR_OK);
    const auto before = bench_->verify_attempts();
    CK_ULONG length = 0;
    EXPECT_EQ(sign(h, std::nullopt, length), CKR_OK);
    EXPECT_EQ(length, signature_bytes);
    EXPECT_EQ(sign(h, 100, length), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(length, signature_bytes);
    EXPECT_EQ(bench_->verify_attempts(), before);  // neither reached the card
    Bytes signature;
    EXPECT_EQ(sign(h, 300, length, &signature), CKR_OK);  // the operation was still active
    EXPECT_EQ(length, signature_bytes);
    EXPECT_EQ(signature.size(), signature_bytes);
    EXPECT_EQ(sign(h, 300, length), CKR_OPERATION_NOT_INITIALIZED);  // and now it ended

    const auto entries = audit_entries();
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].event.operation, audit::Operation::login);
    EXPECT_EQ(entries[1].event.operation, audit::Operation::sign);
    EXPECT_EQ(entries[1].event.key, "auth");
    EXPECT_EQ(entries[1].event.reader, "R");
    EXPECT_FALSE(entries[1].event.cert_serial_hash.empty());
    EXPECT_EQ(entries[1].event.cert_serial_hash, entries[0].event.cert_serial_hash);
}

TEST_F(ModuleTest, MultiPartSigningFinishesWithSignFinal) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    ASSERT_EQ(sign_init(h), CKR_OK);
    const Bytes part{'a', 'b'};
    m().sign_update(h, part);
    m().sign_update(h, part);
    CK_ULONG length = 0;
    EXPECT_EQ(m().sign(h, {}, true, nullptr, length), CKR_OK);
    EXPECT_EQ(length, signature_bytes);
    Bytes out(signature_bytes);
    EXPECT_EQ(m().sign(h, {}, true, out.data(), length), CKR_OK);
}

TEST_F(ModuleTest, AttributeValuesFollowTheBufferProtocol) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_BYTE id = 1;
    const auto certs = find(h, {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, &id, 1}});
    ASSERT_EQ(certs.size(), 1U);
    CK_ATTRIBUTE a{CKA_VALUE, nullptr, 0};
    EXPECT_EQ(m().get_attribute_value(h, certs[0], &a, 1), CKR_OK);
    const CK_ULONG size = a.ulValueLen;
    EXPECT_GT(size, 500U);
    Bytes buffer(size);
    a = {CKA_VALUE, buffer.data(), size - 1};
    EXPECT_EQ(m().get_attribute_value(h, certs[0], &a, 1), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(a.ulValueLen, CK_UNAVAILABLE_INFORMATION);  // §5.7 for a short buffer
    a = {CKA_VALUE, buffer.data(), size};
    EXPECT_EQ(m().get_attribute_value(h, certs[0], &a, 1), CKR_OK);
    EXPECT_EQ(a.ulValueLen, size);
    EXPECT_EQ(buffer.front(), 0x30);  // a DER SEQUENCE
    CK_ULONG object_size = 0;
    m().get_object_size(h, certs[0], object_size);
    EXPECT_EQ(object_size, size);

    // Several attributes: every one processed, the "not really an error"
    // returned.
    CK_BBOOL token = CK_FALSE;
    CK_ATTRIBUTE two[] = {{CKA_TOKEN, &token, sizeof token}, {CKA_MODULUS, nullptr, 0}};
    EXPECT_EQ(m().get_attribute_value(h, certs[0], two, 2), CKR_ATTRIBUTE_TYPE_INVALID);
    EXPECT_EQ(token, CK_TRUE);
    EXPECT_EQ(two[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
}

TEST_F(ModuleTest, ACardRemovedDuringASignatureIsDeviceRemoved) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    ASSERT_EQ(sign_init(h), CKR_OK);
    ASSERT_FALSE(bench_->channels.empty());
    bench_->channels.back()->tamper = [](const LoggedApdu&, apdu::ResponseApdu&) {
        throw Error(Errc::card_removed, "test card pulled out");
    };
    EXPECT_EQ(sign_once(h), CKR_DEVICE_REMOVED);
    // The card's state and sessions went with it; the card still in the
    // reader is a new card to the module, with no login.
    EXPECT_EQ(rv([&] { m().check_session(h); }), CKR_SESSION_HANDLE_INVALID);
    const auto again = open(auth_slot);
    EXPECT_EQ(state(again), CKS_RO_PUBLIC_SESSION);
    EXPECT_EQ(bench_->connects, 2);  // a new connection for it
}

TEST_F(ModuleTest, ACardTakenOutEndsItsSessionsAndIsASlotEvent) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    CK_SLOT_ID slot = 99;
    EXPECT_FALSE(m().poll_slot_event(slot));
    bench_->remove("R");
    EXPECT_EQ(rv([&] { m().check_session(h); }), CKR_SESSION_HANDLE_INVALID);
    EXPECT_TRUE(m().poll_slot_event(slot));
    EXPECT_EQ(slot, auth_slot);
    EXPECT_TRUE(m().poll_slot_event(slot));
    EXPECT_EQ(slot, sign_slot);
    EXPECT_FALSE(m().poll_slot_event(slot));
    EXPECT_EQ(rv([&] { (void)m().open_session(auth_slot, CKF_SERIAL_SESSION); }),
              CKR_TOKEN_NOT_PRESENT);
    bench_->insert("R", card());
    const auto again = open(auth_slot);
    EXPECT_EQ(state(again), CKS_RO_PUBLIC_SESSION);
}

TEST_F(ModuleTest, AStoppedCardServiceIsRecoveredWithoutTheOldLogins) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    bench_->stopped_calls = 1;  // pcscd restarted: the old context answers "no service" once
    CK_ULONG n = 0;
    m().get_slot_list(true, nullptr, n);
    EXPECT_EQ(n, 2U);
    EXPECT_EQ(bench_->restarts, 1);
    EXPECT_EQ(rv([&] { m().check_session(h); }), CKR_SESSION_HANDLE_INVALID);
    const auto again = open(auth_slot);
    EXPECT_EQ(state(again), CKS_RO_PUBLIC_SESSION);

    bench_->stopped_calls = 2;  // still down after a new context: no slots
    m().get_slot_list(true, nullptr, n);
    EXPECT_EQ(n, 0U);
    m().get_slot_list(true, nullptr, n);  // back
    EXPECT_EQ(n, 2U);
}

TEST_F(ModuleTest, AServiceStoppedDuringAnOperationIsDeviceRemoved) {
    bench_->add("R", card());
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    ASSERT_EQ(sign_init(h), CKR_OK);
    bench_->channels.back()->tamper = [](const LoggedApdu&, apdu::ResponseApdu&) {
        throw Error(Errc::service_stopped, "test card service stopped");
    };
    EXPECT_EQ(sign_once(h), CKR_DEVICE_REMOVED);
    EXPECT_EQ(rv([&] { m().check_session(h); }), CKR_SESSION_HANDLE_INVALID);
    const auto again = open(auth_slot);
    EXPECT_EQ(state(again), CKS_RO_PUBLIC_SESSION);
    EXPECT_EQ(login(again, auth_pin), CKR_OK);
}

TEST_F(ModuleTest, AMinorsCardHasNoSignatureToken) {
    bench_->add("R", card("minor"));
    CK_ULONG n = 0;
    m().get_slot_list(true, nullptr, n);
    EXPECT_EQ(n, 2U);  // not known before the slot is used (decision 6)
    EXPECT_EQ(rv([&] { (void)m().open_session(sign_slot, CKF_SERIAL_SESSION); }),
              CKR_TOKEN_NOT_PRESENT);
    m().get_slot_list(true, nullptr, n);
    EXPECT_EQ(n, 1U);
}

}  // namespace

using mynacard::pkcs11::Module;

// MYNACARD_PKCS11_TOKENS (docs/pkcs11.md, "One token only"): a hidden token's
// slots are neither listed nor usable, present card or not.
TEST_F(ModuleTest, OnlyTheShownTokenIsListed) {
    bench_->add("R", card());
    const auto sign_only = Module::parse_shown_tokens("sign");
    ASSERT_TRUE(sign_only.has_value());
    m().show_tokens(*sign_only);
    for (const bool present : {true, false}) {
        CK_ULONG n = 0;
        m().get_slot_list(present, nullptr, n);
        ASSERT_EQ(n, 1U);
        CK_SLOT_ID id = 99;
        m().get_slot_list(present, &id, n);
        EXPECT_EQ(id, sign_slot);
    }
    CK_TOKEN_INFO info{};
    EXPECT_EQ(rv([&] { m().get_token_info(auth_slot, info); }), CKR_SLOT_ID_INVALID);
    EXPECT_EQ(rv([&] { (void)m().open_session(auth_slot, CKF_SERIAL_SESSION); }),
              CKR_SLOT_ID_INVALID);
    EXPECT_EQ(rv([&] { m().get_token_info(sign_slot, info); }), CKR_OK);
}

TEST(ShownTokens, Parse) {
    using S = Module::ShownTokens;
    EXPECT_EQ(Module::parse_shown_tokens(""), (S{true, true}));
    EXPECT_EQ(Module::parse_shown_tokens("auth"), (S{true, false}));
    EXPECT_EQ(Module::parse_shown_tokens("sign"), (S{false, true}));
    EXPECT_EQ(Module::parse_shown_tokens("sign,auth"), (S{true, true}));
    for (const char* bad : {"Sign", "sign,", ",sign", "sign auth", "signature", "none"})
        EXPECT_FALSE(Module::parse_shown_tokens(bad).has_value()) << bad;
}
