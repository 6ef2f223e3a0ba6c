// Certificates as the card returns them (middleware/x509): DER, PEM, and
// the JPKI holder attributes of a signature certificate. Every accessor
// runs on whatever from_der accepts; the PEM form parses back to the same
// DER.

#include <string_view>

#include "core/error.h"
#include "fuzz_target.h"
#include "x509/x509.h"

namespace x509 = mynacard::x509;
using mynacard::fuzz::require;

MYNACARD_FUZZ_TARGET(x509) {
    const auto input = mynacard::fuzz::view(data, size);
    try {
        const auto cert = x509::Certificate::from_der(input);
        (void)cert.subject();
        (void)cert.issuer();
        (void)cert.serial();
        (void)cert.not_before();
        (void)cert.not_after();
        (void)cert.is_ca();
        (void)cert.rsa_modulus();
        (void)cert.rsa_public_exponent();
        (void)cert.subject_der();
        (void)cert.issuer_der();
        (void)cert.sha256_fingerprint();
        const auto again = x509::Certificate::from_pem(cert.pem());
        require(again.der() == cert.der(), "PEM round trip changed the certificate");
        try {
            (void)x509::jpki_attributes(cert);
        } catch (const mynacard::Error&) {
        }
        static const mynacard::Bytes message{'m', 'y', 'n', 'a'};
        (void)cert.verify_signature(x509::Hash::sha256, message, input.first(input.size() / 2));
    } catch (const mynacard::Error&) {
    }
    try {
        (void)x509::Certificate::from_pem(
            std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const mynacard::Error&) {
    }
    return 0;
}
