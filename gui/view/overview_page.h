#pragma once

#include <QWidget>

#include "gui/view/card_view_controller.h"
#include "gui/view/view_text.h"

class QPushButton;
class QStandardItemModel;

namespace mynacard::gui {

// "Card and PINs": the applications on the card, every PIN's tries left,
// a change button per PIN and a refresh.
class OverviewPage : public QWidget {
    Q_DECLARE_TR_FUNCTIONS(mynacard::gui::CardView)
  public:
    explicit OverviewPage(CardViewController& controller, QWidget* parent = nullptr);

    [[nodiscard]] QStandardItemModel* applicationModel() const noexcept { return apps_; }
    [[nodiscard]] QStandardItemModel* pinModel() const noexcept { return pins_; }
    [[nodiscard]] bool holdsData() const;

  private:
    void showStatus();

    CardViewController& controller_;
    QStandardItemModel* apps_ = nullptr;
    QStandardItemModel* pins_ = nullptr;
    QPushButton* change_pin_[3] = {};
};

}  // namespace mynacard::gui
