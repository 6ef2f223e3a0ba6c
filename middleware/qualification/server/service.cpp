// The HTTPS front of the reference service (service.h).
#include "qualification_server/service.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <iostream>
#include <map>
#include <mutex>

#include "core/error.h"
#include "qualification/reference_protocol.h"
#include "qualification_server/store.h"
#include "qualification_server/terminal.h"

namespace mynacard::qualification::server {

namespace {

using Steady = std::chrono::steady_clock;

// A token bucket per client address; addresses idle for a minute are
// forgotten, so the table stays as small as the set of recent clients.
class RateLimiter {
  public:
    RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
    bool allow(const std::string& address) {
        if (rate_ <= 0) return true;
        const auto now = Steady::now();
        const std::lock_guard lock(mutex_);
        if (now - last_sweep_ > std::chrono::minutes(1)) {
            std::erase_if(buckets_, [&](const auto& b) {
                return now - b.second.last > std::chrono::minutes(1);
            });
            last_sweep_ = now;
        }
        auto [it, added] = buckets_.try_emplace(address, Bucket{burst_, now});
        Bucket& b = it->second;
        if (!added) {
            const std::chrono::duration<double> dt = now - b.last;
            b.tokens = std::min(burst_, b.tokens + dt.count() * rate_);
            b.last = now;
        }
        if (b.tokens < 1) return false;
        b.tokens -= 1;
        return true;
    }

  private:
    struct Bucket {
        double tokens;
        Steady::time_point last;
    };
    double rate_, burst_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
    Steady::time_point last_sweep_ = Steady::now();
};

// A fixed number of workers; the idle hook runs on the listening thread
// when no connection arrived for the idle interval.
class Pool final : public httplib::ThreadPool {
  public:
    Pool(std::size_t threads, std::function<void()> idle)
        : httplib::ThreadPool(threads), idle_(std::move(idle)) {}
    void on_idle() override { idle_(); }

  private:
    std::function<void()> idle_;
};

}  // namespace

struct Service::Impl {
    ServiceOptions options;
    Checker checker;
    httplib::SSLServer server;
    RateLimiter limiter;
    std::unique_ptr<TerminalResponder> terminal;
    std::mutex log_mutex;
    // stop() may come before run() has started listening (a signal at
    // start-up), when httplib's stop() does nothing: the listening loop's
    // idle hook looks at this flag.
    std::atomic<bool> stop_requested{false};

    explicit Impl(ServiceOptions o)
        : options(std::move(o)),
          checker(options.state_dir, options.checker),
          server(Store::cert_path(options.state_dir).c_str(),
                 Store::key_path(options.state_dir).c_str()),
          limiter(options.rate_per_second, options.burst) {}

    void log(std::string_view line) {
        if (options.log) {
            options.log(line);
            return;
        }
        const std::lock_guard lock(log_mutex);
        std::cerr << "mynacard-qualification-server: " << line << '\n';
    }

    void answer(httplib::Response& res, const Reply& reply) {
        res.status = reply.status;
        res.set_content(reply.body, reply.content_type.c_str());
        log(reply.log + " http=" + std::to_string(reply.status));
    }

    void routes() {
        if (!server.is_valid())
            throw Error(Errc::io,
                        "cannot load the TLS key and certificate of " + options.state_dir.string());
        // TLS 1.2 is the oldest version without known protocol weaknesses
        // that every current client speaks.
        SSL_CTX_set_min_proto_version(server.ssl_context(), TLS1_2_VERSION);
        const std::size_t threads = std::max<std::size_t>(1, options.threads);
        // cpp-httplib takes ownership of the queue it is handed.
        server.new_task_queue = [this, threads] {
            return new Pool(threads, [this] {
                if (stop_requested) server.stop();
            });
        };
        server.set_idle_interval(std::chrono::milliseconds(100));
        server.set_payload_max_length(options.max_body);
        // Answers are small writes after small reads: without TCP_NODELAY
        // Nagle's algorithm and delayed ACKs add ~40 ms per round trip.
        server.set_tcp_nodelay(true);
        server.set_read_timeout(std::chrono::seconds(5));
        server.set_write_timeout(std::chrono::seconds(5));
        server.set_keep_alive_max_count(16);
        server.set_keep_alive_timeout(5);

        server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            if (limiter.allow(req.remote_addr)) return httplib::Server::HandlerResponse::Unhandled;
            answer(res,
                   refusal_reply(Refusal::rate_limited, "request", {}, options.checker.clock()));
            return httplib::Server::HandlerResponse::Handled;
        });
        server.Post(std::string(protocol::kChallengePath), [this](const httplib::Request& req,
                                                                  httplib::Response& res) {
            answer(res, guarded("challenge", [&] { return checker.challenge(req.body); }));
        });
        server.Post(std::string(protocol::kCheckPath),
                    [this](const httplib::Request& req, httplib::Response& res) {
                        answer(res, guarded("check", [&] { return checker.check(req.body); }));
                    });
        // Errors httplib finds itself (413 body too large, 404, 400) get an
        // XmlMsg with their ErrorCode as well.
        server.set_error_handler(httplib::Server::HandlerWithResponse(
            [this](const httplib::Request&, httplib::Response& res) {
                if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
                const Refusal r = res.status == 413   ? Refusal::request_too_large
                                  : res.status == 404 ? Refusal::not_found
                                  : res.status == 429 ? Refusal::rate_limited
                                  : res.status >= 500 ? Refusal::internal
                                                      : Refusal::malformed_request;
                const int status = res.status;
                answer(res, refusal_reply(r, "request", {}, options.checker.clock()));
                res.status = status;
                return httplib::Server::HandlerResponse::Handled;
            }));
    }

    template <typename F>
    Reply guarded(const std::string& op, F&& f) {
        try {
            return f();
        } catch (const std::exception&) {
            // The text may name a file; the log gets the code only.
            return refusal_reply(Refusal::internal, op, {}, options.checker.clock());
        }
    }
};

Service::Service(ServiceOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
    impl_->routes();
    if (impl_->options.terminal_dir) {
        impl_->terminal = std::make_unique<TerminalResponder>(
            *impl_->options.terminal_dir, impl_->checker.store(),
            [this](std::string_view line) { impl_->log(line); });
        impl_->checker.on_card_answer(
            [this](const XmlMsg& answer) { impl_->terminal->drop_face(answer); });
    }
}

Service::~Service() {
    stop();
}

int Service::bind() {
    auto& o = impl_->options;
    if (o.port == 0) {
        const int port = impl_->server.bind_to_any_port(o.host);
        if (port <= 0) throw Error(Errc::io, "cannot listen on " + o.host);
        o.port = port;
    } else if (!impl_->server.bind_to_port(o.host, o.port)) {
        throw Error(Errc::io, "cannot listen on " + o.host + ":" + std::to_string(o.port));
    }
    return o.port;
}

void Service::run() {
    if (impl_->terminal) impl_->terminal->start();
    impl_->log("op=serve result=listening port=" + std::to_string(impl_->options.port));
    // Returns after stop(), the worker pool drained (in-flight requests
    // answered). A stop() that came first is seen by the idle hook.
    impl_->server.listen_after_bind();
    if (impl_->terminal) impl_->terminal->stop();
    impl_->log("op=serve result=stopped");
}

void Service::stop() {
    impl_->stop_requested = true;
    if (impl_->server.is_running()) impl_->server.stop();
    if (impl_->terminal) impl_->terminal->stop();
}

Checker& Service::checker() {
    return impl_->checker;
}

}  // namespace mynacard::qualification::server
