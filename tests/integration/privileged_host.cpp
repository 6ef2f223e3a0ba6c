// Run set-uid by privileged_host.sh: uses the audit log and the consent
// store the way the PKCS#11 module does inside a set-uid host (pam_p11 under
// sudo), with their default paths. Prints where the product thinks home is;
// every write must be a silent no-op there.
#include <unistd.h>

#include <iostream>
#include <string>

#include "audit/audit.h"
#include "consent/consent.h"
#include "core/error.h"
#include "core/paths.h"

int main() {
    using namespace mynacard;
    try {
        std::cout << "privileged " << (privileged_host() ? "yes" : "no") << '\n'
                  << "home " << home_directory().string() << '\n'
                  << "audit " << audit::Log::default_path().string() << '\n'
                  << "consent " << consent::Store::default_path().string() << '\n';
        audit::Event e;
        e.operation = audit::Operation::login;
        e.result = audit::Result::ok;
        e.key = "auth";
        audit::Log(audit::Log::default_path()).append(e);
        consent::Store store(consent::Store::default_path());
        store.remember("/usr/bin/sudo", std::string(64, 'a'), consent::Decision::allow);
        std::cout << "forget " << (store.forget("/usr/bin/sudo") ? "true" : "false") << '\n';
        std::cout << "policy "
                  << (consent::policy_from_environment() == consent::Policy::ask ? "ask" : "other")
                  << '\n';
    } catch (const Error& e) {
        std::cout << "error " << e.what() << '\n';
        return 1;
    }
    return 0;
}
