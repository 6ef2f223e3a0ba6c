// Decision 5 in mynacard-pkcs11.so, black-box through pcscd (fixture:
// pkcs11_fixture.h): the module never spends a PIN try on its own, the last
// try needs a person, the same card or nothing, no verified state outlives
// an operation, and the module's lock and lifetime rules around dialogs,
// C_WaitForSlotEvent, C_Finalize and fork().
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <sstream>

#include "pkcs11_fixture.h"
#include "support/temp_dir.h"

using namespace p11_test;
namespace fs = std::filesystem;

namespace {

// A stand-in for `mynacard-helper pin` (docs/pin-helper.md): records each
// call's arguments, then answers as $FAKE_MODE says.
//   pin:      writes $FAKE_PIN to the PIN fd
//   confirm:  writes "confirmed" (the last-try confirmation dialog)
//   wait:     touches "started", waits up to 10 s for "go", then writes
//             $FAKE_PIN; records "go" or "timeout"
//   spend:    first call: another program spends one try (wrong VERIFY)
//             while the "dialog" is open, then answers $FAKE_PIN
constexpr const char* fake_helper = R"(#!/bin/bash
n=$(($(cat "$FAKE_DIR/calls" 2>/dev/null || echo 0) + 1))
echo $n >"$FAKE_DIR/calls"
printf '%s\n' "$@" >"$FAKE_DIR/args.$n"
fd=""
prev=""
for a in "$@"; do [[ $prev == --pin-fd ]] && fd=$a; prev=$a; done
[[ -n $fd ]] || exit 2
answer() { printf '%s\n' "$1" >&"$fd"; exit 0; }
entry_confirm=0
[[ " $* " == *" --entry confirm "* ]] && entry_confirm=1
case $FAKE_MODE in
  pin) answer "$FAKE_PIN" ;;
  confirm) ((entry_confirm)) && answer confirmed; answer "$FAKE_PIN" ;;
  refuse) exit 10 ;;
  wait)
    touch "$FAKE_DIR/started"
    for _ in $(seq 100); do
      if [[ -e $FAKE_DIR/go ]]; then echo go >"$FAKE_DIR/result"; answer "$FAKE_PIN"; fi
      sleep 0.1
    done
    echo timeout >"$FAKE_DIR/result"; exit 10 ;;
  spend)
    if ((n == 1)); then "$PKCS11_RAW_SIGN" 0 --verify 9999 >"$FAKE_DIR/spent" 2>&1; fi
    answer "$FAKE_PIN" ;;
esac
exit 99
)";

class PinSafety : public Pkcs11 {
  protected:
    void SetUp() override {
        Pkcs11::SetUp();
        // Not a name built from the pid: another user could plant a helper
        // script there before the module runs it.
        scratch_.emplace("p11-pin-safety");
        dir_ = scratch_->path();
    }
    void TearDown() override {
        Pkcs11::TearDown();
        scratch_.reset();
    }
    // The PIN helper as the module finds it: $MYNACARD_HELPER and a display
    // (read at C_Initialize).
    void use_helper(const std::string& mode, const std::string& pin = auth_pin) {
        const fs::path script = dir_ / "helper";
        std::ofstream(script) << fake_helper;
        fs::permissions(script, fs::perms::owner_all);
        setenv("MYNACARD_HELPER", script.c_str(), 1);
        setenv("DISPLAY", ":97", 1);
        setenv("FAKE_DIR", dir_.c_str(), 1);
        setenv("FAKE_MODE", mode.c_str(), 1);
        setenv("FAKE_PIN", pin.c_str(), 1);
    }
    [[nodiscard]] int helper_calls() const {
        std::ifstream in(dir_ / "calls");
        int n = 0;
        in >> n;
        return n;
    }
    [[nodiscard]] std::string file(const std::string& name) const {
        std::ifstream in(dir_ / name);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }
    static CK_RV login_null(CK_SESSION_HANDLE h, CK_USER_TYPE user = CKU_USER) {
        return f_->C_Login(h, user, nullptr, 0);
    }
    static CK_STATE state(CK_SESSION_HANDLE h) {
        CK_SESSION_INFO si{};
        EXPECT_EQ(f_->C_GetSessionInfo(h, &si), CKR_OK);
        return si.state;
    }
    static CK_RV sign_once(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE key) {
        CK_MECHANISM m{CKM_SHA256_RSA_PKCS, nullptr, 0};
        const CK_RV init_rv = f_->C_SignInit(h, &m, key);
        if (init_rv != CKR_OK) return init_rv;
        Bytes data = to_bytes("a document");
        Bytes sig(256);
        CK_ULONG len = sig.size();
        return f_->C_Sign(h, data.data(), data.size(), sig.data(), &len);
    }
    static int shell(const std::string& cmd) { return std::system(cmd.c_str()); }
    static std::string raw_sign() { return std::getenv("PKCS11_RAW_SIGN"); }
    // Another program spends one try of the authentication PIN.
    static void spend_a_try_elsewhere() {
        ASSERT_EQ(shell(raw_sign() + " 0 --verify 9999 >/dev/null"), 0);
    }

