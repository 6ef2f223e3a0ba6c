#pragma once

// The parts of the PKCS#11 load tests (load_pkcs11_test.cpp): the built
// mynacard-pkcs11.so loaded with dlopen, a signer that signs distinct
// messages on one token through it, and OpenSSL 3 checking every signature
// against the certificate the token gave. A signature made over another
// thread's message, or with another card's or token's key, fails that
// check, so cross-talk shows as a failed verification.
#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <pkcs11.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace mynacard::load {

// The PINs of every generated test profile (softcard ProfileOptions).
inline constexpr char auth_pin[] = "1234";
inline constexpr char sign_pin[] = "ABC123";

// DigestInfo prefix of SHA-384 (RFC 8017 §9.2, note 1): CKM_RSA_PKCS takes
// the DigestInfo itself, hashed on the host.
inline constexpr unsigned char sha384_digest_info_prefix[] = {
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};

enum class Key { auth, sign };

[[nodiscard]] inline std::string rv_text(CK_RV rv) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "CKR 0x%lx", rv);
    return buf;
}

[[noreturn]] inline void fail(const std::string& what, CK_RV rv) {
    throw std::runtime_error(what + ": " + rv_text(rv));
}

// mynacard-pkcs11.so, dlopen()ed; C_Initialize with OS locking (the
// application is multi-threaded), C_Finalize and dlclose by the destructor.
class Module {
  public:
    explicit Module(const std::string& path) {
        lib_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (lib_ == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
        auto get = reinterpret_cast<CK_C_GetInterface>(dlsym(lib_, "C_GetInterface"));
        CK_INTERFACE_PTR iface = nullptr;
        if (get == nullptr || get(nullptr, nullptr, &iface, 0) != CKR_OK)
            throw std::runtime_error("no C_GetInterface");
        f_ = static_cast<CK_FUNCTION_LIST_3_0_PTR>(iface->pFunctionList);
        CK_C_INITIALIZE_ARGS args{};
        args.flags = CKF_OS_LOCKING_OK;
        if (const CK_RV rv = f_->C_Initialize(&args); rv != CKR_OK) fail("C_Initialize", rv);
    }
    ~Module() {
        (void)f_->C_Finalize(nullptr);
        dlclose(lib_);
    }
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    [[nodiscard]] CK_FUNCTION_LIST_3_0_PTR f() const noexcept { return f_; }

  private:
    void* lib_ = nullptr;
    CK_FUNCTION_LIST_3_0_PTR f_ = nullptr;
};

template <auto Free>
struct OsslFree {
    template <typename T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};

// True when `signature` is an RSASSA-PKCS1-v1_5 signature over `message`
// with `md` by the key of the certificate `cert_der` (OpenSSL 3).
[[nodiscard]] inline bool verifies(const Bytes& cert_der, const EVP_MD* md,
                                   const std::string& message, const Bytes& signature) {
    const unsigned char* p = cert_der.data();
    std::unique_ptr<X509, OsslFree<X509_free>> cert(
        d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())));
    if (!cert) return false;
    std::unique_ptr<EVP_MD_CTX, OsslFree<EVP_MD_CTX_free>> ctx(EVP_MD_CTX_new());
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, X509_get0_pubkey(cert.get())) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

