// The C shell of mynacard-pkcs11.so (style anchors: SoftHSMv2's C entry
// points over a C++ core, Botan's single error guard at the C boundary).
// Every C_* function is one call of `guarded`, which holds the module lock,
// checks initialisation and the process (fork), runs the core and turns
// whatever it throws into a CK_RV (errors.cpp). No exception crosses the ABI.
#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <type_traits>

#include "audit/audit.h"
#include "pkcs11/errors.h"
#include "pkcs11/function_list.h"
#include "pkcs11/module.h"
#include "pkcs11/p11.h"
#include "pkcs11/prompts.h"
#include "session/pcsc_source.h"

using mynacard::ByteView;
using mynacard::pkcs11::Module;
using mynacard::pkcs11::Rv;
using mynacard::pkcs11::to_ckr;

namespace {

// The application's mutex callbacks (CK_C_INITIALIZE_ARGS, PKCS#11 3.0
// §5.4 case 3), used when it supplies them without CKF_OS_LOCKING_OK.
struct AppMutex {
    CK_DESTROYMUTEX destroy = nullptr;
    CK_LOCKMUTEX lock = nullptr;
    CK_UNLOCKMUTEX unlock = nullptr;
    CK_VOID_PTR handle = nullptr;
};

void run_unlocked(const std::function<void()>& fn);

// Where card uses are logged (decision 11), read at C_Initialize. The log is
// best effort in the module: no path just means nothing is written.
std::filesystem::path audit_log() noexcept {
    try {
        return mynacard::audit::Log::default_path();
    } catch (...) {
        return {};
    }
}

// MYNACARD_PKCS11_TOKENS, read at C_Initialize: which tokens this process
// sees (Module::show_tokens). secure_getenv: a set-id program gets both.
std::string_view shown_tokens_setting() noexcept {
    const char* value = secure_getenv("MYNACARD_PKCS11_TOKENS");  // NOLINT(concurrency-mt-unsafe)
    return value == nullptr ? std::string_view() : std::string_view(value);
}

// All state of an initialised module; created by C_Initialize, destroyed
// by C_Finalize (decision 7).
struct Instance {
    Module module{mynacard::session::pcsc_source(), mynacard::pkcs11::helper_prompts(),
                  run_unlocked, audit_log()};
    AppMutex app;
};

// The only globals: trivially destructible (a plain pointer, a std::mutex
// with glibc's static initialiser, integers), so nothing runs at unload.
std::mutex g_mutex;
Instance* g_instance = nullptr;
pid_t g_pid = 0;
unsigned long g_generation = 0;  // changes at every C_Initialize/C_Finalize
// Calls that left the module lock while still inside the module: a dialog
// the person answers (run_unlocked) or a blocking C_WaitForSlotEvent.
// C_Finalize waits until there are none before it destroys the instance.
int g_outside = 0;
bool g_finalizing = false;  // C_Finalize is waiting for g_outside to drop to 0
bool g_atfork = false;      // the fork handlers are registered (once per load)
static_assert(std::is_trivially_destructible_v<std::mutex>);

// CK_C_INITIALIZE_ARGS as OASIS defines it (§3.6). NSS's header adds a
// LibraryParameters field in place of pReserved and a pReserved after it,
// which callers of other modules do not allocate: read the OASIS layout.
struct OasisInitArgs {
    CK_CREATEMUTEX CreateMutex;
    CK_DESTROYMUTEX DestroyMutex;
    CK_LOCKMUTEX LockMutex;
    CK_UNLOCKMUTEX UnlockMutex;
    CK_FLAGS flags;
    CK_VOID_PTR pReserved;
};

class AppLock {
  public:
    explicit AppLock(const AppMutex& m) : m_(m) {
        if (m_.lock != nullptr) {
            const CK_RV rv = m_.lock(m_.handle);
            if (rv != CKR_OK) throw Rv(rv);
        }
    }
    ~AppLock() {
        if (m_.unlock != nullptr) (void)m_.unlock(m_.handle);
    }
    AppLock(const AppLock&) = delete;
    AppLock& operator=(const AppLock&) = delete;

