#include "pkcs11/errors.h"

#include <new>
#include <utility>

#include "core/error.h"

namespace mynacard::pkcs11 {

namespace {

// mynacard::Errc → CK_RV. Return values as PKCS#11 3.0 §5.1 defines them.
constexpr std::pair<Errc, CK_RV> errc_table[] = {
    {Errc::invalid_argument, CKR_ARGUMENTS_BAD},
    {Errc::malformed_data, CKR_DEVICE_ERROR},
    {Errc::not_found, CKR_DEVICE_ERROR},            // an EF the card should hold is absent
    {Errc::security_status, CKR_USER_NOT_LOGGED_IN},
    {Errc::pin_incorrect, CKR_PIN_INCORRECT},
    {Errc::pin_blocked, CKR_PIN_LOCKED},
    {Errc::pin_format, CKR_PIN_INVALID},            // length is checked first: CKR_PIN_LEN_RANGE
    {Errc::confirmation_required, CKR_FUNCTION_REJECTED},
    {Errc::card_removed, CKR_DEVICE_REMOVED},
    {Errc::card_reset, CKR_DEVICE_ERROR},
    {Errc::no_card, CKR_TOKEN_NOT_PRESENT},
    {Errc::reader_unavailable, CKR_DEVICE_REMOVED},
    {Errc::transport, CKR_DEVICE_ERROR},
    {Errc::service_stopped, CKR_DEVICE_ERROR},
    {Errc::timeout, CKR_DEVICE_ERROR},
    {Errc::cancelled, CKR_FUNCTION_CANCELED},
    {Errc::unsupported, CKR_FUNCTION_NOT_SUPPORTED},
    {Errc::card_error, CKR_DEVICE_ERROR},
    {Errc::io, CKR_GENERAL_ERROR},
    {Errc::internal, CKR_GENERAL_ERROR},
};

[[nodiscard]] CK_RV from_errc(Errc code) noexcept {
    for (const auto& [errc, rv] : errc_table)
        if (errc == code) return rv;
    return CKR_GENERAL_ERROR;
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
