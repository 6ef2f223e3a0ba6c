// pcsc::to_error: the one place PC/SC return codes become mynacard errors.
// A pure function of the code and the call it came from; no pcscd.
#include <gtest/gtest.h>

#include <string>

#include "pcsc/pcsc.h"

using namespace mynacard;

namespace {

Errc code_of(LONG rv, const std::string& what) {
    return pcsc::to_error(rv, what).code();
}

TEST(PcscErrors, CardAndServiceEventsKeepTheirMeaning) {
    EXPECT_EQ(code_of(SCARD_W_REMOVED_CARD, "SCardTransmit"), Errc::card_removed);
    EXPECT_EQ(code_of(SCARD_E_NO_SMARTCARD, "SCardConnect r"), Errc::card_removed);
    EXPECT_EQ(code_of(SCARD_W_RESET_CARD, "SCardTransmit"), Errc::card_reset);
    EXPECT_EQ(code_of(SCARD_E_NO_SERVICE, "SCardGetStatusChange"), Errc::service_stopped);
    EXPECT_EQ(code_of(SCARD_F_COMM_ERROR, "SCardGetStatusChange"), Errc::service_stopped);
    EXPECT_EQ(code_of(SCARD_E_READER_UNAVAILABLE, "SCardTransmit"), Errc::reader_unavailable);
    EXPECT_EQ(code_of(SCARD_E_TIMEOUT, "SCardGetStatusChange"), Errc::timeout);
}

// pcsc-lite 1.9.9 answers a connection reset under a request (pcscd stopped
// while a call waits) with SCARD_W_SECURITY_VIOLATION, "Access denied": a
// new context is what helps, as for any other loss of the service.
TEST(PcscErrors, AccessDeniedOnAnOpenConnectionIsTheServiceGone) {
    const Error e = pcsc::to_error(SCARD_W_SECURITY_VIOLATION, "SCardGetStatusChange");
    EXPECT_EQ(e.code(), Errc::service_stopped);
    EXPECT_EQ(code_of(SCARD_W_SECURITY_VIOLATION, "SCardTransmit"), Errc::service_stopped);
    EXPECT_EQ(code_of(SCARD_W_SECURITY_VIOLATION, "SCardBeginTransaction"), Errc::service_stopped);
}

// The same code from a new context or a connect is pcscd's polkit check
// refusing: a new context would be refused again, so it is said as it is.
TEST(PcscErrors, AccessDeniedOnConnectIsARefusalWithItsReason) {
    for (const char* what : {"SCardEstablishContext", "SCardConnect Virtual Reader 00 00"}) {
        const Error e = pcsc::to_error(SCARD_W_SECURITY_VIOLATION, what);
        EXPECT_EQ(e.code(), Errc::transport) << what;
        EXPECT_NE(std::string(e.what()).find("polkit"), std::string::npos) << e.what();
    }
}

}  // namespace
