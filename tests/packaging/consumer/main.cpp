// A program outside the project, built against the installed libmynacard
// (tests/packaging/consumer.sh): the headers as installed, the shared
// library, and a card source over pcscd (created, not used: no pcscd here).
#include <iostream>
#include <string>

#include "core/bytes.h"
#include "libmynacard/version.h"
#include "session/pcsc_source.h"

int main() {
    const auto bytes = mynacard::from_hex("3F00");
    const auto source = mynacard::session::pcsc_source();
    std::cout << "libmynacard " << mynacard::library::version() << ' ' << mynacard::to_hex(bytes)
              << ' ' << (source ? "source" : "none") << '\n';
    return std::string(mynacard::library::version()).empty() ? 1 : 0;
}