    std::optional<mynacard::test::TempDir> scratch_;
    fs::path dir_;
};

// The reproduction of the report: a login, the PIN changed by another
// program, then signatures with nobody typing a PIN. Before, the module
// replayed the stored PIN three times and blocked the card.
TEST_F(PinSafety, StoredPinChangedElsewhereCostsAtMostOneTryAndEndsTheLogin) {
    init();
    const auto h = open(auth_slot);
    const auto other = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto key = find(h, CKO_PRIVATE_KEY).at(0);
    ASSERT_EQ(sign_once(h, key), CKR_OK);

    const std::string cli = build_dir() + "/bin/mynacard";
    ASSERT_EQ(shell("printf '1234\\n5678\\n5678\\n' | " + cli +
                    " --pin-stdin pin change auth >/dev/null 2>&1"),
              0);
    ASSERT_EQ(tries("auth"), 3);

    EXPECT_EQ(sign_once(h, key), CKR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(tries("auth"), 2) << "exactly one try lost";
    EXPECT_EQ(state(h), CKS_RO_PUBLIC_SESSION);
    EXPECT_EQ(state(other), CKS_RO_PUBLIC_SESSION) << "every session of the token";
    EXPECT_EQ(sign_once(h, key), CKR_KEY_HANDLE_INVALID) << "the key left with the login";
    EXPECT_EQ(sign_once(other, key), CKR_KEY_HANDLE_INVALID);
    EXPECT_EQ(tries("auth"), 2) << "nothing more spent";
    EXPECT_EQ(f_->C_Logout(h), CKR_USER_NOT_LOGGED_IN);
    // The application asks the person again: the new PIN works.
    ASSERT_EQ(login(h, "5678"), CKR_OK);
    EXPECT_EQ(sign_once(h, find(h, CKO_PRIVATE_KEY).at(0)), CKR_OK);
    EXPECT_EQ(tries("auth"), 3);
}

// A try spent elsewhere (a wrong PIN in another program) stops the stored
// PIN before it reaches the card: no try is lost at all.
TEST_F(PinSafety, StoredPinIsNotSentAfterATrySpentElsewhere) {
    init();
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto key = find(h, CKO_PRIVATE_KEY).at(0);
    spend_a_try_elsewhere();
    ASSERT_EQ(tries("auth"), 2);
    EXPECT_EQ(sign_once(h, key), CKR_USER_NOT_LOGGED_IN);
    EXPECT_EQ(tries("auth"), 2) << "the stored PIN was not sent";
    EXPECT_EQ(state(h), CKS_RO_PUBLIC_SESSION);
}

// A PIN blocked elsewhere: the signature is refused as a login would be
// (CKR_PIN_LOCKED), the login ends, and the flags say so at once.
TEST_F(PinSafety, PinBlockedElsewhereIsReportedByTheSignPathAsByLogin) {
    init();
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto key = find(h, CKO_PRIVATE_KEY).at(0);
    for (int i = 0; i < 3; ++i) spend_a_try_elsewhere();
    ASSERT_EQ(tries("auth"), 0);
    EXPECT_EQ(sign_once(h, key), CKR_PIN_LOCKED);
    EXPECT_EQ(state(h), CKS_RO_PUBLIC_SESSION);
    CK_TOKEN_INFO ti{};
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_TRUE(ti.flags & CKF_USER_PIN_LOCKED) << "blocked means 0 tries, at once";
}

// The token flags follow the card, also when another program spends tries.
TEST_F(PinSafety, TokenFlagsFollowTriesSpentElsewhere) {
    init();
    CK_TOKEN_INFO ti{};
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_FALSE(ti.flags & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY));
    spend_a_try_elsewhere();
    spend_a_try_elsewhere();
    // The module reads the counter again once its copy is two seconds old.
    std::this_thread::sleep_for(2100ms);
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_TRUE(ti.flags & CKF_USER_PIN_FINAL_TRY);
    EXPECT_TRUE(ti.flags & CKF_USER_PIN_COUNT_LOW);
    spend_a_try_elsewhere();
    std::this_thread::sleep_for(2100ms);
    ASSERT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_TRUE(ti.flags & CKF_USER_PIN_LOCKED);
}

