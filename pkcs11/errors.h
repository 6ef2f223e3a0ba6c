#pragma once

#include <exception>

#include "pkcs11/p11.h"

namespace mynacard::pkcs11 {

// A PKCS#11 return value decided by the module itself (argument checks,
// call order). Thrown inside the core, turned back into CK_RV by the guard.
struct Rv final : std::exception {
    explicit Rv(CK_RV value) noexcept : rv(value) {}
    [[nodiscard]] const char* what() const noexcept override { return "PKCS#11 return value"; }
    CK_RV rv;
};

// The one place where everything thrown inside the module becomes a CK_RV
// (architecture decision 7): Rv as is, mynacard::Error through one table,
// std::bad_alloc → CKR_HOST_MEMORY, anything else → CKR_GENERAL_ERROR.
[[nodiscard]] CK_RV to_ckr(std::exception_ptr error) noexcept;

}  // namespace mynacard::pkcs11
