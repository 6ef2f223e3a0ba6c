#pragma once

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QWidget>

#include <map>

#include "gui/frontdesk/front_desk_controller.h"
#include "gui/frontdesk/result_sheet.h"

namespace mynacard::gui {

// The receptionist's window: the result of the patient at the desk (by
// card, by face result, by numbers) with "confirm / export", the face-result
// queue (arrival times only), the query form validated as typed, the
// 照会番号 registration, the exports still pending and the history (time,
// validity, export file; never a name). Its language is the configured one
// (the application's catalogues). Fits 1280×1024.
class ReceptionWindow : public QWidget {
    Q_OBJECT
  public:
    ReceptionWindow(FrontDeskController& controller, Language language, bool large_text,
                    QWidget* parent = nullptr);

    [[nodiscard]] ResultSheet* sheet() const noexcept { return sheet_; }
    [[nodiscard]] QPushButton* exportButton() const noexcept { return export_; }
    [[nodiscard]] QPushButton* sendButton() const noexcept { return send_; }
    [[nodiscard]] QListWidget* faceList() const noexcept { return faces_; }
    [[nodiscard]] QTableWidget* historyTable() const noexcept { return history_; }
    [[nodiscard]] QLabel* pendingLabel() const noexcept { return pending_; }
    [[nodiscard]] QLabel* problemLabel() const noexcept { return problem_; }
    [[nodiscard]] QLineEdit* queryField(qualification::QueryField field) const {
        return fields_.at(field);
    }
    [[nodiscard]] QLabel* fieldMessage(qualification::QueryField field) const {
        return messages_.at(field);
    }
    [[nodiscard]] QCheckBox* limitConsentBox() const noexcept { return limit_consent_; }
    [[nodiscard]] QLineEdit* referenceNumberField() const noexcept { return reference_; }
    [[nodiscard]] QPushButton* registerButton() const noexcept { return register_; }

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    QWidget* buildResult();
    QWidget* buildSide();
    void refresh();
    void refreshResult();
    void refreshFaces();
    void refreshHistory();
    void formEdited();

    FrontDeskController& controller_;
    qualification::Language language_;

    QLabel* problem_ = nullptr;
    QLabel* idle_note_ = nullptr;
    ResultSheet* sheet_ = nullptr;
    QPushButton* export_ = nullptr;
    QPushButton* clear_ = nullptr;
    QLineEdit* reference_ = nullptr;
    QPushButton* register_ = nullptr;
    QLabel* registered_ = nullptr;
    QListWidget* faces_ = nullptr;
    std::map<qualification::QueryField, QLineEdit*> fields_;
    std::map<qualification::QueryField, QLabel*> messages_;
    QCheckBox* limit_consent_ = nullptr;
    QPushButton* send_ = nullptr;
    QLabel* pending_ = nullptr;
    QPushButton* retry_ = nullptr;
    QTableWidget* history_ = nullptr;
};

}  // namespace mynacard::gui
