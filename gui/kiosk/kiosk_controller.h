#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "card/card.h"
#include "core/bytes.h"
#include "gui/common/card_service.h"
#include "gui/common/keypad_pin.h"
#include "gui/kiosk/kiosk_backend.h"
#include "gui/kiosk/kiosk_config.h"
#include "gui/kiosk/kiosk_handover.h"

namespace mynacard::gui {

enum class KioskState {
    start,             // insert your card
    checking,          // reading the tries left
    pin_entry,         // 4-digit 券面事項入力補助 PIN
    confirm_last_try,  // one try left: explicit confirmation (decision 5)
    reading,           // VERIFY + read on the worker thread
    handover,          // data sent; shown with the My Number masked
    remove_card,       // please take your card
    blocked,           // PIN blocked: reset at the municipal office counter
    failed,            // the card could not be used; see notice()
};

// Why the screen shows what it shows; the window turns it into text.
enum class KioskNotice {
    none,
    pin_format,          // not 4 digits: refused before the card was touched
    pin_incorrect,       // wrong PIN; triesLeft() says how many remain
    cancelled,           // the citizen cancelled
    timed_out,           // idle / PIN time-out wiped the screen
    not_my_number_card,  // no 券面事項入力補助AP
    card_unreadable,     // mute card or card error
    send_failed,         // the kiosk application did not take the data
};

enum class StaffLogin { ok, wrong_pin, locked, disabled };

// The kiosk's state machine (no widgets, so tests drive it directly):
// start → checking → pin_entry [→ confirm_last_try] → reading → handover →
// remove_card → start. Removing the card at any point, or the idle time-out,
// wipes the PIN digits, the card data and the JSON text (decision 11,
// §B.2 "reset state between users").
class KioskController : public QObject {
    Q_OBJECT
  public:
    using OutputWriter = std::function<bool(std::string_view line)>;
    // `output` defaults to write_kiosk_output(config.output, …).
    KioskController(KioskConfig config, KioskCardBackend& backend, QObject* parent = nullptr,
                    OutputWriter output = {});
    ~KioskController() override;
    KioskController(const KioskController&) = delete;
    KioskController& operator=(const KioskController&) = delete;

    // Follows the service's readers (connects readersChanged).
    void follow(CardService& service);
    // Readers and cards as the monitor sees them (UI thread).
    void updateReaders(const QList<ReaderInfo>& readers);

    // The citizen's input. Digits beyond four are ignored; nothing is sent
    // to the card before submitPin() and the format check.
    void appendDigit(int digit);
    void removeDigit();
    void clearPin();
    void submitPin();
    void confirmLastTry();
    void cancel();
    void finish();  // handover → take your card
    void setMyNumberRevealed(bool revealed);
    // Any touch or key: restarts the idle (and PIN, when configured) timer.
    void noteActivity();

    // Staff-assisted mode (operator PIN). Staff can return to start and
    // see the reader status, but never type or see the citizen's PIN nor
    // the My Number: entering staff mode clears PIN digits typed so far,
    // digits are refused while it is on, and the My Number stays masked.
    [[nodiscard]] StaffLogin staffLogin(std::string_view operator_pin);
    void staffLogout();
    void staffReturnToStart();
    [[nodiscard]] bool staffMode() const noexcept { return staff_; }
    [[nodiscard]] bool staffAvailable() const noexcept {
        return !config_.operator_pin_hash.empty();
    }

    [[nodiscard]] const KioskConfig& config() const noexcept { return config_; }
    [[nodiscard]] KioskState state() const noexcept { return state_; }
    [[nodiscard]] KioskNotice notice() const noexcept { return notice_; }
    [[nodiscard]] int triesLeft() const noexcept { return tries_left_; }
    [[nodiscard]] int pinLength() const noexcept { return static_cast<int>(pin_.size()); }
    [[nodiscard]] bool cardLeftAlert() const noexcept { return alert_; }
    [[nodiscard]] QString activeReader() const { return reader_; }
    // For staff: the readers the config matches, with card presence.
    [[nodiscard]] QList<ReaderInfo> matchingReaders() const;

    // The card data while in handover, else empty strings.
    [[nodiscard]] bool hasCardData() const noexcept { return data_ != nullptr; }
    [[nodiscard]] QString name() const;
    [[nodiscard]] QString address() const;
    [[nodiscard]] QString birthDate() const;  // YYYYMMDD
    [[nodiscard]] QString sex() const;        // JIS X 0303 digit
    // Masked unless the citizen asked (and never in staff mode).
    [[nodiscard]] QString displayedMyNumber() const;
    [[nodiscard]] bool myNumberRevealed() const noexcept { return revealed_ && !staff_; }
    // Bytes of the last handover JSON still held (0 after it was sent and
    // wiped): lets tests check nothing lingers.
    [[nodiscard]] std::size_t pendingOutputBytes() const noexcept { return json_.size(); }

  signals:
    void changed();  // anything the screen shows
    void stateChanged(mynacard::gui::KioskState state);
    void pinEntryStarted();  // a new attempt: the window reshuffles the keypad
    void cardLeftAlertChanged(bool on);
    void staffModeChanged(bool on);
    void handedOver();
    void wiped();

  private:
    void enter(KioskState s, KioskNotice n = KioskNotice::none);
    void wipe() noexcept;
    // Wipes, then start (reader empty) or take your card (card still in:
    // the next person must not meet a card someone else left).
    void resetFlow(KioskNotice n);
    void beginFlow(const QString& reader, bool mute);
    void onTries(int flow, Outcome<int> outcome);
    void startRead(bool confirmed);
    void onRead(int flow, Outcome<std::shared_ptr<KioskCardData>> outcome);
    void onIdle();
    void onPinTimeout();
    void onAlert();
    void setAlert(bool on);
    [[nodiscard]] bool readerMatches(const QString& name) const;
    [[nodiscard]] bool activeCardPresent() const;
    [[nodiscard]] bool isTakeCardState() const noexcept;

    KioskConfig config_;
    KioskCardBackend& backend_;
    OutputWriter output_;

    KioskState state_ = KioskState::start;
    KioskNotice notice_ = KioskNotice::none;
    QList<ReaderInfo> readers_;
    QSet<QString> present_;  // matching readers with a card at the last update
    QString reader_;         // the reader of the current citizen's card
    int flow_ = 0;           // bumped on every wipe: late worker answers are dropped
    int tries_left_ = -1;
    KeypadPin pin_;  // the digits typed so far
    std::shared_ptr<KioskCardData> data_;
    std::string json_;
    bool revealed_ = false;
    bool alert_ = false;
    bool staff_ = false;
    int staff_failures_ = 0;
    QDateTime staff_locked_until_;

    QTimer idle_timer_;
    QTimer pin_timer_;
    QTimer alert_timer_;
};

}  // namespace mynacard::gui
