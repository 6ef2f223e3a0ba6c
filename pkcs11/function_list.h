#pragma once

#include "pkcs11/p11.h"

namespace mynacard::pkcs11 {

// A call the card cannot serve (encryption, object creation, ...): the C
// shell's answer, CKR_FUNCTION_NOT_SUPPORTED once initialised. The function
// lists (function_list.cpp) point every unsupported C_* at it.
[[nodiscard]] CK_RV unsupported_call() noexcept;

}  // namespace mynacard::pkcs11
