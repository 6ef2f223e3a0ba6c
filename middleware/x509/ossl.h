#pragma once

// Private to mynacard_x509: RAII owners for the OpenSSL objects the module
// uses, and small helpers that keep OpenSSL's casting macros out of our code
// (the project builds with -Wold-style-cast -Werror).

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "x509/x509.h"

namespace mynacard::x509::detail {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};

using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;

void free_x509_stack(STACK_OF(X509) * sk) noexcept;
void free_x509_stack_shallow(STACK_OF(X509) * sk) noexcept;
// Owns the stack and the certificates in it.
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<free_x509_stack>>;
// Owns the stack only (CMS_get0_signers returns borrowed certificates).
using X509StackRefPtr = std::unique_ptr<STACK_OF(X509), Deleter<free_x509_stack_shallow>>;

// sk_X509_* are macros with C casts; these are their typed equivalents.
[[nodiscard]] inline STACK_OF(X509) * new_x509_stack() noexcept {
    return reinterpret_cast<STACK_OF(X509)*>(OPENSSL_sk_new_null());
}
[[nodiscard]] inline int x509_stack_num(const STACK_OF(X509) * sk) noexcept {
    return OPENSSL_sk_num(reinterpret_cast<const OPENSSL_STACK*>(sk));
}
[[nodiscard]] inline X509* x509_stack_value(const STACK_OF(X509) * sk, int i) noexcept {
    return static_cast<X509*>(OPENSSL_sk_value(reinterpret_cast<const OPENSSL_STACK*>(sk), i));
}
// Pushes an up-referenced certificate; false on allocation failure.
[[nodiscard]] bool push_x509_copy(STACK_OF(X509) * sk, X509* cert) noexcept;

// The most recent OpenSSL error as text (and clears the queue), or `fallback`.
[[nodiscard]] std::string openssl_error(std::string_view fallback);
// Throws Error(code, what: <OpenSSL reason>).
[[noreturn]] void throw_openssl(Errc code, std::string_view what);

[[nodiscard]] BioPtr mem_bio();
[[nodiscard]] BioPtr mem_bio(ByteView data);
[[nodiscard]] std::string bio_to_string(BIO* bio);

[[nodiscard]] const EVP_MD* evp_md(Hash hash) noexcept;

[[nodiscard]] TimePoint from_asn1_time(const ASN1_TIME* t);
[[nodiscard]] std::time_t to_time_t(TimePoint t) noexcept;

// Trust anchors for verification: every certificate in a DER or PEM file, or
// in every regular file of a directory. Throws Error(not_found / io /
// malformed_data) when nothing usable is there.
[[nodiscard]] StorePtr load_anchor_store(const std::filesystem::path& anchors);
// A store of exactly these certificates (nothing read from disk).
[[nodiscard]] StorePtr anchor_store_of(const std::vector<Certificate>& anchors);

// Whole file; Error(not_found) when it cannot be opened, Error(io) on read errors.
[[nodiscard]] Bytes read_file(const std::filesystem::path& path);

[[nodiscard]] X509* x509_of(const Certificate& cert) noexcept;

}  // namespace mynacard::x509::detail
