#pragma once

// The targets compiled into the replay test (fuzz_seeds_test).

#include <string>
#include <vector>

#include "fuzz_target.h"

namespace mynacard::fuzz {

struct Target {
    std::string name;  // also the seed folder: tests/fuzz/<name>/
    Entry entry;
};

[[nodiscard]] std::vector<Target>& targets();

}  // namespace mynacard::fuzz
