#include "gui/frontdesk/result_sheet.h"

#include <QDate>

#include <array>

#include "gui/common/secret_field.h"

namespace mynacard::gui {

namespace q = qualification;

namespace {

QString text_of(const q::Text& t) {
    return t ? QString::fromStdString(*t) : QString();
}

struct Era {
    QDate start;  // first day of the era (official gazette dates)
    const char* ja;
    const char* en;
};
// 明治 to 令和: the start days fixed by the era-name ordinances.
const std::array<Era, 5>& eras() {
    static const std::array<Era, 5> e = {{
        {QDate(2019, 5, 1), "令和", "Reiwa"},
        {QDate(1989, 1, 8), "平成", "Heisei"},
        {QDate(1926, 12, 25), "昭和", "Showa"},
        {QDate(1912, 7, 30), "大正", "Taisho"},
        {QDate(1868, 10, 23), "明治", "Meiji"},
    }};
    return e;
}

QString label_of(q::CodeTable table, const q::Text& code, q::Language language) {
    if (!code || code->empty()) return {};
    const std::string_view l = q::label(table, *code, language);
    const QString c = QString::fromStdString(*code);
    return l.empty() ? c : QString::fromUtf8(l.data(), static_cast<qsizetype>(l.size()));
}

}  // namespace

QString birth_date_text(std::string_view yyyymmdd, q::Language language) {
    const QString raw = QString::fromUtf8(yyyymmdd.data(), static_cast<qsizetype>(yyyymmdd.size()));
    const QDate d = QDate::fromString(raw, QStringLiteral("yyyyMMdd"));
    if (!d.isValid()) return raw;
    for (const Era& e : eras()) {
        if (d < e.start) continue;
        const int year = d.year() - e.start.year() + 1;
        if (language == q::Language::ja) {
            const QString y = year == 1 ? QStringLiteral("元") : QString::number(year);
            return QStringLiteral("%1%2年%3月%4日（%5）")
                .arg(QString::fromUtf8(e.ja), y)
                .arg(d.month())
                .arg(d.day())
                .arg(d.toString(QStringLiteral("yyyy-MM-dd")));
        }
        return QStringLiteral("%1 %2 (%3)")
            .arg(QString::fromUtf8(e.en))
            .arg(year)
            .arg(d.toString(QStringLiteral("yyyy-MM-dd")));
    }
    return d.toString(QStringLiteral("yyyy-MM-dd"));
}

QString desk_time_text(std::string_view stamp) {
    const QString s = QString::fromUtf8(stamp.data(), static_cast<qsizetype>(stamp.size()));
    if (s.size() == 14) {
        const QDateTime t = QDateTime::fromString(s, QStringLiteral("yyyyMMddHHmmss"));
        if (t.isValid()) return t.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    if (s.size() == 8) {
        const QDate d = QDate::fromString(s, QStringLiteral("yyyyMMdd"));
        if (d.isValid()) return d.toString(QStringLiteral("yyyy-MM-dd"));
    }
    return s;
}

QString severity_colour(q::Severity severity) {
    // Dark on light: green, amber-brown and red all ≥ 7:1 on white.
    switch (severity) {
        case q::Severity::ok:
            return QStringLiteral("#005a2b");
        case q::Severity::warning:
            return QStringLiteral("#6b4500");
        case q::Severity::error:
            return QStringLiteral("#8b0000");
    }
    return QStringLiteral("#000000");
}

ResultSheet::ResultSheet(q::Language language, QWidget* parent)
    : QWidget(parent), language_(language) {
    setObjectName(QStringLiteral("resultSheet"));
    form_ = new QFormLayout(this);
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void ResultSheet::heading(const QString& text) {
    auto* l = new QLabel(text, this);
    l->setProperty("deskRole", "heading");
    values_.push_back(l);
    form_->addRow(l);
}

void ResultSheet::row(const QString& label, const QString& value, const char* role) {
    if (value.isEmpty()) return;
    auto* name = new QLabel(label, this);
    auto* v = new QLabel(value, this);
    v->setWordWrap(true);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->setAccessibleName(label);
    if (role != nullptr) v->setProperty("deskRole", role);
    name->setBuddy(v);
    values_.push_back(name);
    values_.push_back(v);
    form_->addRow(name, v);
}

void ResultSheet::show(const DeskResult& result) {
    clear();
    const q::XmlMsg& m = result.received.message;
    const q::Explanation e = q::explain(m, language_);
    auto* verdict = new QLabel(QString::fromStdString(e.title), this);
    verdict->setObjectName(QStringLiteral("verdict"));
    verdict->setWordWrap(true);
    verdict->setAccessibleName(tr("Result"));
    verdict->setStyleSheet(QStringLiteral("color: #ffffff; background: %1; padding: 6px;")
                               .arg(severity_colour(e.severity)));
    values_.push_back(verdict);
    form_->addRow(verdict);
    row(tr("What happened"), QString::fromStdString(e.detail));
    row(tr("Next step"), QString::fromStdString(e.next_step), "next");
    row(tr("Validity"),
        label_of(q::CodeTable::qualification_validity, m.body.qualification_validity, language_));
    for (const q::DeskProblem w : result.card_warnings) {
        const q::Explanation we = q::explain(w, language_);
        row(tr("Warning"), QString::fromStdString(we.title + " " + we.next_step), "warning");
    }
    if (!m.body.result_list || m.body.result_list->empty()) {
        if (m.body.qualification_validity == "1") {
            const q::Explanation we = q::explain(q::DeskProblem::data_withheld, language_);
            row(tr("Warning"), QString::fromStdString(we.title + " " + we.detail), "warning");
        }
        return;
    }
    const bool several = m.body.result_list->size() > 1;
    int n = 0;
    for (const auto& r : *m.body.result_list) {
        if (several) heading(tr("Record %1").arg(++n));
        heading(tr("Insurance"));
        row(tr("Insurer"),
            (text_of(r.insurer_name) + QStringLiteral(" ") + text_of(r.insurer_number)).trimmed());
        QStringList ids;
        for (const auto* t :
             {&r.insured_card_symbol, &r.insured_identification_number, &r.insured_branch_number})
            ids.push_back(t->value_or("-").empty() ? QStringLiteral("-") : text_of(*t));
        row(tr("Symbol / number / branch"), ids.join(QStringLiteral(" / ")));
        row(tr("Card classification"), label_of(q::CodeTable::insured_card_classification,
                                                r.insured_card_classification, language_));
        if (r.insured_partial_contribution_ratio)
            row(tr("Copayment (負担割合)"),
                QString::fromStdString(
                    q::contribution_ratio_label(*r.insured_partial_contribution_ratio, language_)
                        .value_or(*r.insured_partial_contribution_ratio)));
        if (r.elderly_recipient) {
            const auto& el = *r.elderly_recipient;
            const QString ratio =
                el.contribution_ratio
                    ? QString::fromStdString(
                          q::contribution_ratio_label(*el.contribution_ratio, language_)
                              .value_or(*el.contribution_ratio))
                    : QString();
            row(tr("Elderly recipient (高齢受給者)"),
                tr("%1, %2 – %3")
                    .arg(ratio, desk_time_text(el.valid_start_date.value_or("")),
                         desk_time_text(el.valid_end_date.value_or(""))));
        }
        if (r.limit_application)
            row(tr("Limit category (限度額適用)"),
                label_of(q::CodeTable::limit_category, r.limit_application->classification_flag,
                         language_));
        if (r.specific_diseases) {
            QStringList d;
            for (const auto& s : *r.specific_diseases)
                d.push_back(
                    label_of(q::CodeTable::specific_diseases_category, s.disease_category,
                             language_) +
                    (s.self_pay ? tr(" (self-pay %1 yen)").arg(text_of(s.self_pay)) : QString()));
            row(tr("Specified diseases"), d.join(QStringLiteral("\n")));
        }
        heading(tr("Patient"));
        row(tr("Name"), text_of(r.name));
        row(tr("Kana"), text_of(r.name_kana));
        if (r.birthdate) row(tr("Birth date"), birth_date_text(*r.birthdate, language_));
        row(tr("Sex (as on the card)"), label_of(q::CodeTable::sex, r.sex1, language_));
        heading(tr("Consents given"));
        const auto consent = [&](const QString& what, const q::Text& flag, const q::Text& time) {
            if (!flag || flag->empty()) return;
            row(what, label_of(q::CodeTable::consent, flag, language_) +
                          (time ? QStringLiteral("  ") + desk_time_text(*time) : QString()));
        };
        consent(tr("Medication"), r.pharmacists_consent_flag, r.pharmacists_consent_time);
        consent(tr("Health check-ups"), r.health_checkups_consent_flag,
                r.health_checkups_consent_time);
        consent(tr("Treatment"), r.diagnosis_consent_flag, r.diagnosis_consent_time);
        consent(tr("Surgery"), r.operation_consent_flag, r.operation_consent_time);
        if (r.limit_consent_flag && !r.limit_consent_flag->empty())
            row(tr("Limit on medical costs"),
                label_of(q::CodeTable::limit_consent, r.limit_consent_flag, language_) +
                    (r.limit_consent_time
                         ? QStringLiteral("  ") + desk_time_text(*r.limit_consent_time)
                         : QString()));
        consent(tr("Specified disease"), r.specific_diseases_consent_flag,
                r.specific_diseases_consent_time);
    }
}

void ResultSheet::clear() {
    // The labels' text buffers are overwritten before the labels go
    // (decision 11: no patient's data lingers in freed memory of this process).
    for (QLabel* l : values_) {
        overwrite_shared(l->text());
        l->clear();
    }
    values_.clear();
    while (form_->rowCount() > 0) form_->removeRow(0);  // deletes the row's widgets
}

QStringList ResultSheet::texts() const {
    QStringList out;
    for (const QLabel* l : values_) out.push_back(l->text());
    return out;
}

}  // namespace mynacard::gui
