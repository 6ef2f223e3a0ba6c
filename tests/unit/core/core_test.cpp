// middleware/core: where files go in a privileged host, and secrets kept out
// of core dumps.

#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/paths.h"

namespace {

using mynacard::privileged_host;
using mynacard::ProcessIds;

TEST(PrivilegedHost, OrdinaryProcessIsNot) {
    ProcessIds ids;
    ids.uid = ids.euid = 1000;
    ids.gid = ids.egid = 1000;
    EXPECT_FALSE(privileged_host(ids));
}

TEST(PrivilegedHost, AtSecureAlone) {
    // The kernel sets AT_SECURE for set-uid, set-gid and file-capability
    // programs even when the ids happen to match.
    ProcessIds ids;
    ids.at_secure = true;
    EXPECT_TRUE(privileged_host(ids));
}

TEST(PrivilegedHost, SetUidOrSetGid) {
    ProcessIds uid;
    uid.uid = 1000;  // sudo → pam_p11: real user 1000, effective root
    EXPECT_TRUE(privileged_host(uid));
    ProcessIds gid;
    gid.gid = 1000;
    gid.egid = 5;
    EXPECT_TRUE(privileged_host(gid));
}

TEST(PrivilegedHost, ThisTestIsNot) {
    // The other tests below rely on an ordinary process.
    EXPECT_FALSE(privileged_host());
}

TEST(Paths, TrustedEnvReadsAnOrdinaryProcess) {
    ASSERT_EQ(::setenv("MYNACARD_CORE_TEST", "/x", 1), 0);
    EXPECT_EQ(mynacard::trusted_env("MYNACARD_CORE_TEST"), "/x");
    ::unsetenv("MYNACARD_CORE_TEST");
    EXPECT_EQ(mynacard::trusted_env("MYNACARD_CORE_TEST"), "");
}

TEST(Paths, HomeFromPasswdWithoutHome) {
    const char* saved = std::getenv("HOME");
    const std::string keep = saved != nullptr ? saved : "";
    ::unsetenv("HOME");
    const passwd* pw = ::getpwuid(::getuid());
    ASSERT_NE(pw, nullptr);
    EXPECT_EQ(mynacard::home_directory(), std::filesystem::path(pw->pw_dir));
    ASSERT_EQ(::setenv("HOME", "/elsewhere", 1), 0);
    EXPECT_EQ(mynacard::home_directory(), std::filesystem::path("/elsewhere"));
    EXPECT_EQ(mynacard::xdg_directory("MYNACARD_CORE_TEST_UNSET", ".config"),
              std::filesystem::path("/elsewhere/.config"));
    if (saved != nullptr)
        ::setenv("HOME", keep.c_str(), 1);
    else
        ::unsetenv("HOME");
}

// The VmFlags of the mapping that holds `address`, from /proc/self/smaps.
std::string vm_flags_of(const void* address) {
    const auto a = reinterpret_cast<std::uintptr_t>(address);
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        // A mapping starts with "from-to perms offset dev inode [path]"; its
        // fields follow as "Name: value" lines, VmFlags last.
        const std::string first = line.substr(0, line.find(' '));
        if (first.find_first_not_of("0123456789abcdef-") == std::string::npos &&
            first.find('-') != std::string::npos) {
            const auto dash = first.find('-');
            const auto from = std::stoull(first.substr(0, dash), nullptr, 16);
            const auto to = std::stoull(first.substr(dash + 1), nullptr, 16);
            inside = a >= from && a < to;
        } else if (inside && line.rfind("VmFlags:", 0) == 0) {
            return line;
        }
    }
    return {};
}

bool has_flag(const std::string& flags, const std::string& flag) {
    std::istringstream words(flags);
    std::string w;
    while (words >> w)
        if (w == flag) return true;
    return false;
}

TEST(SecureBytes, PagesAreLeftOutOfCoreDumps) {
    // Small, as a PIN is: the case where a plain heap block shares its page.
    mynacard::SecureBytes pin{'1', '2', '3', '4'};
    const auto flags = vm_flags_of(pin.data());
    ASSERT_FALSE(flags.empty()) << "no mapping found for the buffer";
    EXPECT_TRUE(has_flag(flags, "dd")) << flags;

    mynacard::SecureBytes big(3 * 4096 + 17, 0x55);
    EXPECT_TRUE(has_flag(vm_flags_of(big.data() + big.size() - 1), "dd"));
}

TEST(SecureBytes, TwoBuffersNeverShareAPage) {
    mynacard::SecureBytes a(8, 1);
    mynacard::SecureBytes b(8, 2);
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    EXPECT_NE(reinterpret_cast<std::uintptr_t>(a.data()) / page,
              reinterpret_cast<std::uintptr_t>(b.data()) / page);
    // Growing keeps the contents (the allocator is a real allocator).
    for (int i = 0; i < 10000; ++i) a.push_back(static_cast<std::uint8_t>(i));
    EXPECT_EQ(a[0], 1);
    EXPECT_EQ(a[8], 0);
    EXPECT_EQ(a.size(), 10008u);
    mynacard::SecureBytes c = a;
    EXPECT_EQ(c, a);
}

// secure_zero and wipe clear exactly the bytes they are given, at any
// alignment and length (explicit_bzero underneath), and nothing next to them.
TEST(SecureZero, ClearsExactlyTheRangeGiven) {
    for (const std::size_t offset : {0u, 1u, 7u}) {
        for (const std::size_t size : {0u, 1u, 15u, 64u, 4096u + 3u}) {
            std::vector<std::uint8_t> buf(size + 16, 0xA5);
            mynacard::secure_zero(buf.data() + offset, size);
            for (std::size_t i = 0; i < buf.size(); ++i) {
                const bool inside = i >= offset && i < offset + size;
                ASSERT_EQ(buf[i], inside ? 0 : 0xA5)
                    << "offset " << offset << " size " << size << " byte " << i;
            }
        }
    }
    std::vector<std::uint8_t> secret{1, 2, 3, 4};
    mynacard::wipe(secret);
    EXPECT_TRUE(secret.empty());
}

}  // namespace