// An application's PIN on the last try: refused without a VERIFY unless a
// person confirms it in the helper's dialog.
TEST_F(PinSafety, ApplicationPinOnTheLastTryNeedsAPerson) {
    spend_a_try_elsewhere();
    spend_a_try_elsewhere();
    use_helper("refuse");
    init();
    const auto h = open(auth_slot);
    EXPECT_EQ(login(h, auth_pin), CKR_FUNCTION_REJECTED);
    EXPECT_EQ(tries("auth"), 1) << "no VERIFY was sent";
    EXPECT_EQ(helper_calls(), 1);
    EXPECT_NE(file("args.1").find("--entry\nconfirm\n"), std::string::npos) << file("args.1");
    EXPECT_NE(file("args.1").find("--reader\n"), std::string::npos) << file("args.1");
    EXPECT_EQ(f_->C_Finalize(nullptr), CKR_OK);

    use_helper("confirm");
    init();
    const auto h2 = open(auth_slot);
    EXPECT_EQ(login(h2, auth_pin), CKR_OK) << "a person confirmed the last try";
    EXPECT_EQ(tries("auth"), 3);
}

// The tries the dialog showed are read again inside the VERIFY transaction:
// when they dropped to one while it was open, the person is asked again
// (now with the last-try confirmation) and the first answer is not sent.
TEST_F(PinSafety, TriesThatDropWhileTheDialogIsOpenAskAgain) {
    spend_a_try_elsewhere();
    use_helper("spend");
    setenv("PKCS11_RAW_SIGN", raw_sign().c_str(), 1);
    init();
    const auto h = open(auth_slot);
    ASSERT_EQ(login_null(h), CKR_OK);
    EXPECT_EQ(helper_calls(), 2);
    EXPECT_NE(file("args.1").find("--tries-left\n2\n"), std::string::npos) << file("args.1");
    EXPECT_NE(file("args.2").find("--tries-left\n1\n"), std::string::npos) << file("args.2");
    EXPECT_NE(file("spent").find("verify 63C1"), std::string::npos) << file("spent");
    EXPECT_EQ(tries("auth"), 3);
}

// The PIN dialog does not hold the module lock: other threads' calls are
// answered while it is open.
TEST_F(PinSafety, OtherThreadsAreAnsweredWhileTheDialogIsOpen) {
    use_helper("wait");
    init();
    const auto h = open(auth_slot);
    const auto viewer = open(auth_slot);
    std::atomic<CK_RV> login_rv{CKR_GENERAL_ERROR};
    std::thread dialog([&] { login_rv = login_null(h); });
    for (int i = 0; i < 100 && !fs::exists(dir_ / "started"); ++i)
        std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(fs::exists(dir_ / "started"));
    CK_ULONG n = 0;
    EXPECT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
    CK_TOKEN_INFO ti{};
    EXPECT_EQ(f_->C_GetTokenInfo(auth_slot, &ti), CKR_OK);
    EXPECT_EQ(find(viewer, CKO_CERTIFICATE).size(), 2u);
    std::ofstream(dir_ / "go") << "go";
    dialog.join();
    EXPECT_EQ(file("result"), "go\n") << "the calls above waited for the dialog";
    EXPECT_EQ(login_rv.load(), CKR_OK);
}

