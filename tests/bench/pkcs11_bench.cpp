// A PKCS#11 module's costs outside the card (a benchmark, not a test: it
// prints figures and asserts nothing about time). Any module, so that
// mynacard-pkcs11.so and OpenSC's opensc-pkcs11.so are measured the same way;
// scripts/lib/bench-flows runs it and docs/performance.md records the output.
//
//   pkcs11_bench load MODULE ROUNDS
//       dlopen + C_GetFunctionList + C_Initialize + C_GetSlotList +
//       C_Finalize + dlclose, ROUNDS times; the first round is the cold one.
//   pkcs11_bench sign MODULE LABEL INDEX COUNT START_MS
//       log in (PIN from $BENCH_PIN) to the INDEX-th token labelled LABEL,
//       wait until the wall clock reaches START_MS (ms since the epoch, so
//       that several processes start signing together), then COUNT x
//       (C_SignInit, C_Sign) with CKM_SHA256_RSA_PKCS. Under callgrind
//       (--collect-atstart=no) only the C_Sign calls are collected.
//   pkcs11_bench sign-threads MODULE LABEL THREADS COUNT
//       one process, THREADS threads, each signing COUNT times on its own
//       token (the first THREADS labelled LABEL), after all logged in.
//   pkcs11_bench wait MODULE SIM PROFILE ROUNDS
//       C_WaitForSlotEvent latency: a blocking wait on one thread, then
//       `SIM insert --reader 0 PROFILE` / `SIM remove --reader 0`; the time
//       from just before the command until the wait returns (the command's
//       own start, a few ms, is inside the figure).
// Output: one JSON object per line on stdout.
#include <dlfcn.h>
#include <pkcs11.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_TOGGLE_COLLECT
#endif

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what, CK_RV rv = CKR_OK) {
    std::fprintf(stderr, "pkcs11_bench: %s (CK_RV 0x%lx)\n", what.c_str(), rv);
    std::exit(1);
}

void check(CK_RV rv, const char* call) {
    if (rv != CKR_OK) fail(call, rv);
}

double us_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A loaded module; dlclose()d when it goes.
class Module {
  public:
    explicit Module(const std::string& path) : lib_(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
        if (lib_ == nullptr) fail(std::string("dlopen: ") + dlerror());
        auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(lib_, "C_GetFunctionList"));
        if (get == nullptr) fail("no C_GetFunctionList");
        check(get(&f_), "C_GetFunctionList");
    }
    ~Module() { dlclose(lib_); }
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    CK_FUNCTION_LIST* operator->() const { return f_; }

  private:
    void* lib_;
    CK_FUNCTION_LIST* f_ = nullptr;
};

int load(const std::string& path, int rounds) {
    // Per round: the whole, and its parts (dlopen with the libraries it
    // pulls in; C_Initialize + C_GetSlotList; C_Finalize; dlclose).
    std::vector<double> total, open, init, fin;
    double first = 0;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = Clock::now();
        double o = 0, in = 0, f = 0;
        {
            Module m(path);
            o = us_since(t0);
            const auto t1 = Clock::now();
            check(m->C_Initialize(nullptr), "C_Initialize");
            CK_ULONG n = 0;
            check(m->C_GetSlotList(CK_FALSE, nullptr, &n), "C_GetSlotList");
            in = us_since(t1);
            const auto t2 = Clock::now();
            check(m->C_Finalize(nullptr), "C_Finalize");
            f = us_since(t2);
        }
        const double us = us_since(t0);
        if (i == 0) {
            first = us;
            continue;
        }
        total.push_back(us);
        open.push_back(o);
        init.push_back(in);
        fin.push_back(f);
    }
    std::printf(
        "{\"rounds\":%d,\"first_us\":%.0f,\"median_us\":%.0f,\"dlopen_us\":%.0f,"
        "\"initialize_slots_us\":%.0f,\"finalize_us\":%.0f}\n",
        rounds, first, median(total), median(open), median(init), median(fin));
    return 0;
}

