#pragma once

#include <memory>
#include <string>

#include "consent/consent.h"
#include "core/bytes.h"
#include "pinhelper/pinhelper.h"
#include "x509/x509.h"

namespace mynacard::pkcs11 {

// Everything the module asks a person (decisions 5, 9, 11): the PIN on the
// protected authentication path, the confirmation of a last try for a PIN
// the application supplied, and the consent to release the signature
// certificate. The products run `mynacard-helper` (helper_prompts()); tests
// answer in-process. Called outside the module lock.
class Prompts {
  public:
    virtual ~Prompts() = default;
    Prompts() = default;
    Prompts(const Prompts&) = delete;
    Prompts& operator=(const Prompts&) = delete;

    // Whether a person can be asked here at all (the PIN helper and a
    // display exist): the module advertises CKF_PROTECTED_AUTHENTICATION_PATH
    // only then (or for a PIN-pad reader). Asked once per C_Initialize; no
    // card I/O.
    [[nodiscard]] virtual bool available() = 0;
    // The PIN a person typed, as pinhelper::ask: throws Error(cancelled,
    // timeout, pin_blocked, unsupported, transport).
    [[nodiscard]] virtual SecureBytes ask_pin(const pinhelper::Request& request) = 0;
    // True only when a person allowed the last try (pinhelper::confirm_last_try).
    [[nodiscard]] virtual bool confirm_last_try(const pinhelper::Request& request) = 0;
    // Whether the holder lets `program` have the signature certificate
    // (consent::ask_consent: remembered answers, MYNACARD_CONSENT). Never
    // throws: any failure denies.
    [[nodiscard]] virtual consent::Decision ask_consent(const std::string& program, long pid,
                                                        const x509::Certificate& cert) = 0;
};

// The products' prompts: `mynacard-helper pin` (docs/pin-helper.md) and the
// consent dialog and store (docs/consent.md).
[[nodiscard]] std::unique_ptr<Prompts> helper_prompts();

}  // namespace mynacard::pkcs11
