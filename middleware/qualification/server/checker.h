#pragma once

// The two requests of the reference service, without HTTP: POST
// /v1/challenge hands out a single-use nonce, POST /v1/check verifies the
// card's signature over the challenge and answers with the XmlMsg
// (docs/qualification.md, "Reference service protocol").

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "qualification/xml_msg.h"
#include "qualification_server/answers.h"
#include "qualification_server/store.h"

namespace mynacard::qualification::server {

struct CheckerOptions {
    // How long a nonce may be used: a card check takes seconds (PIN entry).
    std::chrono::seconds nonce_lifetime{120};
    // How far the client's clock may be from ours.
    std::chrono::seconds clock_skew{300};
    // Outstanding nonces kept at most (memory bound against a flood).
    std::size_t max_nonces = 65536;
    // The service's clock (tests move it).
    std::function<TimePoint()> clock = [] { return std::chrono::system_clock::now(); };
};

struct Reply {
    int status = 200;
    std::string content_type;
    std::string body;
    // For the log (decision 11): operation, result, ErrorCode, certificate
    // tag — never a name, a number or a nonce.
    std::string log;
};

// Builds the XML reply of a refusal (content type and body).
[[nodiscard]] Reply refusal_reply(Refusal refusal, const std::string& operation,
                                  const std::string& institution_code, TimePoint now);

class Checker {
  public:
    Checker(const std::filesystem::path& state_dir, CheckerOptions options = {});

    [[nodiscard]] Reply challenge(std::string_view body);
    [[nodiscard]] Reply check(std::string_view body);

    // Called with every card-check answer that identified the card
    // (terminal mode drops it in `face`).
    void on_card_answer(std::function<void(const XmlMsg&)> sink) { sink_ = std::move(sink); }

    [[nodiscard]] Store& store() noexcept { return store_; }

  private:
    enum class NonceState { fresh, unknown, expired, used };
    NonceState consume(const std::string& nonce, TimePoint now);
    std::string issue(TimePoint now, TimePoint& expires);

    std::filesystem::path anchors_;
    CheckerOptions options_;
    Store store_;
    std::function<void(const XmlMsg&)> sink_;
    std::mutex nonce_mutex_;
    struct Nonce {
        TimePoint expires;
        bool used = false;
    };
    std::map<std::string, Nonce> nonces_;
};

}  // namespace mynacard::qualification::server
