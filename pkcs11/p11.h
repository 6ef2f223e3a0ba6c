#pragma once

// The PKCS#11 3.0 types and prototypes. Debian ships the OASIS-derived 3.0
// headers with NSS (libnss3-dev: CK_INTERFACE, CK_FUNCTION_LIST_3_0,
// C_GetInterfaceList); p11-kit's bookworm header is still 2.40. Only the
// headers are used: the module never links NSS.
#include <pkcs11.h>
