#include "cli/qualification_output.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <ostream>
#include <string_view>

#include "card/facts.h"
#include "cli/files.h"
#include "cli/messages.h"
#include "cli/output.h"
#include "core/error.h"
#include "qualification/answer_json.h"
#include "qualification/labels.h"

namespace mynacard::cli {

namespace {

namespace q = qualification;
namespace fs = std::filesystem;
using q::CodeTable;
using q::Text;

q::Language language() {
    return japanese() ? q::Language::ja : q::Language::en;
}

bool has(const Text& t) {
    return t && !t->empty();
}

// A date as the rest of the CLI shows dates: 2025年3月31日 / 2025-03-31.
std::string date_shown(const Text& yyyymmdd) {
    if (!yyyymmdd) return {};
    return card::birth_date_text(*yyyymmdd, japanese() ? card::Language::ja : card::Language::en)
        .value_or(*yyyymmdd);
}

std::string code_shown(CodeTable table, const Text& code) {
    if (!has(code)) return "-";
    const std::string_view l = q::label(table, *code, language());
    return l.empty() ? *code : std::string(l);
}

std::string ratio_shown(const Text& code) {
    if (!has(code)) return {};
    return q::contribution_ratio_label(*code, language()).value_or(*code);
}

// "2024年4月1日〜2026年3月31日 [3か月以内に期限切れ]"
std::string period(const Text& from, const Text& to, const q::Date& today) {
    // An open end (特定疾病 often has none) is "from …".
    std::string out = has(to)     ? format(Msg::q_period, {date_shown(from), date_shown(to)})
                      : has(from) ? format(Msg::q_since, {date_shown(from)})
                                  : std::string();
    if (const auto e = q::expiry_of(to, today))
        out += " [" +
               std::string(text(*e == Expiry::expired ? Msg::q_expired : Msg::q_expires_soon)) +
               "]";
    return out;
}

class Lines {
  public:
    explicit Lines(std::ostream& out) : out_(out) {}
    void line(Msg label, const std::string& value) {
        if (!value.empty()) out_ << "  " << text(label) << ": " << value << '\n';
    }

