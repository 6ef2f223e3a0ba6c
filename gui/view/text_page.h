#pragma once

#include <QWidget>

#include "gui/view/card_view_controller.h"
#include "gui/view/view_text.h"

class QLabel;
class QPushButton;

namespace mynacard::gui {

// "My Number and basic facts": the 券面事項入力補助 data, the My Number
// masked until the holder asks (decision 11), and whether the card's
// signature over the data verifies.
class TextPage : public QWidget {
    Q_DECLARE_TR_FUNCTIONS(mynacard::gui::CardView)
  public:
    explicit TextPage(CardViewController& controller, QWidget* parent = nullptr);

    [[nodiscard]] QLabel* myNumberLabel() const noexcept { return my_number_; }
    [[nodiscard]] QPushButton* showMyNumberButton() const noexcept { return show_number_; }
    [[nodiscard]] bool holdsData() const;

  private:
    void showText();
    void toggleMyNumber();
    void wipeShown();

    CardViewController& controller_;
    bool number_shown_ = false;
    QLabel* my_number_ = nullptr;
    QPushButton* show_number_ = nullptr;
    QLabel* name_ = nullptr;
    QLabel* address_ = nullptr;
    QLabel* birth_ = nullptr;
    QLabel* sex_ = nullptr;
    QLabel* integrity_ = nullptr;
};

}  // namespace mynacard::gui
