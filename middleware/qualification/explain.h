#pragma once

// Plain words for the receptionist, Japanese and English: what an answer of
// the qualification check means and what to do next, and the same for what
// can go wrong at the desk itself (qualification-kiosk-ecosystem.md §A.5;
// docs/qualification.md for the reference service's codes). The tables are
// in explain.cpp, one row per case with its source.

#include <string>

#include "qualification/labels.h"
#include "qualification/xml_msg.h"

namespace mynacard::qualification {

enum class Severity { ok, warning, error };

struct Explanation {
    Severity severity = Severity::ok;
    std::string title;      // one line: what happened
    std::string detail;     // what it means (codes in brackets for support)
    std::string next_step;  // what the receptionist does now
};

// The answer in words: SegmentOfResult 2 first (still processing; its
// notice code is not a failure), then an ErrorCode or SegmentOfResult 9
// (each code of the reference service in words; an unknown one with its
// code and ErrorMessage), then the validity 1–5 (a lost qualification with
// its ReasonOfLoss). ProcessingResultCode
// MQS060 (a certificate in its grace) makes a valid answer a warning.
[[nodiscard]] Explanation explain(const XmlMsg& answer, Language language);

// What can go wrong at the desk apart from the answer.
enum class DeskProblem {
    service_unreachable,
    timeout,
    malformed_answer,
    pin_wrong,
    pin_blocked,
    card_removed,
    not_my_number_card,
    certificate_expired,
    certificate_expiring,
    data_withheld,
    export_pending,
    folder_missing,
};

[[nodiscard]] Explanation explain(DeskProblem problem, Language language);

// What the patient does now, in words for the patient's own screen:
// Explanation::next_step speaks to the receptionist ("ask the patient…").
[[nodiscard]] std::string patient_step(DeskProblem problem, Language language);

}  // namespace mynacard::qualification
