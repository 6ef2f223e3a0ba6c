#pragma once

// The test PKI and card profiles are the ones the build generates once
// (target mynacard_sim_profiles, under share/mynacard/sim of the build
// directory): RSA key generation is the slow part, and ctest runs every test
// in its own process. Tests only read them; what a test writes goes to its
// private scratch directory `root`.

#include <filesystem>
#include <string>

#include "core/bytes.h"
#include "softcard/card.h"
#include "softcard/profile.h"

namespace softcard_test {

struct Fixture {
    std::filesystem::path root;  // scratch, removed after the tests
    // The build's test PKI (read only).
    std::filesystem::path pki() const;
    // The build's profile of that variant (ProfileOptions::variant; read only).
    std::filesystem::path profile_dir(const std::string& variant) const;
};

// Valid after the GoogleTest environment set up.
const Fixture& fixture();
mynacard::softcard::Profile profile(const std::string& variant = "default");

// Sends hex, returns the full response (data + SW).
mynacard::Bytes tx(mynacard::softcard::Card& card, const std::string& hex);
std::uint16_t sw(const mynacard::Bytes& response);
mynacard::Bytes body(const mynacard::Bytes& response);
std::string hex_sw(mynacard::softcard::Card& card, const std::string& hex);

// SELECT helpers as every tool sends them (card-facts.md §1.5).
constexpr const char* kSelJpki = "00A4040C0AD392F000260100000001";
constexpr const char* kSelText = "00A4040C0AD3921000310001010408";
constexpr const char* kSelFace = "00A4040C0AD3921000310001010402";
constexpr const char* kSelCommon = "00A4040C0AD3921000310001010100";
constexpr const char* kSelJuki = "00A4040C0AD3921000310001010401";
std::string sel_ef(unsigned fid);
std::string verify(const std::string& ascii);
// Reads a transparent EF fully in 256-byte chunks (like OpenSC), stops at the end SW.
mynacard::Bytes read_all(mynacard::softcard::Card& card);

}  // namespace softcard_test