// The index-th slot (in C_GetSlotList order) whose token is labelled label.
CK_SLOT_ID find_slot(const Module& m, const std::string& label, int index) {
    CK_ULONG n = 0;
    check(m->C_GetSlotList(CK_TRUE, nullptr, &n), "C_GetSlotList");
    std::vector<CK_SLOT_ID> slots(n);
    check(m->C_GetSlotList(CK_TRUE, slots.data(), &n), "C_GetSlotList");
    slots.resize(n);
    for (const CK_SLOT_ID s : slots) {
        CK_TOKEN_INFO info{};
        if (m->C_GetTokenInfo(s, &info) != CKR_OK) continue;
        std::string l(reinterpret_cast<const char*>(info.label), sizeof info.label);
        l.erase(l.find_last_not_of(' ') + 1);
        if (l == label && index-- == 0) return s;
    }
    fail("no token labelled " + label);
}

// A session logged in to one token, its private key found.
struct Signer {
    CK_SESSION_HANDLE session = 0;
    CK_OBJECT_HANDLE key = 0;
    CK_BBOOL always_authenticate = CK_FALSE;
};

CK_UTF8CHAR_PTR bench_pin(CK_ULONG& len) {
    const char* pin = std::getenv("BENCH_PIN");
    if (pin == nullptr) fail("BENCH_PIN is not set");
    len = static_cast<CK_ULONG>(std::strlen(pin));
    return reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin));
}

Signer log_in(const Module& m, CK_SLOT_ID slot) {
    Signer g;
    check(m->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &g.session),
          "C_OpenSession");
    CK_ULONG pin_len = 0;
    CK_UTF8CHAR_PTR pin = bench_pin(pin_len);
    check(m->C_Login(g.session, CKU_USER, pin, pin_len), "C_Login");
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE find{CKA_CLASS, &cls, sizeof cls};
    check(m->C_FindObjectsInit(g.session, &find, 1), "C_FindObjectsInit");
    CK_ULONG found = 0;
    check(m->C_FindObjects(g.session, &g.key, 1, &found), "C_FindObjects");
    (void)m->C_FindObjectsFinal(g.session);
    if (found != 1) fail("no private key");
    CK_ATTRIBUTE aa{CKA_ALWAYS_AUTHENTICATE, &g.always_authenticate, sizeof g.always_authenticate};
    (void)m->C_GetAttributeValue(g.session, g.key, &aa, 1);
    return g;
}

// count x (C_SignInit, [context login,] C_Sign); seconds taken.
double sign_loop(const Module& m, const Signer& g, int count) {
    CK_ULONG pin_len = 0;
    CK_UTF8CHAR_PTR pin = bench_pin(pin_len);
    CK_BYTE data[32] = {1, 2, 3};
    CK_MECHANISM mech{CKM_SHA256_RSA_PKCS, nullptr, 0};
    const auto t0 = Clock::now();
    for (int i = 0; i < count; ++i) {
        check(m->C_SignInit(g.session, &mech, g.key), "C_SignInit");
        if (g.always_authenticate == CK_TRUE)
            check(m->C_Login(g.session, CKU_CONTEXT_SPECIFIC, pin, pin_len), "C_Login (context)");
        CK_BYTE sig[512];
        CK_ULONG sig_len = sizeof sig;
        CALLGRIND_TOGGLE_COLLECT;
        const CK_RV rv = m->C_Sign(g.session, data, sizeof data, sig, &sig_len);
        CALLGRIND_TOGGLE_COLLECT;
        check(rv, "C_Sign");
    }
    return us_since(t0) / 1e6;
}

long long epoch_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int sign(const std::string& path, const std::string& label, int index, int count,
         long long start_ms) {
    Module m(path);
    check(m->C_Initialize(nullptr), "C_Initialize");
    const Signer g = log_in(m, find_slot(m, label, index));
    if (const long long now = epoch_ms(); start_ms > now)
        std::this_thread::sleep_for(std::chrono::milliseconds(start_ms - now));
    const double seconds = sign_loop(m, g, count);
    const long long end_ms = epoch_ms();
    (void)m->C_Logout(g.session);
    (void)m->C_CloseSession(g.session);
    check(m->C_Finalize(nullptr), "C_Finalize");
    std::printf("{\"signatures\":%d,\"seconds\":%.3f,\"end_ms\":%lld}\n", count, seconds, end_ms);
    return 0;
}

