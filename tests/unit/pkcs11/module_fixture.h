#pragma once

// The PKCS#11 core (pkcs11::Module) over software cards in test readers,
// with a person played by the test (FakePrompts): no pcscd, no helper.

#include <gtest/gtest.h>

#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit.h"
#include "core/error.h"
#include "pkcs11/errors.h"
#include "pkcs11/module.h"
#include "pkcs11/prompts.h"
#include "softcard/profile.h"
#include "support/softcard_source.h"
#include "support/temp_dir.h"

namespace mynacard::test_support {

// What the person answers, and what they were asked.
struct Person {
    bool reachable = true;          // Prompts::available()
    std::vector<std::string> pins;  // typed in turn; none left: cancel
    bool allows_last_try = false;   // confirm_last_try()
    consent::Decision consent = consent::Decision::allow;
    std::vector<pinhelper::Request> pin_dialogs;
    std::vector<pinhelper::Request> last_try_dialogs;
    int consent_dialogs = 0;
};

class FakePrompts final : public pkcs11::Prompts {
  public:
    explicit FakePrompts(std::shared_ptr<Person> person) : person_(std::move(person)) {}
    bool available() override { return person_->reachable; }
    SecureBytes ask_pin(const pinhelper::Request& request) override {
        person_->pin_dialogs.push_back(request);
        if (person_->pins.empty()) throw Error(Errc::cancelled, "the person cancelled");
        const std::string pin = person_->pins.front();
        person_->pins.erase(person_->pins.begin());
        return SecureBytes(pin.begin(), pin.end());
    }
    bool confirm_last_try(const pinhelper::Request& request) override {
        person_->last_try_dialogs.push_back(request);
        return person_->allows_last_try;
    }
    consent::Decision ask_consent(const std::string& /*program*/, long /*pid*/,
                                  const x509::Certificate& /*cert*/) override {
        ++person_->consent_dialogs;
        return person_->consent;
    }

  private:
    std::shared_ptr<Person> person_;
};

inline constexpr char auth_pin[] = "1234";
inline constexpr char sign_pin[] = "ABC123";
inline constexpr CK_SLOT_ID auth_slot = 0;        // reader 0, Token::auth
inline constexpr CK_SLOT_ID sign_slot = 1;        // reader 0, Token::sign
inline constexpr CK_ULONG signature_bytes = 256;  // RSA-2048 (card-facts.md §2.2)

class ModuleTest : public ::testing::Test {
  protected:
    // A card of the build's profile `variant`, its secrets' tries set first
    // (e.g. {"auth", 1}).
    static std::shared_ptr<softcard::Card> card(
        const std::string& variant = "default",
        const std::vector<std::pair<std::string, int>>& tries = {}) {
        auto profile =
            softcard::load_profile(std::filesystem::path(MYNACARD_TEST_PROFILES) / variant);
        for (const auto& [secret, left] : tries) profile.secrets.at(secret).tries_left = left;
        return std::make_shared<softcard::Card>(std::move(profile));
    }

    void SetUp() override {
        bench_ = std::make_shared<Bench>();
        person_ = std::make_shared<Person>();
        log_ = dir_.path() / "audit.jsonl";
    }
    // The module over the bench (made when first used, so a test sets the
    // bench and the person up first).
    pkcs11::Module& m() {
        if (!module_)
            module_ = std::make_unique<pkcs11::Module>(std::make_unique<SoftcardSource>(bench_),
                                                       std::make_unique<FakePrompts>(person_),
                                                       pkcs11::Module::Unlocked{}, log_);
        return *module_;
    }

    // What the C shell returns for a core call (errors.cpp, decision 7).
    template <typename F>
    static CK_RV rv(F&& fn) {
        try {
            if constexpr (std::is_void_v<decltype(fn())>) {
                fn();
                return CKR_OK;
            } else {
                return fn();
            }
        } catch (...) {
            return pkcs11::to_ckr(std::current_exception());
        }
    }

    CK_SESSION_HANDLE open(CK_SLOT_ID slot) {
        CK_ULONG n = 0;
        m().get_slot_list(true, nullptr, n);
        return m().open_session(slot, CKF_SERIAL_SESSION);
    }
    CK_RV login(CK_SESSION_HANDLE h, const char* pin, CK_USER_TYPE user = CKU_USER) {
        return rv([&] {
            m().login(h, user,
                      ByteView(reinterpret_cast<const std::uint8_t*>(pin), std::strlen(pin)), true);
        });
    }
    CK_RV login_protected(CK_SESSION_HANDLE h, CK_USER_TYPE user = CKU_USER) {
        return rv([&] { m().login(h, user, {}, false); });
    }
    CK_FLAGS token_flags(CK_SLOT_ID slot) {
        CK_TOKEN_INFO info{};
        m().get_token_info(slot, info);
        return info.flags;
    }
    CK_STATE state(CK_SESSION_HANDLE h) {
        CK_SESSION_INFO info{};
        m().get_session_info(h, info);
        return info.state;
    }
    std::vector<CK_OBJECT_HANDLE> find(CK_SESSION_HANDLE h, std::vector<CK_ATTRIBUTE> tmpl) {
        m().find_init(h, tmpl.empty() ? nullptr : tmpl.data(), tmpl.size());
        std::vector<CK_OBJECT_HANDLE> out(16);
        CK_ULONG n = 0;
        m().find(h, out.data(), out.size(), n);
        m().find_final(h);
        out.resize(n);
        return out;
    }
    // The one private key the session sees.
    CK_OBJECT_HANDLE private_key(CK_SESSION_HANDLE h) {
        CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
        const auto keys = find(h, {{CKA_CLASS, &cls, sizeof cls}});
        EXPECT_EQ(keys.size(), 1U);
        return keys.empty() ? CK_INVALID_HANDLE : keys.front();
    }
    CK_RV sign_init(CK_SESSION_HANDLE h) { return sign_init(h, private_key(h)); }
    CK_RV sign_init(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE key) {
        CK_MECHANISM mech{CKM_SHA256_RSA_PKCS, nullptr, 0};
        return rv([&] { m().sign_init(h, mech, key); });
    }
    // C_Sign of `data` with a buffer of `capacity` bytes (none: NULL).
    CK_RV sign(CK_SESSION_HANDLE h, std::optional<CK_ULONG> capacity, CK_ULONG& length,
               Bytes* out = nullptr) {
        static const Bytes data{'h', 'e', 'l', 'l', 'o'};
        Bytes buffer(capacity.value_or(0));
        length = capacity.value_or(0);
        const CK_RV r = rv(
            [&] { return m().sign(h, data, false, capacity ? buffer.data() : nullptr, length); });
        if (out != nullptr) {
            buffer.resize(r == CKR_OK && capacity ? length : 0);
            *out = buffer;
        }
        return r;
    }
    CK_RV sign_once(CK_SESSION_HANDLE h) {
        CK_ULONG length = 0;
        return sign(h, signature_bytes, length);
    }
    [[nodiscard]] std::vector<audit::Entry> audit_entries() const {
        return audit::Log(log_).read();
    }

    test::TempDir dir_;
    std::shared_ptr<Bench> bench_;
    std::shared_ptr<Person> person_;
    std::filesystem::path log_;
    std::unique_ptr<pkcs11::Module> module_;
};

}  // namespace mynacard::test_support
