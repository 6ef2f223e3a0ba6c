#pragma once

// A FrontDeskBackend that answers when the test says so, and sample
// answers: shared by the front desk's controller test and the screenshots.
#include <QtTest>

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "gui/frontdesk/front_desk_backend.h"

namespace front_desk_fake {

using namespace mynacard;
using namespace mynacard::gui;
namespace q = mynacard::qualification;

inline const std::string patient_name = "架空　花子";

// Answers the controller's requests when the test says so and counts them:
// "nothing was sent to the card" is a count of zero.
class FakeDeskBackend final : public FrontDeskBackend {
  public:
    bool check = true;
    bool terminal = true;
    int inspect_calls = 0;
    int check_calls = 0;
    int ask_calls = 0;
    std::string last_pin;
    card::PinOptions last_options;
    std::vector<q::ConsentItem> last_consents;
    q::XmlMsg last_request;
    std::function<void(Outcome<DeskCard>)> inspect_done;
    std::function<void(Outcome<q::Received>)> check_done;
    std::function<void(Outcome<q::Received>)> ask_done;
    std::vector<q::FaceResult> next_faces;
    bool export_fails = false;
    std::size_t queued = 0;
    std::vector<q::ExportItem> exported;
    std::vector<std::pair<audit::Operation, audit::Result>> records;

    [[nodiscard]] bool canCheckCards() const override { return check; }
    [[nodiscard]] bool hasTerminal() const override { return terminal; }
    void inspectCard(const QString&, QObject*,
                     std::function<void(Outcome<DeskCard>)> done) override {
        ++inspect_calls;
        inspect_done = std::move(done);
    }
    void checkCard(const QString&, std::shared_ptr<SecureBytes> pin, card::PinOptions options,
                   std::vector<q::ConsentItem> consents, QObject*,
                   std::function<void(Outcome<q::Received>)> done) override {
        ++check_calls;
        last_pin.assign(pin->begin(), pin->end());
        secure_zero(pin->data(), pin->size());  // as the real backend does
        last_options = options;
        last_consents = std::move(consents);
        check_done = std::move(done);
    }
    void ask(q::XmlMsg request, QObject*, std::function<void(Outcome<q::Received>)> done) override {
        ++ask_calls;
        last_request = std::move(request);
        ask_done = std::move(done);
    }
    void pollFaces(QObject*,
                   std::function<void(Outcome<std::vector<q::FaceResult>>)> done) override {
        auto faces = std::move(next_faces);
        next_faces.clear();
        done(std::move(faces));
    }
    q::ExportOutcome exportResult(const q::ExportItem& item) override {
        exported.push_back(item);
        q::ExportOutcome o;
        o.base_name = "20250301-093015_test" + std::to_string(exported.size());
        o.written = !export_fails;
        if (export_fails) {
            ++queued;
            o.error = "export folder missing";
        }
        return o;
    }
    std::size_t retryExports() override {
        if (export_fails) return 0;
        const std::size_t n = queued;
        queued = 0;
        return n;
    }
    [[nodiscard]] std::size_t pendingExports() const override { return queued; }
    void record(audit::Operation operation, audit::Result result) override {
        records.emplace_back(operation, result);
    }

    template <class T, class F>
    static void answer(F& slot, T value) {
        QVERIFY(slot);
        auto d = std::move(slot);
        slot = nullptr;
        d(std::move(value));
    }
};

inline q::XmlMsg answer(const std::string& validity, const std::string& error_code = {}) {
    q::XmlMsg m;
    m.header.segment_of_result = error_code.empty() ? "1" : "9";
    if (!error_code.empty()) {
        m.header.error_code = error_code;
        m.header.error_message = "error";
        return m;
    }
    m.header.arbitrary_file_identifier = "test";
    m.body.processing_result_status = "1";
    m.body.qualification_validity = validity;
    q::ResultOfQualificationConfirmation r;
    r.insurer_number = "06139990";
    r.insurer_name = "架空健康保険組合";
    r.insured_card_symbol = "12";
    r.insured_identification_number = "3456";
    r.insured_branch_number = "01";
    r.insured_card_classification = "01";
    r.name = patient_name;
    r.name_kana = "ｶｸｳ ﾊﾅｺ";
    r.birthdate = "19700101";
    r.sex1 = "2";
    r.insured_partial_contribution_ratio = "030";
    r.pharmacists_consent_flag = "1";
    r.pharmacists_consent_time = "20250301093000";
    m.body.result_list = std::vector<q::ResultOfQualificationConfirmation>{r};
    return m;
}

inline q::Received received(q::XmlMsg m) {
    return q::Received{std::move(m), Bytes{'<', 'x', '/', '>'}};
}

inline DeskCard good_card(int tries = 3, std::chrono::hours left = std::chrono::hours(24 * 365)) {
    DeskCard c;
    c.tries_left = tries;
    c.certificate_not_after = std::chrono::system_clock::now() + left;
    return c;
}

}  // namespace front_desk_fake
