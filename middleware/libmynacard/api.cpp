// The one definition of libmynacard's own: everything else in the library
// comes from the folders' static libraries, linked in whole.
#include "libmynacard/version.h"

namespace mynacard::library {

const char* version() noexcept {
    return MYNACARD_VERSION;
}

}  // namespace mynacard::library
