#pragma once

// The fixture of the black-box suites of mynacard-pkcs11.so: dlopen()s the
// built module and drives it through pcscd and the virtual readers (ctest
// fixture virtual_pcscd). Each test starts with the default card, fresh
// counters and an empty trace in reader 0 and the other readers empty (as
// lib.sh's reset_readers).
#include <dlfcn.h>
#include <pkcs11.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/bytes.h"
#include "pcsc/pcsc.h"
#include "support/temp_dir.h"
#include "support/virtual_readers.h"
#include "x509/x509.h"

namespace p11_test {

using namespace mynacard;
using namespace std::chrono_literals;

using mynacard::test::build_dir;
using mynacard::test::profile;
using mynacard::test::run_cmd;
using mynacard::test::sim;
using mynacard::test::wait_for;
inline std::string run(const std::string& args) {
    return mynacard::test::sim_output(args);
}

// APDUs reader 0 saw since the last trace --clear.
inline long apdus() {
    const auto j = nlohmann::json::parse(run("trace --stats --json"));
    for (const auto& r : j.at("stats"))
        if (r.at("reader") == 0) return r.at("apdus").get<long>();
    return -1;
}
inline int tries(const std::string& pin) {
    return nlohmann::json::parse(run("status --reader 0 --json"))
        .at("reader")
        .at("tries_left")
        .at(pin)
        .get<int>();
}

inline Bytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline constexpr CK_SLOT_ID auth_slot = 0, sign_slot = 1;  // reader 0
inline constexpr char auth_pin[] = "1234";
inline constexpr char sign_pin[] = "ABC123";

class Pkcs11 : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        const std::string path = build_dir() + "/lib/mynacard-pkcs11.so";
        lib_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        ASSERT_NE(lib_, nullptr) << dlerror();
        auto get = reinterpret_cast<CK_C_GetInterface>(dlsym(lib_, "C_GetInterface"));
        ASSERT_NE(get, nullptr);
        CK_INTERFACE_PTR iface = nullptr;
        ASSERT_EQ(get(nullptr, nullptr, &iface, 0), CKR_OK);
        f_ = static_cast<CK_FUNCTION_LIST_3_0_PTR>(iface->pFunctionList);
        ASSERT_EQ(f_->version.major, 3);
    }

    void SetUp() override {
        mynacard::test::reset_readers();
        sim("trace --clear");
        // The module's audit log in a private directory of this test (a fixed
        // name in /tmp could be a link another user planted).
        audit_dir_.emplace("p11-audit");
        setenv("MYNACARD_AUDIT_LOG", (audit_dir_->path() / "audit.jsonl").c_str(), 1);
        // No PIN helper unless a test sets one up: whatever display the
        // machine has must not decide the module's protected path.
        unsetenv("DISPLAY");
        unsetenv("WAYLAND_DISPLAY");
        unsetenv("MYNACARD_HELPER");
    }
    void TearDown() override {
        (void)f_->C_Finalize(nullptr);
        audit_dir_.reset();
    }

    static void init() { ASSERT_EQ(f_->C_Initialize(nullptr), CKR_OK); }
    static CK_SESSION_HANDLE open(CK_SLOT_ID slot) {
        CK_SESSION_HANDLE h = 0;
        EXPECT_EQ(f_->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &h), CKR_OK);
        return h;
    }
    static CK_RV login(CK_SESSION_HANDLE h, const char* pin, CK_USER_TYPE user = CKU_USER) {
        return f_->C_Login(h, user, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin)),
                           std::strlen(pin));
    }
    static std::vector<CK_OBJECT_HANDLE> find(CK_SESSION_HANDLE h, CK_OBJECT_CLASS cls,
                                              std::optional<CK_BYTE> id = {}) {
        CK_BYTE idv = id.value_or(0);
        CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, &idv, 1}};
        EXPECT_EQ(f_->C_FindObjectsInit(h, t, id ? 2 : 1), CKR_OK);
        std::vector<CK_OBJECT_HANDLE> out(16);
        CK_ULONG n = 0;
        EXPECT_EQ(f_->C_FindObjects(h, out.data(), out.size(), &n), CKR_OK);
        EXPECT_EQ(f_->C_FindObjectsFinal(h), CKR_OK);
        out.resize(n);
        return out;
    }
    static Bytes value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type) {
        CK_ATTRIBUTE a{type, nullptr, 0};
        EXPECT_EQ(f_->C_GetAttributeValue(h, o, &a, 1), CKR_OK);
        Bytes v(a.ulValueLen);
        a.pValue = v.data();
        EXPECT_EQ(f_->C_GetAttributeValue(h, o, &a, 1), CKR_OK);
        return v;
    }
    static Bytes sign(CK_SESSION_HANDLE h, CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE key,
                      const Bytes& data, CK_RV expect = CKR_OK) {
        CK_MECHANISM m{mech, nullptr, 0};
        EXPECT_EQ(f_->C_SignInit(h, &m, key), CKR_OK);
        CK_ULONG len = 0;
        EXPECT_EQ(f_->C_Sign(h, const_cast<CK_BYTE*>(data.data()), data.size(), nullptr, &len),
                  CKR_OK);
        EXPECT_EQ(len, 256u);
        Bytes sig(len);
        EXPECT_EQ(f_->C_Sign(h, const_cast<CK_BYTE*>(data.data()), data.size(), sig.data(), &len),
                  expect);
        sig.resize(expect == CKR_OK ? len : 0);
        return sig;
    }

    static inline void* lib_ = nullptr;
    static inline CK_FUNCTION_LIST_3_0_PTR f_ = nullptr;
    std::optional<mynacard::test::TempDir> audit_dir_;  // per test, for the audit log
};

}  // namespace p11_test
