#include "pkcs11/errors.h"

#include <new>
#include <utility>

#include "core/error.h"

namespace mynacard::pkcs11 {

namespace {

// mynacard::Errc → CK_RV, as PKCS#11 3.0 §5.1 defines the return values. A
// switch without a default: a new Errc is a compile error here (-Wswitch,
// warnings are errors), never a silent CKR_GENERAL_ERROR.
[[nodiscard]] CK_RV from_errc(Errc code) noexcept {
    switch (code) {
        case Errc::invalid_argument:
            return CKR_ARGUMENTS_BAD;
        case Errc::malformed_data:
            return CKR_DEVICE_ERROR;
        case Errc::not_found:
            return CKR_DEVICE_ERROR;  // an EF the card should hold is absent
        case Errc::security_status:
            return CKR_USER_NOT_LOGGED_IN;
        case Errc::pin_incorrect:
            return CKR_PIN_INCORRECT;
        case Errc::pin_blocked:
            return CKR_PIN_LOCKED;
        case Errc::pin_format:
            return CKR_PIN_INVALID;  // the length is checked first: CKR_PIN_LEN_RANGE
        case Errc::confirmation_required:
            return CKR_FUNCTION_REJECTED;  // a last try nobody confirmed (decision 5)
        case Errc::card_removed:
            return CKR_DEVICE_REMOVED;
        case Errc::card_reset:
            return CKR_DEVICE_ERROR;
        case Errc::no_card:
            return CKR_TOKEN_NOT_PRESENT;
        case Errc::reader_unavailable:
            return CKR_DEVICE_REMOVED;
        case Errc::transport:
            return CKR_DEVICE_ERROR;
        case Errc::service_stopped:
            return CKR_DEVICE_ERROR;
        case Errc::timeout:
            return CKR_DEVICE_ERROR;
        case Errc::cancelled:
            return CKR_FUNCTION_CANCELED;
        case Errc::unsupported:
            return CKR_FUNCTION_NOT_SUPPORTED;
        case Errc::card_error:
            return CKR_DEVICE_ERROR;
        case Errc::io:
            return CKR_GENERAL_ERROR;
        case Errc::internal:
            return CKR_GENERAL_ERROR;
    }
    return CKR_GENERAL_ERROR;  // a value outside the enum: memory corruption
}

}  // namespace

CK_RV to_ckr(std::exception_ptr error) noexcept {
    try {
        std::rethrow_exception(std::move(error));
    } catch (const Rv& e) {
        return e.rv;
    } catch (const Error& e) {
        return from_errc(e.code());
    } catch (const std::bad_alloc&) {
        return CKR_HOST_MEMORY;
    } catch (...) {
        return CKR_GENERAL_ERROR;
    }
}

}  // namespace mynacard::pkcs11
