#pragma once

#include <QMainWindow>
#include <QString>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "card/card.h"
#include "core/bytes.h"
#include "gui/common/card_service.h"
#include "gui/view/card_view_backend.h"
#include "gui/view/card_view_controller.h"
#include "pinhelper/pinhelper.h"

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace mynacard::gui {

class AuditHistoryModel;
class CertificatePage;
class FacePage;
class HistoryPage;
class OverviewPage;
class SharingPage;
class TextPage;

// The main window of `mynacard-helper`: readers and cards live (hot-plug),
// per card the applications and every PIN's tries left, the certificates
// with holder attributes and an expiry warning, PIN change, the
// 券面事項入力補助 data (My Number masked until asked, decision 11), the card
// face, certificate export, the audit history and the remembered consent
// answers for the signature certificate (docs/consent.md), which the holder
// can forget so that the program asks again. What happens is decided by
// CardViewController; this window only lays out one page per tab and passes
// clicks on.
class CardView : public QMainWindow {
    Q_OBJECT
  public:
    // Asks the holder for a PIN (PinDialog by default); nothing when cancelled.
    using PinProvider = std::function<std::optional<SecureBytes>(const pinhelper::Request& request,
                                                                 QWidget* parent)>;

    // The card through `service` (CardServiceViewBackend).
    explicit CardView(CardService& service, QWidget* parent = nullptr);
    // The card through any backend (tests).
    explicit CardView(CardViewBackend& backend, QWidget* parent = nullptr);
    ~CardView() override;
    CardView(const CardView&) = delete;
    CardView& operator=(const CardView&) = delete;

    [[nodiscard]] CardViewController& controller() noexcept { return controller_; }

    // Tests replace the dialog with scripted answers.
    void setPinProvider(PinProvider provider);
    // The consent store whose answers the "Sharing" page lists (default:
    // consent::Store::default_path()); reads it again.
    void setConsentStorePath(std::filesystem::path path);
    // Empty when there is none (no home directory).
    [[nodiscard]] std::filesystem::path consentStorePath() const {
        return controller_.consentStorePath().value_or(std::filesystem::path());
    }

    // The reader whose card is shown ("" when none).
    [[nodiscard]] QString currentReader() const { return controller_.currentReader(); }
    void selectReader(const QString& name) { controller_.selectReader(name); }
    // Whether anything read from a card is still held (models, labels, images).
    [[nodiscard]] bool holdsCardData() const;
    // The last error shown to the user (describe()), empty when none.
    [[nodiscard]] QString lastError() const { return controller_.lastError(); }
    // The message shown above the pages (error or confirmation), empty when none.
    [[nodiscard]] QString message() const { return controller_.message(); }

    // Models and controls, for tests and accessibility tools.
    [[nodiscard]] QListWidget* readerList() const noexcept { return readers_; }
    [[nodiscard]] QStandardItemModel* applicationModel() const noexcept;
    [[nodiscard]] QStandardItemModel* pinModel() const noexcept;
    [[nodiscard]] QStandardItemModel* certificateModel() const noexcept;
    [[nodiscard]] AuditHistoryModel* historyModel() const noexcept;
    [[nodiscard]] QLabel* certificateWarning() const noexcept;
    [[nodiscard]] QLabel* historyStatus() const noexcept;
    [[nodiscard]] QLabel* myNumberLabel() const noexcept;
    [[nodiscard]] QPushButton* showMyNumberButton() const noexcept;
    [[nodiscard]] QLabel* photoLabel() const noexcept;
    [[nodiscard]] QTabWidget* pages() const noexcept { return tabs_; }
    // The remembered consent answers, newest first: program, answer, when,
    // certificate (columns ConsentColumn).
    enum ConsentColumn { consent_program, consent_answer, consent_time, consent_certificate };
    [[nodiscard]] QStandardItemModel* consentModel() const noexcept;
    [[nodiscard]] QTableView* consentTable() const noexcept;
    [[nodiscard]] QPushButton* forgetConsentButton() const noexcept;
    [[nodiscard]] QLabel* consentStatus() const noexcept;

  signals:
    // After the outcome of every card job has been shown.
    void jobFinished();

  public slots:
    void refreshStatus() { controller_.refreshStatus(); }
    void readCertificates() { controller_.readCertificates(); }
    void readSignCertificate() { controller_.readSignCertificate(); }
    void changePin(mynacard::card::Pin pin) { controller_.changePin(pin); }
    void readTextData() { controller_.readTextData(); }
    // 券面AP with 照合番号B: the 14 digits typed in the field.
    void readFaceData();
    void refreshHistory();
    // Reads the consent store again and lists its answers.
    void refreshConsents() { controller_.refreshConsents(); }
    // Forgets the answer in the selected row (that program and certificate
    // only); false when none is selected or the store cannot be written.
    bool forgetSelectedConsent();
    // Writes a certificate already read to `path` (DER or PEM); false with
    // the error shown when it could not.
    bool exportCertificate(mynacard::card::Certificate which, const QString& path, bool pem) {
        return controller_.exportCertificate(which, path, pem);
    }

  private:
    void buildUi();
    void showReaders();
    void showMessage();
    void onTabChanged(int index);

    // Set only by the CardService constructor; declared before the
    // controller, which refers to it.
    std::unique_ptr<CardServiceViewBackend> own_backend_;
    CardViewController controller_;

    QListWidget* readers_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* card_title_ = nullptr;
    QProgressBar* busy_ = nullptr;
    OverviewPage* overview_ = nullptr;
    CertificatePage* certificates_ = nullptr;
    TextPage* text_ = nullptr;
    FacePage* face_ = nullptr;
    HistoryPage* history_ = nullptr;
    SharingPage* sharing_ = nullptr;
};

// The PinDialog as a PinProvider: the helper's trusted dialog, in-process.
[[nodiscard]] std::optional<SecureBytes> ask_pin_with_dialog(const pinhelper::Request& request,
                                                             QWidget* parent);

}  // namespace mynacard::gui
