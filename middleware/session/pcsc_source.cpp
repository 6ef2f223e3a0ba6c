#include "session/pcsc_source.h"

#include "pcsc/pcsc.h"

namespace mynacard::session {

namespace {

class PcscSource final : public CardSource {
  public:
    std::vector<ReaderStatus> readers() override {
        std::vector<ReaderStatus> out;
        for (const auto& s : context().states())
            out.push_back(ReaderStatus{s.name, s.present, s.mute, s.event_count, s.atr});
        return out;
    }
    std::unique_ptr<apdu::CardChannel> connect(const std::string& reader) override {
        return std::make_unique<pcsc::Connection>(context(), reader);
    }
    bool wait_for_change(std::chrono::milliseconds timeout) override {
        return context().wait_for_change(timeout);
    }
    void restart() noexcept override { context_.reset(); }

  private:
    pcsc::Context& context() {
        if (!context_) context_ = std::make_unique<pcsc::Context>();
        return *context_;
    }
    std::unique_ptr<pcsc::Context> context_;
};

}  // namespace

std::unique_ptr<CardSource> pcsc_source() {
    return std::make_unique<PcscSource>();
}

}  // namespace mynacard::session