// One process, one module, `threads` threads each signing on its own token
// (the first `threads` tokens labelled LABEL): what the module's own locking
// allows (its README: one module mutex around every call).
int sign_threads(const std::string& path, const std::string& label, int threads, int count) {
    Module m(path);
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    check(m->C_Initialize(&args), "C_Initialize");
    std::vector<Signer> signers;
    for (int i = 0; i < threads; ++i) signers.push_back(log_in(m, find_slot(m, label, i)));
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    for (const Signer& g : signers)
        pool.emplace_back([&m, &g, count] { (void)sign_loop(m, g, count); });
    for (auto& t : pool) t.join();
    const double seconds = us_since(t0) / 1e6;
    check(m->C_Finalize(nullptr), "C_Finalize");
    std::printf("{\"signatures\":%d,\"seconds\":%.3f}\n", threads * count, seconds);
    return 0;
}

// Runs argv (no shell); true when it exited 0.
bool run(const std::vector<std::string>& args) {
    const pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        std::freopen("/dev/null", "w", stdout);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// One event: a blocking C_WaitForSlotEvent on its own thread, then the
// command; milliseconds from just before the command to the wait's return.
double event_ms(const Module& m, const std::vector<std::string>& command) {
    std::atomic<bool> done{false};
    CK_RV rv = CKR_OK;
    std::thread waiter([&] {
        CK_SLOT_ID slot = 0;
        rv = m->C_WaitForSlotEvent(0, &slot, nullptr);
        done = true;
    });
    // Let the waiter block (and let an event already pending come out); a
    // random pause, so that the command falls anywhere in pcscd's 400 ms
    // presence poll rather than always at the same phase of it.
    static std::mt19937 random{std::random_device{}()};
    std::this_thread::sleep_for(
        std::chrono::milliseconds(600 + std::uniform_int_distribution<int>(0, 399)(random)));
    if (done) {
        waiter.join();
        if (rv != CKR_OK) fail("C_WaitForSlotEvent", rv);
        return event_ms(m, command);  // a pending event came out: wait again
    }
    const auto t0 = Clock::now();
    if (!run(command)) fail("command failed: " + command[0]);
    waiter.join();
    if (rv != CKR_OK) fail("C_WaitForSlotEvent", rv);
    return us_since(t0) / 1000;
}

int wait_events(const std::string& path, const std::string& sim, const std::string& profile,
                int rounds) {
    Module m(path);
    check(m->C_Initialize(nullptr), "C_Initialize");
    CK_ULONG n = 0;
    check(m->C_GetSlotList(CK_FALSE, nullptr, &n), "C_GetSlotList");
    // Probe: a module without a blocking wait says so at once.
    CK_SLOT_ID slot = 0;
    const CK_RV probe = m->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, nullptr);
    if (probe == CKR_FUNCTION_NOT_SUPPORTED) {
        std::printf("{\"supported\":false}\n");
        return 0;
    }
    (void)run({sim, "remove", "--reader", "0"});
    std::vector<double> insert, remove;
    for (int i = 0; i < rounds; ++i) {
        insert.push_back(event_ms(m, {sim, "insert", "--reader", "0", profile}));
        remove.push_back(event_ms(m, {sim, "remove", "--reader", "0"}));
    }
    check(m->C_Finalize(nullptr), "C_Finalize");
    std::printf(
        "{\"supported\":true,\"rounds\":%d,\"insert_median_ms\":%.0f,"
        "\"insert_max_ms\":%.0f,\"remove_median_ms\":%.0f,\"remove_max_ms\":%.0f}\n",
        rounds, median(insert), *std::max_element(insert.begin(), insert.end()), median(remove),
        *std::max_element(remove.begin(), remove.end()));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() == 3 && a[0] == "load") return load(a[1], std::stoi(a[2]));
    if (a.size() == 6 && a[0] == "sign")
        return sign(a[1], a[2], std::stoi(a[3]), std::stoi(a[4]), std::stoll(a[5]));
    if (a.size() == 5 && a[0] == "sign-threads")
        return sign_threads(a[1], a[2], std::stoi(a[3]), std::stoi(a[4]));
    if (a.size() == 5 && a[0] == "wait") return wait_events(a[1], a[2], a[3], std::stoi(a[4]));
    std::fprintf(
        stderr,
        "usage: pkcs11_bench load MODULE ROUNDS\n"
        "       pkcs11_bench sign MODULE LABEL INDEX COUNT START_MS  (PIN in $BENCH_PIN)\n"
        "       pkcs11_bench sign-threads MODULE LABEL THREADS COUNT  (PIN in $BENCH_PIN)\n"
        "       pkcs11_bench wait MODULE SIM PROFILE ROUNDS\n");
    return 2;
}
