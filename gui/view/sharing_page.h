#pragma once

#include <QWidget>

#include "gui/view/card_view_controller.h"
#include "gui/view/view_text.h"

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace mynacard::gui {

// "Sharing": the remembered consent answers for the signature certificate
// (docs/consent.md), which the holder can forget so that the program asks
// again; the answers for the card shown are marked.
class SharingPage : public QWidget {
    Q_DECLARE_TR_FUNCTIONS(mynacard::gui::CardView)
  public:
    // Columns of model().
    enum Column { program_column, answer_column, time_column, certificate_column };

    explicit SharingPage(CardViewController& controller, QWidget* parent = nullptr);

    [[nodiscard]] QStandardItemModel* model() const noexcept { return consents_; }
    [[nodiscard]] QTableView* table() const noexcept { return table_; }
    [[nodiscard]] QPushButton* forgetButton() const noexcept { return forget_; }
    [[nodiscard]] QLabel* status() const noexcept { return status_; }
    // Forgets the answer in the selected row; false when none is selected
    // or the store cannot be written.
    bool forgetSelected();

  private:
    void showConsents();
    void updateForgetButton();

    CardViewController& controller_;
    QStandardItemModel* consents_ = nullptr;
    QTableView* table_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* forget_ = nullptr;
};

}  // namespace mynacard::gui
