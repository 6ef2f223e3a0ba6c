#include "pkcs11/prompts.h"

namespace mynacard::pkcs11 {

namespace {

class HelperPrompts final : public Prompts {
  public:
    bool available() override { return pinhelper::available(); }
    SecureBytes ask_pin(const pinhelper::Request& request) override {
        return pinhelper::ask(request);
    }
    bool confirm_last_try(const pinhelper::Request& request) override {
        return pinhelper::confirm_last_try(request);
    }
    consent::Decision ask_consent(const std::string& program, long pid,
                                  const x509::Certificate& cert) override {
        return consent::ask_consent(program, pid, cert);
    }
};

}  // namespace

std::unique_ptr<Prompts> helper_prompts() {
    return std::make_unique<HelperPrompts>();
}

}  // namespace mynacard::pkcs11
