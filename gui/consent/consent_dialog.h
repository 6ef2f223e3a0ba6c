#pragma once

#include <QDialog>
#include <QString>

#include "consent/consent.h"
#include "x509/x509.h"

class QLabel;
class QPushButton;

namespace mynacard::gui {

// `mynacard-helper consent` (decision 11): before a program receives the
// signature certificate for the first time, shows who asks (program path and
// process id, as the kernel reports them) and exactly what the certificate
// discloses — name, address, date of birth, sex — and lets the holder allow
// or refuse. Deny is the default button: Enter or Escape never discloses
// anything by accident. For an interpreter or a proxy it says why Allow
// cannot be remembered and names the script or says whom it serves.
class ConsentDialog : public QDialog {
    Q_OBJECT
  public:
    // `caller` is what the helper verified itself; `stated_program` is the
    // caller's own --program text, shown only as a subtitle when it differs.
    ConsentDialog(const x509::Certificate& certificate, const consent::Caller& caller,
                  const QString& stated_program, QWidget* parent = nullptr);
    // A caller known by its executable path only (tests, screenshots).
    ConsentDialog(const x509::Certificate& certificate, const QString& program, long pid,
                  QWidget* parent = nullptr);

    [[nodiscard]] bool allowed() const noexcept { return allowed_; }

    // For tests and accessibility tools.
    [[nodiscard]] QPushButton* allowButton() const noexcept { return allow_; }
    [[nodiscard]] QPushButton* denyButton() const noexcept { return deny_; }
    [[nodiscard]] QLabel* programLabel() const noexcept { return program_; }
    [[nodiscard]] QLabel* disclosureLabel() const noexcept { return disclosure_; }
    [[nodiscard]] QLabel* headlineLabel() const noexcept { return headline_; }
    // The caller's own claim; nothing when it matches (or none was given).
    [[nodiscard]] QLabel* statedLabel() const noexcept { return stated_; }
    // Why the answer cannot be remembered; nothing for an ordinary program.
    [[nodiscard]] QLabel* intermediaryLabel() const noexcept { return intermediary_; }
    [[nodiscard]] QLabel* noteLabel() const noexcept { return note_; }

  private:
    bool allowed_ = false;
    QPushButton* allow_ = nullptr;
    QPushButton* deny_ = nullptr;
    QLabel* program_ = nullptr;
    QLabel* disclosure_ = nullptr;
    QLabel* headline_ = nullptr;
    QLabel* stated_ = nullptr;
    QLabel* intermediary_ = nullptr;
    QLabel* note_ = nullptr;
};

}  // namespace mynacard::gui