// One session on one token: logs in (an earlier login of another session
// of the same application counts, PKCS#11 3.0 §5.6), finds the private key
// and its certificate (same CKA_ID) and signs. The signature key needs
// C_Login(CKU_CONTEXT_SPECIFIC) before every signature (CKA_ALWAYS_AUTHENTICATE).
class Signer {
  public:
    Signer(CK_FUNCTION_LIST_3_0_PTR f, CK_SLOT_ID slot, Key key) : f_(f), key_(key) {
        if (const CK_RV rv = f_->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &h_);
            rv != CKR_OK)
            fail("C_OpenSession", rv);
        const CK_RV rv = login(CKU_USER);
        if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) fail("C_Login", rv);
        key_handle_ = find_one(CKO_PRIVATE_KEY, std::nullopt);
        const Bytes id = attribute(key_handle_, CKA_ID);
        certificate_ = attribute(find_one(CKO_CERTIFICATE, id), CKA_VALUE);
    }
    ~Signer() { (void)f_->C_CloseSession(h_); }
    Signer(const Signer&) = delete;
    Signer& operator=(const Signer&) = delete;

    [[nodiscard]] const Bytes& certificate() const noexcept { return certificate_; }

    // Signs `message`: CKM_SHA256_RSA_PKCS, or CKM_RSA_PKCS over the
    // SHA-384 DigestInfo made here. Throws on any refusal.
    [[nodiscard]] Bytes sign(const std::string& message, bool raw_sha384) {
        Bytes data;
        CK_MECHANISM m{CKM_SHA256_RSA_PKCS, nullptr, 0};
        if (raw_sha384) {
            m.mechanism = CKM_RSA_PKCS;
            data.assign(std::begin(sha384_digest_info_prefix), std::end(sha384_digest_info_prefix));
            unsigned char digest[48];
            unsigned int n = 0;
            EVP_Digest(message.data(), message.size(), digest, &n, EVP_sha384(), nullptr);
            data.insert(data.end(), digest, digest + n);
        } else {
            data.assign(message.begin(), message.end());
        }
        if (const CK_RV rv = f_->C_SignInit(h_, &m, key_handle_); rv != CKR_OK)
            fail("C_SignInit", rv);
        if (key_ == Key::sign) {
            if (const CK_RV rv = login(CKU_CONTEXT_SPECIFIC); rv != CKR_OK)
                fail("C_Login(CKU_CONTEXT_SPECIFIC)", rv);
        }
        Bytes sig(512);
        CK_ULONG len = sig.size();
        if (const CK_RV rv = f_->C_Sign(h_, data.data(), data.size(), sig.data(), &len);
            rv != CKR_OK)
            fail("C_Sign", rv);
        sig.resize(len);
        return sig;
    }

  private:
    CK_RV login(CK_USER_TYPE user) {
        const char* pin = key_ == Key::auth ? auth_pin : sign_pin;
        return f_->C_Login(h_, user, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin)),
                           std::strlen(pin));
    }
    CK_OBJECT_HANDLE find_one(CK_OBJECT_CLASS cls, const std::optional<Bytes>& id) {
        std::vector<CK_ATTRIBUTE> t{{CKA_CLASS, &cls, sizeof cls}};
        if (id)
            t.push_back(
                {CKA_ID, const_cast<CK_BYTE*>(id->data()), static_cast<CK_ULONG>(id->size())});
        if (const CK_RV rv = f_->C_FindObjectsInit(h_, t.data(), t.size()); rv != CKR_OK)
            fail("C_FindObjectsInit", rv);
        CK_OBJECT_HANDLE found[4];
        CK_ULONG n = 0;
        const CK_RV rv = f_->C_FindObjects(h_, found, 4, &n);
        (void)f_->C_FindObjectsFinal(h_);
        if (rv != CKR_OK) fail("C_FindObjects", rv);
        if (n != 1) throw std::runtime_error("expected one object, found " + std::to_string(n));
        return found[0];
    }
    Bytes attribute(CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type) {
        CK_ATTRIBUTE a{type, nullptr, 0};
        if (const CK_RV rv = f_->C_GetAttributeValue(h_, o, &a, 1); rv != CKR_OK)
            fail("C_GetAttributeValue", rv);
        Bytes v(a.ulValueLen);
        a.pValue = v.data();
        if (const CK_RV rv = f_->C_GetAttributeValue(h_, o, &a, 1); rv != CKR_OK)
            fail("C_GetAttributeValue", rv);
        return v;
    }

    CK_FUNCTION_LIST_3_0_PTR f_;
    Key key_;
    CK_SESSION_HANDLE h_ = 0;
    CK_OBJECT_HANDLE key_handle_ = 0;
    Bytes certificate_;
};

// The digest a signature made by Signer::sign is checked with.
[[nodiscard]] inline const EVP_MD* digest_of(bool raw_sha384) {
    return raw_sha384 ? EVP_sha384() : EVP_sha256();
}

}  // namespace mynacard::load
