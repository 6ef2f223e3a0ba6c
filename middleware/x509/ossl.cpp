#include "x509/ossl.h"

#include <openssl/pem.h>

#include <array>
#include <fstream>
#include <limits>
#include <system_error>

#include "core/error.h"

namespace mynacard::x509::detail {

namespace {

void free_x509_void(void* p) {
    X509_free(static_cast<X509*>(p));
}

}  // namespace

void free_x509_stack(STACK_OF(X509) * sk) noexcept {
    OPENSSL_sk_pop_free(reinterpret_cast<OPENSSL_STACK*>(sk), free_x509_void);
}

void free_x509_stack_shallow(STACK_OF(X509) * sk) noexcept {
    OPENSSL_sk_free(reinterpret_cast<OPENSSL_STACK*>(sk));
}

bool push_x509_copy(STACK_OF(X509) * sk, X509* cert) noexcept {
    if (X509_up_ref(cert) != 1) return false;
    if (OPENSSL_sk_push(reinterpret_cast<OPENSSL_STACK*>(sk), cert) <= 0) {
        X509_free(cert);
        return false;
    }
    return true;
}

std::string openssl_error(std::string_view fallback) {
    const unsigned long code = ERR_peek_last_error();
    std::string text;
    if (code != 0) {
        std::array<char, 256> buf{};
        ERR_error_string_n(code, buf.data(), buf.size());
        text = buf.data();
    } else {
        text = fallback;
    }
    ERR_clear_error();
    return text;
}

void throw_openssl(Errc code, std::string_view what) {
    std::string message(what);
    message += ": ";
    message += openssl_error("unknown OpenSSL failure");
    throw Error(code, message);
}

BioPtr mem_bio() {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) throw_openssl(Errc::internal, "BIO_new");
    return bio;
}

BioPtr mem_bio(ByteView data) {
    if (data.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw Error(Errc::invalid_argument, "input too large");
    // Read-only memory BIO over the caller's bytes (no copy). An empty span
    // may have a null pointer, which OpenSSL refuses: point at a static empty
    // buffer instead, so signing an empty file works.
    static const unsigned char empty[1] = {0};
    const void* p = data.empty() ? empty : data.data();
    BioPtr bio(BIO_new_mem_buf(p, static_cast<int>(data.size())));
    if (!bio) throw_openssl(Errc::internal, "BIO_new_mem_buf");
    return bio;
}

std::string bio_to_string(BIO* bio) {
    std::string out;
    std::array<char, 4096> buf{};
    for (;;) {
        const int n = BIO_read(bio, buf.data(), static_cast<int>(buf.size()));
        if (n <= 0) break;
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
    return out;
}

const EVP_MD* evp_md(Hash hash) noexcept {
    switch (hash) {
        case Hash::sha1:
            return EVP_sha1();
        case Hash::sha224:
            return EVP_sha224();
        case Hash::sha256:
            return EVP_sha256();
        case Hash::sha384:
            return EVP_sha384();
        case Hash::sha512:
            return EVP_sha512();
    }
    return nullptr;
}

TimePoint from_asn1_time(const ASN1_TIME* t) {
    std::tm tm{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1)
        throw Error(Errc::malformed_data, "invalid ASN.1 time");
    namespace ch = std::chrono;
    const ch::year_month_day date{ch::year{tm.tm_year + 1900},
                                  ch::month{static_cast<unsigned>(tm.tm_mon + 1)},
                                  ch::day{static_cast<unsigned>(tm.tm_mday)}};
    if (!date.ok()) throw Error(Errc::malformed_data, "invalid ASN.1 time");
    return ch::sys_days{date} + ch::hours{tm.tm_hour} + ch::minutes{tm.tm_min} +
           ch::seconds{tm.tm_sec};
}

std::time_t to_time_t(TimePoint t) noexcept {
    return std::chrono::system_clock::to_time_t(t);
}

Bytes read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::not_found, "cannot read " + path.string());
    Bytes out;
    std::array<char, 8192> buf{};
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(buf.data());
        out.insert(out.end(), p, p + in.gcount());
    }
    if (in.bad()) throw Error(Errc::io, "cannot read " + path.string());
    return out;
}

namespace {

// Adds every certificate of one file to the store; returns how many.
int add_file(X509_STORE* store, const std::filesystem::path& path) {
    const Bytes data = read_file(path);
    int added = 0;
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    if (text.find("-----BEGIN") != std::string_view::npos) {
        auto bio = mem_bio(data);
        for (;;) {
            X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
            if (!cert) break;
            if (X509_STORE_add_cert(store, cert.get()) != 1)
                throw_openssl(Errc::internal, "X509_STORE_add_cert");
            ++added;
        }
        ERR_clear_error();  // the end of the PEM stream reads as an error
    } else {
        const unsigned char* p = data.data();
        const unsigned char* const end = data.data() + data.size();
        while (p < end) {
            X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(end - p)));
            if (!cert) break;
            if (X509_STORE_add_cert(store, cert.get()) != 1)
                throw_openssl(Errc::internal, "X509_STORE_add_cert");
            ++added;
        }
        ERR_clear_error();
    }
    return added;
}

}  // namespace

StorePtr load_anchor_store(const std::filesystem::path& anchors) {
    StorePtr store(X509_STORE_new());
    if (!store) throw_openssl(Errc::internal, "X509_STORE_new");
    std::error_code ec;
    int added = 0;
    if (std::filesystem::is_directory(anchors, ec)) {
        for (const auto& entry : std::filesystem::directory_iterator(anchors, ec)) {
            if (!entry.is_regular_file(ec)) continue;
            added += add_file(store.get(), entry.path());
        }
        if (ec) throw Error(Errc::io, "cannot list " + anchors.string() + ": " + ec.message());
    } else if (std::filesystem::exists(anchors, ec)) {
        added = add_file(store.get(), anchors);
    } else {
        throw Error(Errc::not_found, "trust anchors not found: " + anchors.string());
    }
    if (added == 0) throw Error(Errc::malformed_data, "no certificate in " + anchors.string());
    return store;
}

StorePtr anchor_store_of(const std::vector<Certificate>& anchors) {
    if (anchors.empty()) throw Error(Errc::invalid_argument, "no trust anchors");
    StorePtr store(X509_STORE_new());
    if (!store) throw_openssl(Errc::internal, "X509_STORE_new");
    for (const auto& cert : anchors)
        if (X509_STORE_add_cert(store.get(), x509_of(cert)) != 1)
            throw_openssl(Errc::internal, "X509_STORE_add_cert");
    return store;
}

}  // namespace mynacard::x509::detail
