// Terminal mode (terminal.h).
#include "qualification_server/terminal.h"

#include <regex>

#include "core/error.h"
#include "qualification_server/answers.h"

namespace mynacard::qualification::server {

namespace fs = std::filesystem;

namespace {

// <prefix>req_<id>.xml for the two exchanges the terminal answers [A45][A40].
const std::regex& request_name() {
    static const std::regex re(R"(^(OQSsiquc01|OQSsiimm01)req_([A-Za-z0-9_-]{1,64})\.xml$)");
    return re;
}

std::string value(const Text& t) {
    return t.value_or("");
}

Encoding answer_encoding(const XmlMsg& request) {
    return request.character_code().value_or(Encoding::utf8);
}

}  // namespace

TerminalResponder::TerminalResponder(fs::path root, Store& store,
                                     std::function<void(std::string_view)> log,
                                     std::chrono::milliseconds poll,
                                     std::chrono::milliseconds stable_for)
    : root_(std::move(root)),
      store_(store),
      log_(std::move(log)),
      poll_(poll),
      settle_(stable_for) {
    std::error_code ec;
    for (const char* sub : {"req", "res", "face"}) {
        fs::create_directories(root_ / sub, ec);
        if (ec)
            throw Error(Errc::io, "cannot create " + (root_ / sub).string() + ": " + ec.message());
    }
}

TerminalResponder::~TerminalResponder() {
    stop();
}

void TerminalResponder::start() {
    const std::lock_guard lock(join_mutex_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { loop(); });
}

void TerminalResponder::stop() {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    // stop() comes from the serving thread and from the one that asked it
    // to stop: one of them joins.
    const std::lock_guard lock(join_mutex_);
    if (thread_.joinable()) thread_.join();
}

void TerminalResponder::loop() {
    while (!stop_) {
        try {
            scan();
        } catch (const std::exception&) {
            log_("op=terminal result=error code=MQS090");  // the folder went away; look again
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, poll_, [this] { return stop_.load(); });
    }
}

void TerminalResponder::scan() {
    std::error_code ec;
    const auto now = detail::Clock::now();
    for (const auto& entry : fs::directory_iterator(root_ / "req", ec)) {
        const std::string name = entry.path().filename().string();
        std::smatch m;
        if (!std::regex_match(name, m, request_name())) continue;  // temporaries, other files
        const auto state = detail::file_state(entry.path());
        if (!state || !settle_.settled(name, *state, now)) continue;
        handle(entry.path(), m[1].str(), m[2].str());
    }
}

void TerminalResponder::handle(const fs::path& file, const std::string& prefix,
                               const std::string& id) {
    const std::string name = file.filename().string();
    const auto now_steady = detail::Clock::now();
    const auto now = std::chrono::system_clock::now();
    const std::string res_name = prefix + "res_" + id + ".xml";
    XmlMsg answer;
    Encoding encoding = Encoding::utf8;
    std::string result;
    try {
        const auto bytes = detail::read_bounded(file, kMaxFileSize);
        if (!bytes) return;  // taken away meanwhile
        XmlMsg request;
        try {
            request = parse(*bytes);
        } catch (const Error&) {
            // Perhaps still being written with a pause longer than the settle
            // time: wait until it has not changed for kMalformedAfter.
            const auto state = detail::file_state(file);
            auto [it, added] =
                failing_.try_emplace(name, state.value_or(detail::FileState{}), now_steady);
            if (!added && state && !(it->second.first == *state)) it->second = {*state, now_steady};
            if (now_steady - it->second.second < kMalformedAfter) {
                settle_.forget(name);
                return;
            }
            throw;
        }
        encoding = answer_encoding(request);
        answer = prefix == "OQSsiimm01" ? answer_registration(request, id)
                                        : answer_qualification(request, id);
        result = answer.header.error_code
                     ? "refused code=" + *answer.header.error_code
                     : "answered validity=" + value(answer.body.qualification_validity);
    } catch (const Error&) {
        // Unreadable, too large or malformed: an error answer under the
        // file's identifier, so the waiting side learns at once.
        answer = refusal_message(Refusal::malformed_request, {}, now, id);
        answer.header.reference_classification = "2";
        result = "refused code=" + std::string(info(Refusal::malformed_request).code);
    }
    Bytes out;
    try {
        out = write(answer, encoding);
    } catch (const Error&) {
        out = write(answer, Encoding::utf8);  // a record with no Shift_JIS form
    }
    detail::write_atomically(root_ / "res", res_name, out);
    std::error_code ec;
    fs::remove(file, ec);  // answered: the request (personal data) goes
    settle_.forget(name);
    failing_.erase(name);
    log_("op=terminal-" + prefix + " result=" + result);
}

XmlMsg TerminalResponder::answer_qualification(const XmlMsg& request, const std::string& id) {
    const auto now = std::chrono::system_clock::now();
    const std::string institution = value(request.header.medical_institution_code);
    const std::string file_id = request.header.arbitrary_file_identifier.value_or(id);
    const auto refuse = [&](Refusal r) {
        XmlMsg m = refusal_message(r, institution, now, file_id);
        m.header.reference_classification = "2";
        return m;
    };
    if (!store_.accepts_institution(institution)) return refuse(Refusal::institution);
    if (!request.body.search_info) return refuse(Refusal::malformed_request);
    const auto& q = *request.body.search_info;
    if (value(q.insurer_number).empty() || value(q.insured_identification_number).empty() ||
        value(q.birthdate).empty())
        return refuse(Refusal::malformed_request);
    const auto found =
        store_.records_by_numbers({value(q.insurer_number), value(q.insured_card_symbol),
                                   value(q.insured_identification_number),
                                   value(q.insured_branch_number), value(q.birthdate)});
    XmlMsg m;
    m.header.process_execution_time = jst_time(now);
    m.header.qualification_confirmation_date =
        request.header.qualification_confirmation_date.value_or(jst_date(now));
    m.header.medical_institution_code = institution;
    m.header.arbitrary_file_identifier = file_id;
    m.header.reference_classification = "2";
    m.header.segment_of_result = "1";
    m.body.processing_result_status = "1";
    m.body.search_info = q;
    if (found.empty()) {
        m.body.qualification_validity = "4";
    } else if (found.size() > 1) {
        m.body.qualification_validity = "5";
    } else {
        ResultOfQualificationConfirmation r = found.front().record;
        // A number-based query carries only the 限度額 consent [A30].
        const bool limit = q.limit_consent_flag == "1";
        r.limit_consent_flag = limit ? "1" : "0";
        r.limit_consent_time = limit ? Text(jst_time(now)) : std::nullopt;
        if (!limit) r.limit_application.reset();
        r.specific_diseases_consent_flag.reset();
        r.specific_diseases_consent_time.reset();
        r.specific_diseases.reset();
        m.body.qualification_validity = std::to_string(static_cast<int>(validity_of(r, now)));
        m.body.result_list = std::vector{std::move(r)};
    }
    return m;
}

XmlMsg TerminalResponder::answer_registration(const XmlMsg& request, const std::string& id) {
    const auto now = std::chrono::system_clock::now();
    const std::string institution = value(request.header.medical_institution_code);
    const std::string file_id = request.header.arbitrary_file_identifier.value_or(id);
    const auto refuse = [&](Refusal r) {
        XmlMsg m = refusal_message(r, institution, now, file_id);
        m.header.reference_classification = "2";
        m.body.registration = request.body.registration;
        return m;
    };
    if (!store_.accepts_institution(institution)) return refuse(Refusal::institution);
    if (!request.body.registration) return refuse(Refusal::malformed_request);
    const auto& g = *request.body.registration;
    if (value(g.reference_number).empty() || value(g.insurer_number).empty() ||
        value(g.insured_identification_number).empty())
        return refuse(Refusal::malformed_request);
    const auto found = store_.records_by_numbers({value(g.insurer_number),
                                                  value(g.insured_card_symbol),
                                                  value(g.insured_identification_number),
                                                  value(g.insured_branch_number),
                                                  {}});
    if (found.empty()) return refuse(Refusal::no_record);
    if (found.size() > 1) return refuse(Refusal::several_records);
    store_.set_reference_number(found.front().id, *g.reference_number);
    XmlMsg m;
    m.header.process_execution_time = jst_time(now);
    m.header.medical_institution_code = institution;
    m.header.arbitrary_file_identifier = file_id;
    m.header.reference_classification = "2";
    m.header.segment_of_result = "1";
    m.body.processing_result_status = "1";
    m.body.registration = g;
    return m;
}

void TerminalResponder::drop_face(const XmlMsg& answer) noexcept {
    try {
        const std::string id = answer.header.arbitrary_file_identifier.value_or("unnamed");
        detail::write_atomically(root_ / "face", "OQSsiquc01res_face_" + id + ".xml",
                                 write(answer, Encoding::utf8));
    } catch (const std::exception&) {
        log_("op=face result=error code=MQS090");
    }
}

}  // namespace mynacard::qualification::server
