#pragma once

#include <QWidget>

#include "gui/view/card_view_controller.h"
#include "gui/view/view_text.h"

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace mynacard::gui {

// "Certificates": the certificates read, with an expiry warning, the
// holder attributes each one discloses, and saving one to a file.
class CertificatePage : public QWidget {
    Q_DECLARE_TR_FUNCTIONS(mynacard::gui::CardView)
  public:
    explicit CertificatePage(CardViewController& controller, QWidget* parent = nullptr);

    [[nodiscard]] QStandardItemModel* certificateModel() const noexcept { return certs_; }
    [[nodiscard]] QLabel* certificateWarning() const noexcept { return warning_; }
    [[nodiscard]] bool holdsData() const;

  private:
    void showCertificates();
    void showDetails();
    void exportSelected();
    [[nodiscard]] std::optional<card::Certificate> selected() const;

    CardViewController& controller_;
    QStandardItemModel* certs_ = nullptr;
    QTableView* table_ = nullptr;
    QLabel* warning_ = nullptr;
    QLabel* details_ = nullptr;
    QPushButton* export_ = nullptr;
};

}  // namespace mynacard::gui
