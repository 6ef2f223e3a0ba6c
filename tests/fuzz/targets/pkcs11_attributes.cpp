// PKCS#11 attribute templates, as any program loading the module may pass
// them: C_FindObjectsInit and C_GetAttributeValue on the core
// (pkcs11::Module) over a software card (tests/support SoftcardSource), as
// tests/unit/pkcs11 drives it, without a person to ask. The input is a
// slot byte, then two templates (Parts): the search template, then the
// template read from every object found and from one handle of the
// input's choosing. Each attribute: 4 bytes type, 1 byte "has a buffer",
// then its value (search) or its buffer length (read, 2 bytes).
// Properties: the core answers with a CK_RV or an Error, never another
// exception; a length it writes back never exceeds the buffer it was given
// unless it says CK_UNAVAILABLE_INFORMATION or the call failed.

#include <filesystem>
#include <memory>
#include <vector>

#include "core/error.h"
#include "fuzz_target.h"
#include "pkcs11/errors.h"
#include "pkcs11/module.h"
#include "pkcs11/prompts.h"
#include "softcard/profile.h"
#include "support/softcard_source.h"

namespace ts = mynacard::test_support;
using mynacard::Bytes;
using mynacard::ByteView;
using mynacard::fuzz::require;

namespace {

// Nobody at the screen: no PIN, no consent (the templates need none).
class Nobody final : public mynacard::pkcs11::Prompts {
  public:
    bool available() override { return false; }
    mynacard::SecureBytes ask_pin(const mynacard::pinhelper::Request&) override {
        throw mynacard::Error(mynacard::Errc::cancelled, "nobody to ask");
    }
    bool confirm_last_try(const mynacard::pinhelper::Request&) override { return false; }
    mynacard::consent::Decision ask_consent(const std::string&, long,
                                            const mynacard::x509::Certificate&) override {
        return mynacard::consent::Decision::deny;
    }
};

struct Attribute {
    CK_ATTRIBUTE_TYPE type = 0;
    bool has_buffer = false;
    // Search: the value. Read: the buffer, one byte longer than `length`
    // so that a zero-length buffer is still a pointer, not NULL (a NULL
    // pValue asks for the length: a different call).
    Bytes value;
    std::size_t length = 0;
};

std::vector<Attribute> read_template(ByteView part, bool search) {
    mynacard::fuzz::Parts in(part);
    std::vector<Attribute> out;
    while (!in.empty() && out.size() < 16) {
        Attribute a;
        for (int i = 0; i < 4; ++i) a.type = (a.type << 8) | in.byte();
        a.has_buffer = (in.byte() & 1) != 0;
        if (search) {
            const auto v = in.next();
            a.value.assign(v.begin(), v.end());
            a.length = a.value.size();
        } else {
            a.length = ((std::size_t{in.byte()} << 8) | in.byte()) % 4096;
            a.value.assign(a.length + 1, 0xA5);
        }
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<CK_ATTRIBUTE> c_template(std::vector<Attribute>& attributes) {
    std::vector<CK_ATTRIBUTE> out;
    for (auto& a : attributes)
        out.push_back({a.type, a.has_buffer && !a.value.empty() ? a.value.data() : nullptr,
                       static_cast<CK_ULONG>(a.length)});
    return out;
}

template <typename F>
CK_RV rv(F&& fn) {
    try {
        if constexpr (std::is_void_v<decltype(fn())>) {
            fn();
            return CKR_OK;
        } else {
            return fn();
        }
    } catch (...) {
        return mynacard::pkcs11::to_ckr(std::current_exception());
    }
}

class Bench {
  public:
    Bench() : bench_(std::make_shared<ts::Bench>()) {
        auto profile = mynacard::softcard::load_profile(
            std::filesystem::path(MYNACARD_TEST_PROFILES) / "default");
        bench_->add("R", std::make_shared<mynacard::softcard::Card>(std::move(profile)));
        module_ = std::make_unique<mynacard::pkcs11::Module>(
            std::make_unique<ts::SoftcardSource>(bench_), std::make_unique<Nobody>(),
            mynacard::pkcs11::Module::Unlocked{}, std::filesystem::path("/dev/null"));
        CK_ULONG n = 0;
        module_->get_slot_list(true, nullptr, n);
    }
    mynacard::pkcs11::Module& m() { return *module_; }

  private:
    std::shared_ptr<ts::Bench> bench_;
    std::unique_ptr<mynacard::pkcs11::Module> module_;
};

void read_attributes(mynacard::pkcs11::Module& m, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE object,
                     ByteView part) {
    auto attributes = read_template(part, false);
    auto tmpl = c_template(attributes);
    const CK_RV r = rv([&] {
        return m.get_attribute_value(h, object, tmpl.empty() ? nullptr : tmpl.data(),
                                     static_cast<CK_ULONG>(tmpl.size()));
    });
    if (r != CKR_OK && r != CKR_ATTRIBUTE_TYPE_INVALID && r != CKR_ATTRIBUTE_SENSITIVE &&
        r != CKR_BUFFER_TOO_SMALL)
        return;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i].ulValueLen == CK_UNAVAILABLE_INFORMATION) continue;
        if (tmpl[i].pValue != nullptr)
            require(tmpl[i].ulValueLen <= attributes[i].length,
                    "a length past the caller's buffer");
    }
    CK_ULONG object_size = 0;
    (void)rv([&] { m.get_object_size(h, object, object_size); });
}

}  // namespace

MYNACARD_FUZZ_TARGET(pkcs11_attributes) {
    static Bench bench;
    auto& m = bench.m();
    mynacard::fuzz::Parts parts(mynacard::fuzz::view(data, size));
    const CK_SLOT_ID slot = parts.byte() % 3;  // auth, sign, and one that is not there
    const auto search_part = parts.next();
    const auto read_part = parts.next();
    CK_OBJECT_HANDLE chosen = 0;
    for (int i = 0; i < 4; ++i) chosen = (chosen << 8) | parts.byte();

    CK_SESSION_HANDLE h = 0;
    if (rv([&] { h = m.open_session(slot, CKF_SERIAL_SESSION); }) != CKR_OK) return 0;
    auto search = read_template(search_part, true);
    auto tmpl = c_template(search);
    std::vector<CK_OBJECT_HANDLE> found(16);
    CK_ULONG count = 0;
    if (rv([&] {
            m.find_init(h, tmpl.empty() ? nullptr : tmpl.data(),
                        static_cast<CK_ULONG>(tmpl.size()));
        }) == CKR_OK) {
        (void)rv([&] { m.find(h, found.data(), static_cast<CK_ULONG>(found.size()), count); });
        require(count <= found.size(), "more objects than asked for");
        (void)rv([&] { m.find_final(h); });
    }
    found.resize(count);
    found.push_back(chosen);
    for (const auto object : found) read_attributes(m, h, object, read_part);
    (void)rv([&] { m.close_session(h); });
    return 0;
}
