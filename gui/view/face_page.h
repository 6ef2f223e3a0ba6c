#pragma once

#include <QWidget>

#include "gui/view/card_view_controller.h"
#include "gui/view/view_text.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace mynacard::gui {

// "Card face": 照合番号B typed in, then the images printed on the card,
// the photo (JPEG 2000) and saving it to a file.
class FacePage : public QWidget {
    Q_DECLARE_TR_FUNCTIONS(mynacard::gui::CardView)
  public:
    explicit FacePage(CardViewController& controller, QWidget* parent = nullptr);

    // Takes the code out of the field (wiping it) and reads the card face.
    void readFaceData();
    [[nodiscard]] QLabel* photoLabel() const noexcept { return photo_; }
    [[nodiscard]] bool holdsData() const;

  private:
    void showFace();
    void wipeShown();
    void savePhoto();

    CardViewController& controller_;
    QLineEdit* code_b_ = nullptr;
    QLabel* face_name_ = nullptr;
    QLabel* face_address_ = nullptr;
    QLabel* photo_ = nullptr;
    QLabel* face_facts_ = nullptr;
    QPushButton* save_photo_ = nullptr;
};

}  // namespace mynacard::gui
