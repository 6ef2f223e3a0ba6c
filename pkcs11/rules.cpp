#include "pkcs11/rules.h"

#include <string_view>

#include "core/paths.h"
#include "pkcs11/errors.h"

namespace mynacard::pkcs11 {

const card::CardProfile& profile() {
    return card::CardProfile::my_number_card();
}

SecureBytes checked_pin(card::Pin which, ByteView typed) {
    const auto& rule = profile().rule(which);
    if (typed.size() < rule.min_length || typed.size() > rule.max_length)
        throw Rv(CKR_PIN_LEN_RANGE);
    SecureBytes value =
        which == card::Pin::sign
            ? card::normalise_pin(
                  which,
                  std::string_view(reinterpret_cast<const char*>(typed.data()), typed.size()))
            : SecureBytes(typed.begin(), typed.end());
    card::check_pin_format(profile(), which, value);
    return value;
}

std::string calling_program() {
    return own_executable();
}

}  // namespace mynacard::pkcs11
