#pragma once

// Shared helpers of the x509 tests: the generated test PKI and profiles
// (reader-drivers/softcard, built by target mynacard_sim_profiles).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "support/temp_dir.h"

namespace x509_test {

inline std::filesystem::path sim_dir() {
    return MYNACARD_SIM_DIR;
}
inline std::filesystem::path pki_dir() {
    return sim_dir() / "pki";
}
inline std::filesystem::path profile_dir(const std::string& variant = "default") {
    return sim_dir() / "profiles" / variant;
}

inline mynacard::Bytes read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    return mynacard::Bytes(s.begin(), s.end());
}

inline void write_file(const std::filesystem::path& path, mynacard::ByteView data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
}

inline nlohmann::json profile_json(const std::string& variant = "default") {
    std::ifstream in(profile_dir(variant) / "profile.json");
    return nlohmann::json::parse(in);
}

// A fresh private temporary directory, removed by the destructor.
using TempDir = mynacard::test::TempDir;  // tests/support

}  // namespace x509_test
