#pragma once

#include <QFormLayout>
#include <QLabel>
#include <QList>
#include <QString>
#include <QWidget>

#include <string_view>

#include "gui/frontdesk/front_desk_controller.h"
#include "qualification/explain.h"
#include "qualification/labels.h"

namespace mynacard::gui {

// 和暦 and 西暦 of a YYYYMMDD date: "昭和45年1月1日 (1970-01-01)" /
// "Showa 45, 1 Jan 1970"; the raw text when it is not a date.
[[nodiscard]] QString birth_date_text(std::string_view yyyymmdd, qualification::Language language);
// YYYYMMDDhhmmss or YYYYMMDD as "2025-03-01 09:30".
[[nodiscard]] QString desk_time_text(std::string_view stamp);
// The colour the receptionist panel gives a severity (validity in colour,
// text dark on light ≥ 7:1).
[[nodiscard]] QString severity_colour(qualification::Severity severity);

// The receptionist's view of one result: validity in words and colour, the
// explanation and next step of anything that is not a plain valid answer,
// the insurance, the patient, the consents given and the warnings. Rows are
// labels in a form; clear() overwrites their text before they go.
class ResultSheet : public QWidget {
    Q_OBJECT
  public:
    explicit ResultSheet(qualification::Language language, QWidget* parent = nullptr);
    void show(const DeskResult& result);
    void clear();
    [[nodiscard]] int rowCount() const { return static_cast<int>(values_.size()); }
    // Every text shown (tests look for names that must be gone).
    [[nodiscard]] QStringList texts() const;

  private:
    void heading(const QString& text);
    void row(const QString& label, const QString& value, const char* role = nullptr);

    qualification::Language language_;
    QFormLayout* form_ = nullptr;
    QList<QLabel*> values_;
};

}  // namespace mynacard::gui
