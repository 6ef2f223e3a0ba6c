#pragma once

#include <QCoreApplication>

namespace mynacard::gui {

// The card view's catalogue context. The controller and the pages translate
// in the context the window always had ("mynacard::gui::CardView" in
// translations/view_*.ts), so moving a string between them never loses its
// Japanese.
struct CardViewText {
    Q_DECLARE_TR_FUNCTIONS(mynacard::gui::CardView)
};

}  // namespace mynacard::gui