// Same card, or nothing: a card exchanged behind pcscd's back and then
// reset by another program ends the login; no PIN reaches the other card.
TEST_F(PinSafety, ResetWithAnotherCardEndsTheLogin) {
    init();
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto key = find(h, CKO_PRIVATE_KEY).at(0);
    sim("insert --reader 0 --fresh --swap " + profile("contactless"));
    ASSERT_EQ(shell(build_dir() + "/bin/pcsc_probe reset 0 >/dev/null"), 0);
    sim("trace --clear");
    const CK_RV rv = sign_once(h, key);
    EXPECT_TRUE(rv == CKR_DEVICE_REMOVED || rv == CKR_SESSION_HANDLE_INVALID) << rv;
    const auto trace = run("trace --reader 0");
    EXPECT_EQ(trace.find("\"redacted\":true"), std::string::npos)
        << "a PIN reached the other card: " << trace;
    CK_SESSION_INFO si{};
    EXPECT_EQ(f_->C_GetSessionInfo(h, &si), CKR_SESSION_HANDLE_INVALID);
}

// A closing re-select that fails ends the transaction with a card reset:
// another program finds no verified state to sign with.
TEST_F(PinSafety, FailedReselectResetsTheCard) {
    init();
    const auto h = open(auth_slot);
    ASSERT_EQ(login(h, auth_pin), CKR_OK);
    const auto key = find(h, CKO_PRIVATE_KEY).at(0);
    // C_Sign: SELECT AP, SELECT EF 0018, (empty) VERIFY, VERIFY, SELECT EF
    // 0017, SIGN, SELECT AP: the fourth SELECT is lost.
    sim("fault --reader 0 sw 6F00 --ins A4 --after 3 --times 1");
    EXPECT_EQ(sign_once(h, key), CKR_OK);
    sim("fault --reader 0 clear");
    const auto out = run_cmd(raw_sign() + " 0");
    EXPECT_EQ(out.find("sign 9000"), std::string::npos)
        << "another program signed on the module's PIN: " << out;
}

// C_Finalize returns only after a blocked C_WaitForSlotEvent has returned.
TEST_F(PinSafety, FinalizeWaitsForABlockedWait) {
    init();
    CK_SLOT_ID slot = 0;
    ASSERT_EQ(f_->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, nullptr), CKR_NO_EVENT);
    std::atomic<bool> returned{false};
    std::atomic<CK_RV> rv{CKR_OK};
    std::thread waiter([&] {
        rv = f_->C_WaitForSlotEvent(0, &slot, nullptr);
        returned = true;
    });
    std::this_thread::sleep_for(300ms);
    ASSERT_FALSE(returned.load());
    ASSERT_EQ(f_->C_Finalize(nullptr), CKR_OK);
    // The waiter may still be on its way out of the call (a few
    // instructions), never half a second behind.
    for (int i = 0; i < 50 && !returned.load(); ++i) std::this_thread::sleep_for(1ms);
    EXPECT_TRUE(returned.load()) << "C_Finalize returned while C_WaitForSlotEvent still waited";
    waiter.join();
    EXPECT_EQ(rv.load(), CKR_CRYPTOKI_NOT_INITIALIZED);
}

// fork() while another thread is inside the module: the child's
// C_Initialize works (it would wait forever on a copied, held lock).
TEST_F(PinSafety, ChildInitialisesAfterForkDuringACall) {
    init();
    sim("latency --reader 0 --per-apdu-ms 150");
    std::atomic<bool> busy{true};
    std::thread caller([&] {
        CK_TOKEN_INFO ti{};
        (void)f_->C_GetTokenInfo(auth_slot, &ti);  // reads the certificate: slow
        busy = false;
    });
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(busy.load()) << "the call ended before fork: the test proves nothing";
    const pid_t child = fork();
    if (child == 0) {
        alarm(20);
        const CK_RV init_rv = f_->C_Initialize(nullptr);
        const CK_RV fin_rv = f_->C_Finalize(nullptr);
        _exit(init_rv == CKR_OK && fin_rv == CKR_OK ? 0 : 1);
    }
    ASSERT_GT(child, 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    caller.join();
    sim("latency --reader 0 --clear");
    EXPECT_TRUE(WIFEXITED(status)) << "the child hung (killed by its alarm)";
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