  private:
    const AppMutex& m_;
};

[[nodiscard]] bool initialised() noexcept {
    return g_instance != nullptr && g_pid == getpid() && !g_finalizing;
}

// Runs fn with the module lock (and the application's mutex) released, from
// inside a guarded call: a PIN or consent dialog must not stop the
// application's other threads (C_GetSlotList, C_GetTokenInfo, ...). The
// instance stays alive meanwhile (g_outside); a C_Finalize that came in
// the meantime makes the call end with CKR_CRYPTOKI_NOT_INITIALIZED.
void run_unlocked(const std::function<void()>& fn) {
    const AppMutex app = g_instance->app;
    ++g_outside;
    if (app.unlock != nullptr) (void)app.unlock(app.handle);
    g_mutex.unlock();
    // Locks again in guarded's order (module, then application) however fn
    // ends; guarded's own scopes unlock both when the call returns.
    struct Relock {
        const AppMutex& app;
        ~Relock() {
            g_mutex.lock();
            --g_outside;
            if (app.lock != nullptr) (void)app.lock(app.handle);
        }
    };
    {
        const Relock relock{app};
        fn();
    }
    if (g_finalizing || g_pid != getpid()) throw Rv(CKR_CRYPTOKI_NOT_INITIALIZED);
}

// fork() while another thread holds the module lock would leave the child a
// lock nobody can release, and its C_Initialize would wait forever. The
// prepare handler takes the lock, so fork happens between calls; parent and
// child release it. (posix_spawn, which the module uses for its dialogs,
// runs no fork handlers.) glibc drops these handlers when the module is
// unloaded (dlclose).
void before_fork() noexcept {
    g_mutex.lock();
}
void after_fork() noexcept {
    g_mutex.unlock();
}

// The one guard. `fn(Module&)` returns CK_RV or nothing (= CKR_OK).
template <typename F>
[[nodiscard]] CK_RV guarded(F&& fn) noexcept {
    try {
        const std::lock_guard lock(g_mutex);
        // After fork() the child behaves as not initialised (§5.4: it must
        // call C_Initialize itself); the parent's state is not touched.
        if (!initialised()) return CKR_CRYPTOKI_NOT_INITIALIZED;
        const AppLock app(g_instance->app);
        if constexpr (std::is_void_v<decltype(fn(g_instance->module))>) {
            fn(g_instance->module);
            return CKR_OK;
        } else {
            return fn(g_instance->module);
        }
    } catch (...) {
        return to_ckr(std::current_exception());
    }
}

template <typename T>
T& need(T* p) {
    if (p == nullptr) throw Rv(CKR_ARGUMENTS_BAD);
    return *p;
}

[[nodiscard]] ByteView bytes(const CK_BYTE* p, CK_ULONG n) {
    if (p == nullptr && n != 0) throw Rv(CKR_ARGUMENTS_BAD);
    return p == nullptr ? ByteView{} : ByteView(p, n);
}

}  // namespace

extern "C" {

// ------------------------------------------------------ general (§5.4)

CK_RV C_Initialize(CK_VOID_PTR pInitArgs) {
    try {
        const std::lock_guard lock(g_mutex);
        if (initialised()) return CKR_CRYPTOKI_ALREADY_INITIALIZED;
        if (g_finalizing) return CKR_CRYPTOKI_NOT_INITIALIZED;  // still finalising
        // A child of fork(): the parent's instance belongs to the parent
        // (its PC/SC handles live in pcscd for the parent); leave it alone,
        // and with it the parent's threads that were outside the lock.
        g_instance = nullptr;
        g_outside = 0;
        if (!g_atfork) g_atfork = pthread_atfork(before_fork, after_fork, after_fork) == 0;
        AppMutex app;
        if (pInitArgs != nullptr) {
            OasisInitArgs a{};
            std::memcpy(&a, pInitArgs, sizeof a);
            if (a.pReserved != nullptr) return CKR_ARGUMENTS_BAD;
            const int given = (a.CreateMutex != nullptr) + (a.DestroyMutex != nullptr) +
                              (a.LockMutex != nullptr) + (a.UnlockMutex != nullptr);
            if (given != 0 && given != 4) return CKR_ARGUMENTS_BAD;
            // Case 3: callbacks only — use them (on top of the module mutex,
            // which is always there). Cases 1, 2, 4: OS locking (std::mutex).
            // CKF_LIBRARY_CANT_CREATE_OS_THREADS: the module creates none.
            if (given == 4 && (a.flags & CKF_OS_LOCKING_OK) == 0) {
                CK_VOID_PTR handle = nullptr;
                const CK_RV rv = a.CreateMutex(&handle);
                if (rv != CKR_OK) return rv;
                app = AppMutex{a.DestroyMutex, a.LockMutex, a.UnlockMutex, handle};
            }
        }
        // Read before anything is made: a value naming no token is refused
        // rather than guessed (docs/pkcs11.md, "One token only").
        const auto shown = mynacard::pkcs11::Module::parse_shown_tokens(shown_tokens_setting());
        if (!shown) return CKR_FUNCTION_FAILED;
        auto instance = std::make_unique<Instance>();  // no card I/O (decision 6)
        instance->module.show_tokens(*shown);
        instance->app = app;
        g_instance = instance.release();
        g_pid = getpid();
        ++g_generation;
        return CKR_OK;
    } catch (...) {
        return to_ckr(std::current_exception());
    }
}

CK_RV C_Finalize(CK_VOID_PTR pReserved) {
    try {
        std::unique_lock lock(g_mutex);
        if (pReserved != nullptr) return CKR_ARGUMENTS_BAD;
        if (!initialised()) return CKR_CRYPTOKI_NOT_INITIALIZED;
        // §5.4: a thread blocked in C_WaitForSlotEvent returns
        // CKR_CRYPTOKI_NOT_INITIALIZED. Wait until it has, and until any
        // dialog has been answered, so that no thread is still inside the
        // module when the application unloads it after C_Finalize.
        g_finalizing = true;
        ++g_generation;  // C_WaitForSlotEvent callers see it and return
        while (g_outside > 0) {
            lock.unlock();
            struct timespec pause {
                0, 10'000'000
            };
            nanosleep(&pause, nullptr);
            lock.lock();
        }
        g_finalizing = false;
        std::unique_ptr<Instance> instance(g_instance);
        g_instance = nullptr;
        const AppMutex app = instance->app;
        {
            const AppLock app_lock(app);
            instance.reset();  // card state, sessions and PINs go under both locks
        }
        if (app.destroy != nullptr) (void)app.destroy(app.handle);
        return CKR_OK;
    } catch (...) {
        return to_ckr(std::current_exception());
    }
}

CK_RV C_GetInfo(CK_INFO_PTR pInfo) {
    return guarded([&](Module& m) { m.get_info(need(pInfo)); });
}

// ------------------------------------------------ slots and tokens (§5.5)

CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount) {
    return guarded(
        [&](Module& m) { m.get_slot_list(tokenPresent != CK_FALSE, pSlotList, need(pulCount)); });
}

CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo) {
    return guarded([&](Module& m) { m.get_slot_info(slotID, need(pInfo)); });
}

CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo) {
    return guarded([&](Module& m) { m.get_token_info(slotID, need(pInfo)); });
}

CK_RV C_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList,
                         CK_ULONG_PTR pulCount) {
    return guarded(
        [&](Module& m) { m.get_mechanism_list(slotID, pMechanismList, need(pulCount)); });
}

CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo) {
    return guarded([&](Module& m) { m.get_mechanism_info(slotID, type, need(pInfo)); });
}

CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved) {
    unsigned long generation = 0;
    const auto poll = [&](bool first) {
        return guarded([&](Module& m) -> CK_RV {
            if (first) {
                if (pReserved != nullptr) throw Rv(CKR_ARGUMENTS_BAD);
                generation = g_generation;
            } else if (generation != g_generation) {
                return CKR_CRYPTOKI_NOT_INITIALIZED;
            }
            CK_SLOT_ID slot = 0;
            if (!m.poll_slot_event(slot)) return CKR_NO_EVENT;
            need(pSlot) = slot;
            return CKR_OK;
        });
    };
    CK_RV rv = poll(true);
    if (rv != CKR_NO_EVENT || (flags & CKF_DONT_BLOCK) != 0) return rv;
    // Blocking: wait on this thread's own PC/SC context (decision 8) without
    // the module lock, and look again; C_Finalize ends the wait within one
    // round (500 ms) with CKR_CRYPTOKI_NOT_INITIALIZED, and returns only
    // after this call has left (g_outside).
    {
        const std::lock_guard lock(g_mutex);
        if (!initialised() || generation != g_generation) return CKR_CRYPTOKI_NOT_INITIALIZED;
        ++g_outside;
    }
    struct Leave {
        ~Leave() {
            const std::lock_guard lock(g_mutex);
            --g_outside;
        }
    } const leave;
    // A card source of its own: one PC/SC context per thread.
    const auto source = mynacard::session::pcsc_source();
    for (;;) {
        try {
            (void)source->wait_for_change(std::chrono::milliseconds(500));
        } catch (...) {
            source->restart();  // pcscd gone: a new context next round
            struct timespec pause {
                0, 500'000'000
            };
            nanosleep(&pause, nullptr);
        }
        rv = poll(false);
        if (rv != CKR_NO_EVENT) return rv;
    }
}

// ------------------------------------------------------- sessions (§5.6)

CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR /*pApplication*/,
                    CK_NOTIFY /*Notify*/, CK_SESSION_HANDLE_PTR phSession) {
    return guarded([&](Module& m) {
        CK_SESSION_HANDLE& out = need(phSession);
        out = m.open_session(slotID, flags);
    });
}

CK_RV C_CloseSession(CK_SESSION_HANDLE hSession) {
    return guarded([&](Module& m) { m.close_session(hSession); });
}

