// Black-box API suite of mynacard-pkcs11.so (fixture: pkcs11_fixture.h):
// initialisation, slots, tokens, objects, login rules, signatures, threads.
#include <sys/wait.h>
#include <unistd.h>

#include "pkcs11_fixture.h"

using namespace p11_test;

namespace {

TEST_F(Pkcs11, InitialisationRulesAndNoApduAtLoadOrSlotListing) {
    CK_INFO info;
    EXPECT_EQ(f_->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    int reserved = 0;
    void* bad[6] = {nullptr, nullptr, nullptr,
                    nullptr, nullptr, &reserved};  // OASIS layout, pReserved set
    EXPECT_EQ(f_->C_Initialize(bad), CKR_ARGUMENTS_BAD);
    void* partial[6] = {reinterpret_cast<void*>(+[](CK_VOID_PTR_PTR) -> CK_RV { return CKR_OK; }),
                        nullptr,
                        nullptr,
                        nullptr,
                        nullptr,
                        nullptr};
    EXPECT_EQ(f_->C_Initialize(partial), CKR_ARGUMENTS_BAD);
    init();
    EXPECT_EQ(f_->C_Initialize(nullptr), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    EXPECT_EQ(f_->C_GetInfo(&info), CKR_OK);
    EXPECT_EQ(info.cryptokiVersion.major, 3);
    CK_ULONG n = 0;
    EXPECT_EQ(f_->C_GetSlotList(CK_FALSE, nullptr, &n), CKR_OK);
    EXPECT_EQ(n, 6u);  // 3 readers × 2 tokens
    EXPECT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
    EXPECT_EQ(n, 2u);
    std::vector<CK_SLOT_ID> slots(2);
    EXPECT_EQ(f_->C_GetSlotList(CK_TRUE, slots.data(), &n), CKR_OK);
    EXPECT_EQ(slots, (std::vector<CK_SLOT_ID>{0, 1}));
    CK_SLOT_INFO si;
    EXPECT_EQ(f_->C_GetSlotInfo(0, &si), CKR_OK);
    EXPECT_TRUE(si.flags & CKF_TOKEN_PRESENT);
    EXPECT_EQ(f_->C_GetSlotInfo(2, &si), CKR_OK);
    EXPECT_FALSE(si.flags & CKF_TOKEN_PRESENT);
    EXPECT_TRUE(si.flags & CKF_REMOVABLE_DEVICE);
    EXPECT_EQ(f_->C_Finalize(nullptr), CKR_OK);
    EXPECT_EQ(f_->C_Finalize(nullptr), CKR_CRYPTOKI_NOT_INITIALIZED);
    EXPECT_EQ(apdus(), 0);
}

TEST_F(Pkcs11, NullAndShortBuffers) {
    init();
    CK_ULONG n = 1;
    EXPECT_EQ(f_->C_GetSlotList(CK_FALSE, nullptr, nullptr), CKR_ARGUMENTS_BAD);
    CK_SLOT_ID one[1];
    EXPECT_EQ(f_->C_GetSlotList(CK_FALSE, one, &n), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(n, 6u);
    EXPECT_EQ(f_->C_GetInfo(nullptr), CKR_ARGUMENTS_BAD);
    EXPECT_EQ(f_->C_GetTokenInfo(auth_slot, nullptr), CKR_ARGUMENTS_BAD);
    CK_MECHANISM_TYPE mechs[2];
    n = 2;
    EXPECT_EQ(f_->C_GetMechanismList(auth_slot, mechs, &n), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(n, 6u);
    const auto h = open(auth_slot);
    const auto certs = find(h, CKO_CERTIFICATE, 1);
    ASSERT_EQ(certs.size(), 1u);
    CK_BYTE small[4];
    CK_OBJECT_CLASS cls = 0;
    CK_ATTRIBUTE t[] = {{CKA_VALUE, small, sizeof small},
                        {CKA_CLASS, &cls, sizeof cls},
                        {0x7FFFFFF0UL, nullptr, 0}};
    const CK_RV rv = f_->C_GetAttributeValue(h, certs[0], t, 3);
    EXPECT_TRUE(rv == CKR_BUFFER_TOO_SMALL || rv == CKR_ATTRIBUTE_TYPE_INVALID) << rv;
    EXPECT_EQ(t[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    EXPECT_EQ(cls, CKO_CERTIFICATE);  // processed despite the first failing
    EXPECT_EQ(t[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    EXPECT_TRUE(find(h, CKO_PRIVATE_KEY).empty()) << "a CKA_PRIVATE object before login";
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto keys = find(h, CKO_PRIVATE_KEY);
    ASSERT_EQ(keys.size(), 1u);
    CK_ATTRIBUTE secret{CKA_PRIVATE_EXPONENT, nullptr, 0};
    EXPECT_EQ(f_->C_GetAttributeValue(h, keys[0], &secret, 1), CKR_ATTRIBUTE_SENSITIVE);
    EXPECT_EQ(secret.ulValueLen, CK_UNAVAILABLE_INFORMATION);
    CK_ATTRIBUTE only_small{CKA_VALUE, small, sizeof small};
    EXPECT_EQ(f_->C_GetAttributeValue(h, certs[0], &only_small, 1), CKR_BUFFER_TOO_SMALL);
    CK_ATTRIBUTE bogus{0x7FFFFFF0UL, nullptr, 0};
    EXPECT_EQ(f_->C_GetAttributeValue(h, certs[0], &bogus, 1), CKR_ATTRIBUTE_TYPE_INVALID);
    CK_ULONG size = 0;
    EXPECT_EQ(f_->C_GetObjectSize(h, certs[0], &size), CKR_OK);
    EXPECT_EQ(size, read_file(profile("default") + "/auth_cert.der").size());
    EXPECT_EQ(f_->C_GetObjectSize(h, certs[0], nullptr), CKR_ARGUMENTS_BAD);
    EXPECT_EQ(f_->C_OpenSession(auth_slot, CKF_SERIAL_SESSION, nullptr, nullptr, nullptr),
              CKR_ARGUMENTS_BAD);
    EXPECT_EQ(f_->C_OpenSession(auth_slot, 0, nullptr, nullptr, &size),
              CKR_SESSION_PARALLEL_NOT_SUPPORTED);
}

TEST_F(Pkcs11, InvalidHandlesAndCallOrder) {
    init();
    CK_SESSION_INFO info;
    EXPECT_EQ(f_->C_GetSessionInfo(4242, &info), CKR_SESSION_HANDLE_INVALID);
    EXPECT_EQ(f_->C_CloseSession(4242), CKR_SESSION_HANDLE_INVALID);
    CK_SLOT_INFO si;
    EXPECT_EQ(f_->C_GetSlotInfo(99, &si), CKR_SLOT_ID_INVALID);
    CK_TOKEN_INFO ti;
    EXPECT_EQ(f_->C_GetTokenInfo(2, &ti), CKR_TOKEN_NOT_PRESENT);
    const auto h = open(auth_slot);
    CK_OBJECT_HANDLE objs[4];
    CK_ULONG n = 0;
    EXPECT_EQ(f_->C_FindObjects(h, objs, 4, &n), CKR_OPERATION_NOT_INITIALIZED);
    EXPECT_EQ(f_->C_FindObjectsFinal(h), CKR_OPERATION_NOT_INITIALIZED);
    EXPECT_EQ(f_->C_FindObjectsInit(h, nullptr, 0), CKR_OK);
    EXPECT_EQ(f_->C_FindObjectsInit(h, nullptr, 0), CKR_OPERATION_ACTIVE);
    EXPECT_EQ(f_->C_FindObjects(h, objs, 4, &n), CKR_OK);
    EXPECT_EQ(
        n, 3u);  // auth token before login: cert, CA cert, public key (the private key after login)
    EXPECT_EQ(f_->C_FindObjectsFinal(h), CKR_OK);
    CK_BYTE data[32] = {};
    CK_ULONG len = 256;
    EXPECT_EQ(f_->C_Sign(h, data, sizeof data, data, &len), CKR_OPERATION_NOT_INITIALIZED);
    CK_MECHANISM mech{CKM_SHA256_RSA_PKCS, nullptr, 0};
    EXPECT_TRUE(find(h, CKO_PRIVATE_KEY).empty()) << "the private key before login";
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    EXPECT_EQ(login(h, auth_pin), CKR_USER_ALREADY_LOGGED_IN);
    const auto key = find(h, CKO_PRIVATE_KEY).at(0);
    EXPECT_EQ(f_->C_SignInit(h, &mech, 9999), CKR_KEY_HANDLE_INVALID);
    CK_MECHANISM pss{CKM_RSA_PKCS_PSS, nullptr, 0};
    EXPECT_EQ(f_->C_SignInit(h, &pss, key), CKR_MECHANISM_INVALID);
    EXPECT_EQ(f_->C_SignInit(h, &mech, key), CKR_OK);
    EXPECT_EQ(f_->C_SignInit(h, &mech, key), CKR_OPERATION_ACTIVE);
    CK_MECHANISM_INFO mi;
    EXPECT_EQ(f_->C_GetMechanismInfo(auth_slot, CKM_RSA_PKCS_OAEP, &mi), CKR_MECHANISM_INVALID);
    EXPECT_EQ(f_->C_GetMechanismInfo(auth_slot, CKM_RSA_PKCS, &mi), CKR_OK);
    EXPECT_EQ(mi.ulMaxKeySize, 2048u);
    EXPECT_EQ(mi.flags, CKF_SIGN | CKF_HW);
    EXPECT_EQ(f_->C_Logout(h), CKR_OK);
    EXPECT_EQ(f_->C_Logout(h), CKR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(f_->C_SignInit(h, &mech, key), CKR_KEY_HANDLE_INVALID)
        << "the key is gone with the login";
    EXPECT_EQ(f_->C_GenerateRandom(h, data, sizeof data), CKR_RANDOM_NO_RNG);
    EXPECT_EQ(f_->C_EncryptInit(h, &mech, key), CKR_FUNCTION_NOT_SUPPORTED);
    EXPECT_EQ(f_->C_CloseSession(h), CKR_OK);
    EXPECT_EQ(f_->C_CloseSession(h), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(Pkcs11, TokensAndAuthCertificateCachedByteIdentical) {
    init();
    CK_TOKEN_INFO ti;
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(ti.label), 32),
              "JPKI (User Authentication PIN)  ");
    EXPECT_EQ(ti.ulMinPinLen, 4u);
    EXPECT_EQ(ti.ulMaxPinLen, 4u);
    EXPECT_TRUE(ti.flags & CKF_LOGIN_REQUIRED);
    EXPECT_TRUE(ti.flags & CKF_WRITE_PROTECTED);
    EXPECT_FALSE(ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH);
    const std::string serial(reinterpret_cast<char*>(ti.serialNumber), 16);
    const auto auth_der = read_file(profile("default") + "/auth_cert.der");
    EXPECT_EQ(serial, to_hex(x509::digest(x509::Hash::sha256, auth_der)).substr(0, 15) + "1");
    ASSERT_EQ(f_->C_GetTokenInfo(sign_slot, &ti), CKR_OK);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(ti.label), 32),
              "JPKI (Digital Signature PIN)    ");
    // The two tokens of one card have serials of their own.
    EXPECT_EQ(std::string(reinterpret_cast<char*>(ti.serialNumber), 16),
              serial.substr(0, 15) + "2");
    EXPECT_EQ(ti.ulMinPinLen, 6u);
    EXPECT_EQ(ti.ulMaxPinLen, 16u);
    const auto h = open(auth_slot);
    const auto cert = find(h, CKO_CERTIFICATE, 1).at(0);
    EXPECT_EQ(value(h, cert, CKA_VALUE), auth_der);
    const long before = apdus();
    EXPECT_EQ(value(h, cert, CKA_VALUE), auth_der);
    EXPECT_EQ(apdus(), before) << "the second read must come from the cache";
    const auto ca = find(h, CKO_CERTIFICATE, 3).at(0);
    EXPECT_EQ(value(h, ca, CKA_VALUE), read_file(profile("default") + "/auth_ca.der"));
    CK_ULONG category = 0;
    CK_ATTRIBUTE a{CKA_CERTIFICATE_CATEGORY, &category, sizeof category};
    EXPECT_EQ(f_->C_GetAttributeValue(h, ca, &a, 1), CKR_OK);
    EXPECT_EQ(category, 2u);
    const auto x = x509::Certificate::from_der(auth_der);
    const auto pub = find(h, CKO_PUBLIC_KEY, 1).at(0);
    EXPECT_EQ(value(h, pub, CKA_MODULUS), x.rsa_modulus());
    EXPECT_EQ(value(h, cert, CKA_SUBJECT), x.subject_der());
    EXPECT_EQ(value(h, cert, CKA_ISSUER), x.issuer_der());
}

TEST_F(Pkcs11, PinFormatRefusedWithoutApduAndWrongPinCountsOnce) {
    init();
    const auto h = open(auth_slot);
    CK_TOKEN_INFO ti;
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    const long before = apdus();
    EXPECT_EQ(login(h, "12"), CKR_PIN_LEN_RANGE);
    EXPECT_EQ(login(h, "12345"), CKR_PIN_LEN_RANGE);
    EXPECT_EQ(login(h, "12a4"), CKR_PIN_INVALID);
    EXPECT_EQ(apdus(), before) << "format errors must not reach the card";
    EXPECT_EQ(login(h, "9999"), CKR_PIN_INCORRECT);
    EXPECT_EQ(tries("auth"), 2);
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_TRUE(ti.flags & CKF_USER_PIN_COUNT_LOW);
    EXPECT_FALSE(ti.flags & CKF_USER_PIN_FINAL_TRY);
    EXPECT_EQ(login(h, "9999"), CKR_PIN_INCORRECT);
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_TRUE(ti.flags & CKF_USER_PIN_FINAL_TRY);
    // The last try with a PIN the application supplied, and nobody to
    // confirm it (no PIN helper here): refused without a VERIFY
    // (decision 5; pkcs11_pin_safety_test has the confirmed case).
    EXPECT_EQ(login(h, auth_pin), CKR_FUNCTION_REJECTED);
    EXPECT_EQ(tries("auth"), 1);
}

TEST_F(Pkcs11, AuthKeySignsWithEveryMechanism) {
    init();
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto key = find(h, CKO_PRIVATE_KEY).at(0);
    const auto cert = x509::Certificate::from_der(read_file(profile("default") + "/auth_cert.der"));
    const Bytes data = to_bytes("the quick brown fox");
    const std::pair<CK_MECHANISM_TYPE, x509::Hash> mechs[] = {
        {CKM_SHA1_RSA_PKCS, x509::Hash::sha1},
        {CKM_SHA224_RSA_PKCS, x509::Hash::sha224},
        {CKM_SHA256_RSA_PKCS, x509::Hash::sha256},
        {CKM_SHA384_RSA_PKCS, x509::Hash::sha384},
        {CKM_SHA512_RSA_PKCS, x509::Hash::sha512}};
    for (const auto& [mech, hash] : mechs) {
        const Bytes sig = sign(h, mech, key, data);
        EXPECT_TRUE(cert.verify_signature(hash, data, sig)) << mech;
    }
    // CKM_RSA_PKCS: the caller brings the DigestInfo.
    const Bytes di = x509::digest_info(x509::Hash::sha256, x509::digest(x509::Hash::sha256, data));
    EXPECT_TRUE(cert.verify_signature(x509::Hash::sha256, data, sign(h, CKM_RSA_PKCS, key, di)));
    // Multi-part.
    CK_MECHANISM m{CKM_SHA256_RSA_PKCS, nullptr, 0};
    ASSERT_EQ(f_->C_SignInit(h, &m, key), CKR_OK);
    ASSERT_EQ(f_->C_SignUpdate(h, const_cast<CK_BYTE*>(data.data()), 4), CKR_OK);
    ASSERT_EQ(f_->C_SignUpdate(h, const_cast<CK_BYTE*>(data.data()) + 4, data.size() - 4), CKR_OK);
    CK_ULONG len = 10;
    Bytes sig(256);
    EXPECT_EQ(f_->C_SignFinal(h, sig.data(), &len), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(len, 256u);
    ASSERT_EQ(f_->C_SignFinal(h, sig.data(), &len), CKR_OK);
    EXPECT_TRUE(cert.verify_signature(x509::Hash::sha256, data, sig));
    // A DigestInfo longer than k − 11 bytes.
    ASSERT_EQ(f_->C_SignInit(h, (m.mechanism = CKM_RSA_PKCS, &m), key), CKR_OK);
    Bytes big(246, 0x30);
    len = 256;
    EXPECT_EQ(f_->C_Sign(h, big.data(), big.size(), sig.data(), &len), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(f_->C_Sign(h, big.data(), big.size(), sig.data(), &len),
              CKR_OPERATION_NOT_INITIALIZED);
}

TEST_F(Pkcs11, SignTokenCertificateAfterLoginAndContextLoginPerSignature) {
    init();
    const auto h = open(sign_slot);
    EXPECT_TRUE(find(h, CKO_CERTIFICATE, 2).empty()) << "signature certificate before login";
    EXPECT_EQ(find(h, CKO_CERTIFICATE, 4).size(), 1u);
    EXPECT_TRUE(find(h, CKO_PRIVATE_KEY).empty()) << "signature key before login";
    ASSERT_EQ(login(h, sign_pin), CKR_OK);
    const auto key = find(h, CKO_PRIVATE_KEY).at(0);
    CK_BBOOL always = CK_FALSE;
    CK_ATTRIBUTE a{CKA_ALWAYS_AUTHENTICATE, &always, 1};
    EXPECT_EQ(f_->C_GetAttributeValue(h, key, &a, 1), CKR_OK);
    EXPECT_EQ(always, CK_TRUE);
    const auto certs = find(h, CKO_CERTIFICATE, 2);
    ASSERT_EQ(certs.size(), 1u);
    const Bytes sign_der = read_file(profile("default") + "/sign_cert.der");
    EXPECT_EQ(value(h, certs[0], CKA_VALUE), sign_der);
    EXPECT_EQ(find(h, CKO_PUBLIC_KEY, 2).size(), 1u);
    const auto cert = x509::Certificate::from_der(sign_der);
    const Bytes data = to_bytes("contract");
    // Without CKU_CONTEXT_SPECIFIC the signature key refuses.
    sign(h, CKM_SHA256_RSA_PKCS, key, data, CKR_USER_NOT_LOGGED_IN);
    for (int i = 0; i < 2; ++i) {
        CK_MECHANISM m{CKM_SHA256_RSA_PKCS, nullptr, 0};
        ASSERT_EQ(f_->C_SignInit(h, &m, key), CKR_OK);
        EXPECT_EQ(login(h, "abc12", CKU_CONTEXT_SPECIFIC), CKR_PIN_LEN_RANGE);
        ASSERT_EQ(login(h, "abc123", CKU_CONTEXT_SPECIFIC),
                  CKR_OK);  // case folded as the card compares
        Bytes sig(256);
        CK_ULONG len = sig.size();
        ASSERT_EQ(f_->C_Sign(h, const_cast<CK_BYTE*>(data.data()), data.size(), sig.data(), &len),
                  CKR_OK);
        EXPECT_TRUE(cert.verify_signature(x509::Hash::sha256, data, sig));
    }
    EXPECT_EQ(login(h, sign_pin, CKU_CONTEXT_SPECIFIC), CKR_OPERATION_NOT_INITIALIZED);
    EXPECT_EQ(f_->C_Logout(h), CKR_OK);
    EXPECT_TRUE(find(h, CKO_CERTIFICATE, 2).empty()) << "signature certificate after logout";
}

TEST_F(Pkcs11, RemovalInvalidatesSessionsAndADifferentCardIsNew) {
    init();
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    CK_TOKEN_INFO ti;
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    const std::string serial1(reinterpret_cast<char*>(ti.serialNumber), 16);
    sim("remove --reader 0");
    wait_for({false});
    CK_SESSION_INFO si;
    EXPECT_EQ(f_->C_GetSessionInfo(h, &si), CKR_SESSION_HANDLE_INVALID);
    EXPECT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_TOKEN_NOT_PRESENT);
    CK_ULONG n = 0;
    EXPECT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
    EXPECT_EQ(n, 0u);
    // The same card again: old sessions stay invalid, login is gone.
    sim("insert --reader 0 " + profile("default"));
    wait_for({true});
    EXPECT_EQ(f_->C_GetSessionInfo(h, &si), CKR_SESSION_HANDLE_INVALID);
    const auto h2 = open(auth_slot);
    ASSERT_EQ(f_->C_GetSessionInfo(h2, &si), CKR_OK);
    EXPECT_EQ(si.state, CKS_RO_PUBLIC_SESSION);
    // A different card: another serial, its own certificate.
    sim("remove --reader 0");
    wait_for({false});
    sim("insert --reader 0 --fresh " + profile("expired"));
    wait_for({true});
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_NE(std::string(reinterpret_cast<char*>(ti.serialNumber), 16), serial1);
    const auto h3 = open(auth_slot);
    const auto cert = find(h3, CKO_CERTIFICATE, 1).at(0);
    EXPECT_EQ(value(h3, cert, CKA_VALUE), read_file(profile("expired") + "/auth_cert.der"));
}

TEST_F(Pkcs11, MinorsCardHasNoSignatureToken) {
    // A minor's card has no signature password nor certificate (SELECT EF
    // 001B answers 6A82): the signature slot shows no token once the module
    // has looked; the authentication token works as on any card.
    sim("remove --reader 0");
    wait_for({false});
    sim("insert --reader 0 --fresh " + profile("minor"));
    wait_for({true});
    init();
    CK_TOKEN_INFO ti;
    EXPECT_EQ(f_->C_GetTokenInfo(sign_slot, &ti), CKR_TOKEN_NOT_PRESENT);
    CK_SESSION_HANDLE none = 0;
    EXPECT_EQ(f_->C_OpenSession(sign_slot, CKF_SERIAL_SESSION, nullptr, nullptr, &none),
              CKR_TOKEN_NOT_PRESENT);
    CK_SLOT_INFO si;
    ASSERT_EQ(f_->C_GetSlotInfo(sign_slot, &si), CKR_OK);
    EXPECT_FALSE(si.flags & CKF_TOKEN_PRESENT);
    ASSERT_EQ(f_->C_GetSlotInfo(auth_slot, &si), CKR_OK);
    EXPECT_TRUE(si.flags & CKF_TOKEN_PRESENT);
    CK_ULONG n = 0;
    ASSERT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
    std::vector<CK_SLOT_ID> slots(n);
    ASSERT_EQ(f_->C_GetSlotList(CK_TRUE, slots.data(), &n), CKR_OK);
    EXPECT_EQ(slots, (std::vector<CK_SLOT_ID>{auth_slot}));
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto cert = x509::Certificate::from_der(read_file(profile("minor") + "/auth_cert.der"));
    const Bytes data = to_bytes("a minor logs in");
    EXPECT_TRUE(
        cert.verify_signature(x509::Hash::sha256, data,
                              sign(h, CKM_SHA256_RSA_PKCS, find(h, CKO_PRIVATE_KEY).at(0), data)));
    // An adult's card in the same reader brings the signature token back.
    sim("remove --reader 0");
    wait_for({false});
    sim("insert --reader 0 --fresh " + profile("default"));
    wait_for({true});
    EXPECT_EQ(f_->C_GetTokenInfo(sign_slot, &ti), CKR_OK);
}

TEST_F(Pkcs11, SetPinChecksFormatsFirstAndCountsAWrongOldPinOnce) {
    init();
    CK_SESSION_HANDLE ro = open(auth_slot);
    CK_SESSION_HANDLE h = 0;
    ASSERT_EQ(
        f_->C_OpenSession(auth_slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h),
        CKR_OK);
    const auto set = [](CK_SESSION_HANDLE s, const char* old_pin, const char* new_pin) {
        return f_->C_SetPIN(
            s, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(old_pin)), std::strlen(old_pin),
            reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(new_pin)), std::strlen(new_pin));
    };
    sim("trace --clear");
    EXPECT_EQ(set(ro, "1234", "5678"), CKR_SESSION_READ_ONLY);
    EXPECT_EQ(set(h, "123", "5678"), CKR_PIN_LEN_RANGE);
    EXPECT_EQ(set(h, "1234", "56789"), CKR_PIN_LEN_RANGE);
    EXPECT_EQ(set(h, "1234", "56a8"), CKR_PIN_INVALID);
    EXPECT_EQ(f_->C_SetPIN(h, nullptr, 0, nullptr, 0), CKR_ARGUMENTS_BAD);
    EXPECT_EQ(apdus(), 0) << "format errors must not reach the card";
    EXPECT_EQ(set(h, "9999", "5678"), CKR_PIN_INCORRECT);
    EXPECT_EQ(tries("auth"), 2);
    // Logged in: the login goes on with the new PIN.
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    ASSERT_EQ(set(h, auth_pin, "5678"), CKR_OK);
    EXPECT_EQ(tries("auth"), 3);
    const auto cert = x509::Certificate::from_der(read_file(profile("default") + "/auth_cert.der"));
    const Bytes data = to_bytes("after the change");
    EXPECT_TRUE(
        cert.verify_signature(x509::Hash::sha256, data,
                              sign(h, CKM_SHA256_RSA_PKCS, find(h, CKO_PRIVATE_KEY).at(0), data)));
    ASSERT_EQ(f_->C_Logout(h), CKR_OK);
    EXPECT_EQ(login(h, auth_pin), CKR_PIN_INCORRECT);
    EXPECT_EQ(login(h, "5678"), CKR_OK);
    // The signature password: upper-cased like at login, letters and digits.
    CK_SESSION_HANDLE hs = 0;
    ASSERT_EQ(
        f_->C_OpenSession(sign_slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &hs),
        CKR_OK);
    sim("trace --clear");
    EXPECT_EQ(set(hs, sign_pin, "ABCDEF"), CKR_PIN_INVALID);  // needs a digit
    EXPECT_EQ(set(hs, sign_pin, "ABC12"), CKR_PIN_LEN_RANGE);
    EXPECT_EQ(apdus(), 0);
    ASSERT_EQ(set(hs, "abc123", "xyz789"), CKR_OK);
    EXPECT_EQ(login(hs, "XYZ789"), CKR_OK);
}

TEST_F(Pkcs11, WaitForSlotEventWithoutBlocking) {
    init();
    CK_SLOT_ID slot = 99;
    EXPECT_EQ(f_->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, nullptr), CKR_NO_EVENT);
    sim("remove --reader 0");
    wait_for({false});
    ASSERT_EQ(f_->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, nullptr), CKR_OK);
    EXPECT_EQ(slot, auth_slot);
    ASSERT_EQ(f_->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, nullptr), CKR_OK);
    EXPECT_EQ(slot, sign_slot);
    EXPECT_EQ(f_->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, nullptr), CKR_NO_EVENT);
    // Blocking: the insertion wakes it up.
    std::thread inserter([] { sim("insert --reader 0 " + profile("default")); });
    EXPECT_EQ(f_->C_WaitForSlotEvent(0, &slot, nullptr), CKR_OK);
    inserter.join();
    // C_Finalize ends a blocked wait.
    std::atomic<CK_RV> rv{CKR_OK};
    std::thread waiter([&] {
        CK_SLOT_ID s = 0;
        while (f_->C_WaitForSlotEvent(CKF_DONT_BLOCK, &s, nullptr) == CKR_OK) {
        }
        rv = f_->C_WaitForSlotEvent(0, &s, nullptr);
    });
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(f_->C_Finalize(nullptr), CKR_OK);
    waiter.join();
    EXPECT_EQ(rv.load(), CKR_CRYPTOKI_NOT_INITIALIZED);
}

TEST_F(Pkcs11, ThreadsWithOsLocking) {
    void* args[6] = {nullptr, nullptr, nullptr, nullptr, reinterpret_cast<void*>(CKF_OS_LOCKING_OK),
                     nullptr};
    ASSERT_EQ(f_->C_Initialize(args), CKR_OK);
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto cert = x509::Certificate::from_der(read_file(profile("default") + "/auth_cert.der"));
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            const auto s = open(auth_slot);
            const auto key = find(s, CKO_PRIVATE_KEY).at(0);
            for (int i = 0; i < 3; ++i) {
                const Bytes data =
                    to_bytes("thread " + std::to_string(t) + "/" + std::to_string(i));
                if (cert.verify_signature(x509::Hash::sha256, data,
                                          sign(s, CKM_SHA256_RSA_PKCS, key, data)))
                    ++good;
            }
            EXPECT_EQ(f_->C_CloseSession(s), CKR_OK);
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(good.load(), 12);
}

std::atomic<int> g_app_locks{0};

TEST_F(Pkcs11, ApplicationMutexCallbacksAreUsed) {
    static std::mutex m;
    CK_CREATEMUTEX create = [](CK_VOID_PTR_PTR p) -> CK_RV {
        *p = &m;
        return CKR_OK;
    };
    CK_DESTROYMUTEX destroy = [](CK_VOID_PTR) -> CK_RV { return CKR_OK; };
    CK_LOCKMUTEX lock = [](CK_VOID_PTR p) -> CK_RV {
        static_cast<std::mutex*>(p)->lock();
        ++g_app_locks;
        return CKR_OK;
    };
    CK_UNLOCKMUTEX unlock = [](CK_VOID_PTR p) -> CK_RV {
        static_cast<std::mutex*>(p)->unlock();
        return CKR_OK;
    };
    void* args[6] = {reinterpret_cast<void*>(create),
                     reinterpret_cast<void*>(destroy),
                     reinterpret_cast<void*>(lock),
                     reinterpret_cast<void*>(unlock),
                     nullptr,
                     nullptr};
    ASSERT_EQ(f_->C_Initialize(args), CKR_OK);
    CK_ULONG n = 0;
    EXPECT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
    EXPECT_GT(g_app_locks.load(), 0);
}

TEST_F(Pkcs11, ChildOfForkIsNotInitialised) {
    init();
    CK_ULONG n = 0;
    ASSERT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        CK_INFO info;
        int code = f_->C_GetInfo(&info) == CKR_CRYPTOKI_NOT_INITIALIZED ? 0 : 1;
        if (code == 0 && f_->C_Initialize(nullptr) != CKR_OK) code = 2;
        CK_ULONG count = 0;
        if (code == 0 && (f_->C_GetSlotList(CK_TRUE, nullptr, &count) != CKR_OK || count != 2))
            code = 3;
        if (code == 0 && f_->C_Finalize(nullptr) != CKR_OK) code = 4;
        _exit(code);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    CK_INFO info;
    EXPECT_EQ(f_->C_GetInfo(&info), CKR_OK) << "the parent stays initialised";
}

}  // namespace
