#pragma once

#include <QDialog>
#include <QString>

#include "x509/x509.h"

class QLabel;
class QPushButton;

namespace mynacard::gui {

// `mynacard-helper consent` (decision 11): before a program receives the
// signature certificate for the first time, shows who asks (program path and
// process id) and exactly what the certificate discloses — name, address,
// date of birth, sex — and lets the holder allow or refuse. Deny is the
// default button: Enter or Escape never discloses anything by accident.
class ConsentDialog : public QDialog {
    Q_OBJECT
  public:
    ConsentDialog(const x509::Certificate& certificate, const QString& program, long pid,
                  QWidget* parent = nullptr);

    [[nodiscard]] bool allowed() const noexcept { return allowed_; }

    // For tests and accessibility tools.
    [[nodiscard]] QPushButton* allowButton() const noexcept { return allow_; }
    [[nodiscard]] QPushButton* denyButton() const noexcept { return deny_; }
    [[nodiscard]] QLabel* programLabel() const noexcept { return program_; }
    [[nodiscard]] QLabel* disclosureLabel() const noexcept { return disclosure_; }

  private:
    bool allowed_ = false;
    QPushButton* allow_ = nullptr;
    QPushButton* deny_ = nullptr;
    QLabel* program_ = nullptr;
    QLabel* disclosure_ = nullptr;
};

}  // namespace mynacard::gui
