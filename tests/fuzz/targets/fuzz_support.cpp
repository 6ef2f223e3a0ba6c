// What every fuzz target shares: fail() for both builds, and the registry
// the replay test walks (only in the replay build; a libFuzzer program has
// exactly one target).

#include <cstdio>
#include <cstdlib>

#include "fuzz_registry.h"
#include "fuzz_target.h"

namespace mynacard::fuzz {

void fail(const char* what) {
    std::fprintf(stderr, "fuzz target property broken: %s\n", what);
    std::abort();
}

#if !defined(MYNACARD_LIBFUZZER)
std::vector<Target>& targets() {
    static std::vector<Target> all;
    return all;
}

bool register_target(const char* name, Entry entry) {
    targets().push_back({name, entry});
    return true;
}
#endif

}  // namespace mynacard::fuzz
