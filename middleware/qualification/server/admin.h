#pragma once

// The set-up subcommands of mynacard-qualification-server (init, trust,
// enroll, revoke, import-crl): what a clinic engineer does once before
// `serve`. Each throws Error naming what is wrong, never personal data.

#include <filesystem>
#include <string>
#include <vector>

#include "qualification_server/store.h"
#include "x509/x509.h"

namespace mynacard::qualification::server {

// The key a certificate is found by (§A.2: serial number and issuer).
[[nodiscard]] CertificateKey key_of(const x509::Certificate& cert);
// A short, non-reversible tag of a certificate for logs (decision 11): the
// first 16 hex digits of SHA-256 over serial and issuer.
[[nodiscard]] std::string log_tag(const CertificateKey& key);

// Creates the state directory (0700): the database with the accepted
// institution codes (10 digits each), a TLS key (EC P-256, 0600) and a
// self-signed certificate for `host_names` (DNS names or IP addresses;
// loopback when empty), valid for 825 days. Refuses to overwrite an
// existing key unless `renew_tls`; codes are added to an existing database.
void init_state(const std::filesystem::path& dir, const std::vector<std::string>& institution_codes,
                const std::vector<std::string>& host_names, bool renew_tls = false);

// Adds a CA certificate (PEM or DER; must be a CA) to anchors.pem.
void trust_ca(const std::filesystem::path& dir, const std::filesystem::path& ca);

// Links the record (JSON, answers.h record_from_json) to the certificate.
// The certificate must chain to a trusted CA (trust first).
void enroll(const std::filesystem::path& dir, const std::filesystem::path& cert,
            const std::filesystem::path& record_json);

void revoke(const std::filesystem::path& dir, const std::filesystem::path& cert);

// Imports a CRL (PEM or DER) whose signature verifies with a trusted CA's
// key; every serial on it is refused from then on. Returns how many.
std::size_t import_crl(const std::filesystem::path& dir, const std::filesystem::path& crl);

}  // namespace mynacard::qualification::server