CK_RV C_CloseAllSessions(CK_SLOT_ID slotID) {
    return guarded([&](Module& m) { m.close_all_sessions(slotID); });
}

CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo) {
    return guarded([&](Module& m) {
        m.check_session(hSession);
        m.get_session_info(hSession, need(pInfo));
    });
}

CK_RV C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags) {
    return guarded([&](Module& m) { m.session_cancel(hSession, flags); });
}

// A NULL pPin on a token with CKF_PROTECTED_AUTHENTICATION_PATH runs the
// PIN helper's dialog (docs/pin-helper.md) with the module lock released, so
// other threads' calls go on; the tries left are read again inside the
// VERIFY's own transaction (decision 5).
CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
              CK_ULONG ulPinLen) {
    return guarded([&](Module& m) {
        m.login(hSession, userType, bytes(pPin, pPin == nullptr ? 0 : ulPinLen), pPin != nullptr);
    });
}

CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,
               CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen) {
    return guarded([&](Module& m) {
        m.check_session(hSession);
        // NULL PINs: entered on the protected authentication path (the
        // module decides whether it has one).
        const auto pin = [](CK_UTF8CHAR_PTR p, CK_ULONG n) -> std::optional<ByteView> {
            if (p == nullptr) return std::nullopt;
            return bytes(p, n);
        };
        m.set_pin(hSession, pin(pOldPin, ulOldLen), pin(pNewPin, ulNewLen));
    });
}

CK_RV C_Logout(CK_SESSION_HANDLE hSession) {
    return guarded([&](Module& m) { m.logout(hSession); });
}

// -------------------------------------------------------- objects (§5.7)

CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize) {
    return guarded([&](Module& m) {
        m.check_session(hSession);
        m.get_object_size(hSession, hObject, need(pulSize));
    });
}

CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                          CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount) {
    return guarded(
        [&](Module& m) { return m.get_attribute_value(hSession, hObject, pTemplate, ulCount); });
}

CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount) {
    return guarded([&](Module& m) { m.find_init(hSession, pTemplate, ulCount); });
}

CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject,
                    CK_ULONG ulMaxObjectCount, CK_ULONG_PTR pulObjectCount) {
    return guarded([&](Module& m) {
        m.check_session(hSession);
        m.find(hSession, phObject, ulMaxObjectCount, need(pulObjectCount));
    });
}

CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession) {
    return guarded([&](Module& m) { m.find_final(hSession); });
}

// ------------------------------------------------------ signing (§5.11)

CK_RV C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey) {
    return guarded([&](Module& m) {
        m.check_session(hSession);
        m.sign_init(hSession, need(pMechanism), hKey);
    });
}

CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
             CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen) {
    return guarded([&](Module& m) {
        m.check_session(hSession);
        return m.sign(hSession, bytes(pData, ulDataLen), false, pSignature, need(pulSignatureLen));
    });
}

CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) {
    return guarded([&](Module& m) { m.sign_update(hSession, bytes(pPart, ulPartLen)); });
}

CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                  CK_ULONG_PTR pulSignatureLen) {
    return guarded([&](Module& m) {
        m.check_session(hSession);
        return m.sign(hSession, {}, true, pSignature, need(pulSignatureLen));
    });
}

// ------------------------------------------ random numbers (§5.15), misc

CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR /*RandomData*/,
                       CK_ULONG /*ulRandomLen*/) {
    // Honest: the module offers no random numbers (the card's GET CHALLENGE
    // is not a documented RNG for applications).
    return guarded([&](Module& m) -> CK_RV {
        m.check_session(hSession);
        return CKR_RANDOM_NO_RNG;
    });
}

CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR /*pSeed*/, CK_ULONG /*ulSeedLen*/) {
    return guarded([&](Module& m) -> CK_RV {
        m.check_session(hSession);
        return CKR_RANDOM_NO_RNG;  // §5.15: no RNG, so nothing to seed either
    });
}

CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE hSession) {
    return guarded([&](Module& m) -> CK_RV {
        m.check_session(hSession);
        return CKR_FUNCTION_NOT_PARALLEL;  // legacy (§5.16)
    });
}

CK_RV C_CancelFunction(CK_SESSION_HANDLE hSession) {
    return guarded([&](Module& m) -> CK_RV {
        m.check_session(hSession);
        return CKR_FUNCTION_NOT_PARALLEL;
    });
}

}  // extern "C"

CK_RV mynacard::pkcs11::unsupported_call() noexcept {
    return guarded([](Module&) -> CK_RV { return CKR_FUNCTION_NOT_SUPPORTED; });
}