  private:
    std::ostream& out_;
};

std::string with_kana(const Text& name, const Text& kana) {
    std::string out = name.value_or("");
    if (has(kana)) out += (out.empty() ? "" : " ") + ("(" + *kana + ")");
    return out;
}

std::string joined(std::initializer_list<std::string> parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

void print_consents(Lines& lines, const q::ResultOfQualificationConfirmation& r) {
    const struct {
        Msg what;
        const Text& flag;
        CodeTable table;
    } consents[] = {
        {Msg::q_consent_limit, r.limit_consent_flag, CodeTable::limit_consent},
        {Msg::q_consent_diseases, r.specific_diseases_consent_flag, CodeTable::consent},
        {Msg::q_consent_pharmacists, r.pharmacists_consent_flag, CodeTable::consent},
        {Msg::q_consent_checkups, r.health_checkups_consent_flag, CodeTable::consent},
        {Msg::q_consent_diagnosis, r.diagnosis_consent_flag, CodeTable::consent},
        {Msg::q_consent_operation, r.operation_consent_flag, CodeTable::consent},
    };
    std::string all;
    for (const auto& c : consents) {
        if (!has(c.flag)) continue;
        if (!all.empty()) all += ", ";
        all += std::string(text(c.what)) + " " + code_shown(c.table, c.flag);
    }
    lines.line(Msg::q_consents, all);
}

void print_certificates(Lines& lines, const q::ResultOfQualificationConfirmation& r,
                        const q::Date& today) {
    if (const auto& e = r.elderly_recipient)
        lines.line(Msg::q_elderly, joined({ratio_shown(e->contribution_ratio),
                                           period(e->valid_start_date, e->valid_end_date, today)},
                                          ", "));
    if (const auto& l = r.limit_application) {
        std::string category;
        if (has(l->classification_flag))
            category = *l->classification_flag + " " +
                       code_shown(CodeTable::limit_category, l->classification_flag);
        const std::string kind =
            has(l->classification)
                ? "(" + code_shown(CodeTable::limit_certificate_classification, l->classification) +
                      ")"
                : "";
        lines.line(Msg::q_limit, joined({joined({category, kind}, " "),
                                         period(l->valid_start_date, l->valid_end_date, today)},
                                        ", "));
    }
    if (r.specific_diseases)
        for (const auto& s : *r.specific_diseases)
            lines.line(
                Msg::q_disease,
                joined({code_shown(CodeTable::specific_diseases_category, s.disease_category),
                        has(s.self_pay) ? format(Msg::q_self_pay, {*s.self_pay}) : "",
                        period(s.valid_start_date, s.valid_end_date, today)},
                       ", "));
}

void print_result(std::ostream& out, const q::ResultOfQualificationConfirmation& r,
                  const q::Date& today) {
    Lines lines(out);
    lines.line(Msg::q_name, with_kana(r.name, r.name_kana));
    lines.line(Msg::q_other_name, with_kana(r.name_of_other, r.name_of_other_kana));
    lines.line(Msg::q_birth_date, date_shown(r.birthdate));
    if (has(r.sex1)) lines.line(Msg::q_sex, code_shown(CodeTable::sex, r.sex1));
    lines.line(Msg::q_insurer,
               joined({r.insurer_number.value_or(""), r.insurer_name.value_or("")}, " "));
    lines.line(Msg::q_card_numbers, joined({r.insured_card_symbol.value_or(""),
                                            r.insured_identification_number.value_or(""),
                                            r.insured_branch_number.value_or("")},
                                           japanese() ? "・" : " / "));
    if (has(r.insured_card_classification))
        lines.line(Msg::q_card_type, code_shown(CodeTable::insured_card_classification,
                                                r.insured_card_classification));
    if (has(r.personal_family_classification))
        lines.line(Msg::q_person, code_shown(CodeTable::personal_family_classification,
                                             r.personal_family_classification));
    lines.line(Msg::q_head_of_household, r.insured_name.value_or(""));
    // The copayment ratio of the card itself (後期高齢者), else the elderly
    // recipient certificate's (70–74).
    if (has(r.insured_partial_contribution_ratio))
        lines.line(Msg::q_copayment, ratio_shown(r.insured_partial_contribution_ratio));
    else if (r.elderly_recipient && has(r.elderly_recipient->contribution_ratio))
        lines.line(Msg::q_copayment,
                   format(Msg::q_copayment_elderly,
                          {ratio_shown(r.elderly_recipient->contribution_ratio)}));
    if (has(r.insured_card_valid_date) || has(r.insured_card_expiration_date))
        lines.line(Msg::q_card_valid,
                   period(r.insured_card_valid_date, r.insured_card_expiration_date, today));
    print_certificates(lines, r, today);
    if (has(r.disqualification_date) || has(r.reason_of_loss))
        lines.line(Msg::q_lost,
                   joined({date_shown(r.disqualification_date),
                           has(r.reason_of_loss)
                               ? "(" + code_shown(CodeTable::reason_of_loss, r.reason_of_loss) + ")"
                               : ""},
                          " "));
    if (has(r.preschool_classification))
        lines.line(Msg::q_preschool,
                   code_shown(CodeTable::preschool_classification, r.preschool_classification));
    lines.line(Msg::q_reference_number, r.reference_number.value_or(""));
    print_consents(lines, r);
}

// The stem of the --out files: the identifier when it is a safe file name.
std::string file_stem(const q::XmlMsg& m) {
    constexpr std::size_t kMaxStem = 64;  // identifiers are short; a long one is not trusted
    if (const auto& id = m.header.arbitrary_file_identifier;
        has(id) && id->size() <= kMaxStem && id->front() != '.' &&
        id->find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.") ==
            std::string::npos)
        return *id;
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
    return buf;
}

}  // namespace

void print_answer(std::ostream& out, const q::XmlMsg& m, const q::Date& today) {
    const auto& h = m.header;
    const auto& b = m.body;
    out << "== " << text(Msg::q_validity) << ": "
        << code_shown(CodeTable::qualification_validity, b.qualification_validity) << " ==\n";
    Lines lines(out);
    const auto segment = m.segment();
    const bool failed = has(h.error_code) || (segment && *segment != q::SegmentOfResult::normal) ||
                        m.status() == q::ProcessingResultStatus::error;
    if (failed)
        lines.line(Msg::q_processing,
                   joined({has(h.segment_of_result)
                               ? code_shown(CodeTable::segment_of_result, h.segment_of_result)
                               : "",
                           has(b.processing_result_status)
                               ? code_shown(CodeTable::processing_result_status,
                                            b.processing_result_status)
                               : ""},
                          " / "));
    lines.line(Msg::q_error,
               joined({h.error_code.value_or(""), h.error_message.value_or("")}, " "));
    lines.line(Msg::q_error, joined({b.processing_result_code.value_or(""),
                                     b.processing_result_message.value_or("")},
                                    " "));
    if (has(h.reference_classification))
        lines.line(Msg::q_checked_by,
                   code_shown(CodeTable::reference_classification, h.reference_classification));
    if (b.result_list) {
        const auto& list = *b.result_list;
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list.size() > 1) out << "[" << i + 1 << "/" << list.size() << "]\n";
            print_result(out, list[i], today);
        }
    }
    if (has(b.prescription_issue_select))
        lines.line(Msg::q_prescription,
                   code_shown(CodeTable::prescription_issue_select, b.prescription_issue_select));
}

std::vector<std::string> save_answer(const std::string& dir, const q::XmlMsg& message) {
    // A folder made here is the clinic user's alone; an existing one is used as is.
    if (fs::create_directories(dir))
        fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    const q::Encoding encoding = message.character_code().value_or(q::Encoding::utf8);
    Bytes xml = q::write(message, encoding);
    nlohmann::json json = to_json(message);
    std::string text = json.dump(2) + "\n";
    const std::string xml_path = write_new_atomically(dir, file_stem(message), ".xml", xml);
    // The JSON copy under the stem the XML got.
    const std::string stem = fs::path(xml_path).stem().string();
    const std::string json_path = write_new_atomically(
        dir, stem, ".json",
        ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    wipe(xml);
    wipe(text);
    wipe_json(json);
    return {xml_path, json_path};
}

}  // namespace mynacard::cli
