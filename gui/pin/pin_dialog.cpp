#include "gui/pin/pin_dialog.h"

#include <QCheckBox>
#include <QColor>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QValidator>
#include <array>
#include <string_view>

#include "card/card.h"
#include "core/error.h"

namespace mynacard::gui {

namespace {

const card::PinRule& rule_of(card::Pin pin) {
    return card::CardProfile::my_number_card().rule(pin);
}

// Overwrites a QString's characters before dropping them. Only useful when
// `s` is the sole owner of its buffer (callers release the others first);
// otherwise data() detaches and the shared buffer stays as it was.
void wipe(QString& s) noexcept {
    if (!s.isEmpty()) secure_zero(s.data(), static_cast<std::size_t>(s.size()) * sizeof(QChar));
    s.clear();
}

// What the field holds, judged by the card layer's own rules (decision 5)
// on a stack copy that is zeroised at once.
enum class Shape { empty, well_formed, too_short, needs_letter_and_digit, malformed };

Shape shape_of(card::Pin pin, const QString& text) {
    if (text.isEmpty()) return Shape::empty;
    const card::PinRule& rule = rule_of(pin);
    std::array<std::uint8_t, pinhelper::max_pin_bytes> buf{};
    const auto n = static_cast<std::size_t>(text.size());
    if (n > buf.size()) return Shape::malformed;
    for (std::size_t i = 0; i < n; ++i) {
        const char16_t u = text.at(static_cast<qsizetype>(i)).unicode();
        buf.at(i) = u < 0x80 ? static_cast<std::uint8_t>(u) : std::uint8_t{0};
    }
    Shape s = Shape::well_formed;
    try {
        card::check_pin_format(card::CardProfile::my_number_card(), pin, ByteView(buf.data(), n));
    } catch (const Error&) {
        if (n < rule.min_length)
            s = Shape::too_short;
        else if (rule.needs_letter_and_digit && n <= rule.max_length)
            s = Shape::needs_letter_and_digit;
        else
            s = Shape::malformed;
    }
    secure_zero(buf.data(), buf.size());
    return s;
}

// Lets through only what the PIN can contain: digits for the 4-digit PINs;
// A–Z and digits for the sign password, lower case upper-cased as typed
// (the card compares bytes; card::normalise_pin does the same).
class PinValidator : public QValidator {
  public:
    PinValidator(card::Pin pin, QObject* parent) : QValidator(parent), pin_(pin) {}

    State validate(QString& input, int& /*pos*/) const override {
        const card::PinRule& rule = rule_of(pin_);
        if (static_cast<std::size_t>(input.size()) > rule.max_length) return Invalid;
        for (QChar& c : input) {
            const char16_t u = c.unicode();
            if (u >= u'0' && u <= u'9') continue;
            if (!rule.digits_only && u >= u'a' && u <= u'z') {
                c = QChar(static_cast<char16_t>(u - u'a' + u'A'));
                continue;
            }
            if (!rule.digits_only && u >= u'A' && u <= u'Z') continue;
            return Invalid;
        }
        return shape_of(pin_, input) == Shape::well_formed ? Acceptable : Intermediate;
    }

  private:
    card::Pin pin_;
};

QLabel* plain_label(const QString& text, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    // The program path and the reader name come from the caller: never
    // interpreted as rich text.
    l->setTextFormat(Qt::PlainText);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

}  // namespace

QString pin_title(card::Pin pin) {
    switch (pin) {
        case card::Pin::auth:
            return PinDialog::tr("user authentication PIN");
        case card::Pin::sign:
            return PinDialog::tr("digital signature password");
        case card::Pin::text:
            return PinDialog::tr("PIN for the basic information (券面事項入力補助)");
    }
    return {};
}

QString purpose_text(pinhelper::Purpose purpose) {
    using pinhelper::Purpose;
    switch (purpose) {
        case Purpose::login:
            return PinDialog::tr("Sign in with your card (prove who you are)");
        case Purpose::sign:
            return PinDialog::tr("Make an electronic signature");
        case Purpose::read_certificate:
            return PinDialog::tr(
                "Read your signature certificate (it contains your name, address, birth date and "
                "sex)");
        case Purpose::change_pin:
            return PinDialog::tr("Change this PIN");
        case Purpose::read_text:
            return PinDialog::tr("Read your My Number and your name, address, birth date and sex");
    }
    return {};
}

PinDialog::PinDialog(const pinhelper::Request& request, QWidget* parent)
    : PinDialog(request, QString(), parent) {}

PinDialog::PinDialog(const pinhelper::Request& request, const QString& stated_program,
                     QWidget* parent)
    : QDialog(parent), request_(request) {
    setWindowTitle(tr("My Number Card PIN"));
    // A trusted prompt must not hide behind the window that asked for it.
    setWindowFlag(Qt::WindowStaysOnTopHint);
    setModal(true);
    setAccessibleName(windowTitle());

    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(12);
    layout->setContentsMargins(24, 20, 24, 20);
    setMinimumWidth(460);

    const bool current = request_.entry == pinhelper::Entry::current;
    if (!current) request_.tries_left = -1;  // tries belong to the PIN the card holds now
    // Asked only when the card shows one try left (decision 5).
    if (confirming()) request_.tries_left = 1;
    const bool blocked = request_.tries_left == 0;
    QString head;
    if (confirming())
        head = tr("Allow this program to use the last try?");
    else if (blocked)
        head = tr("Your %1 is blocked").arg(pin_title(request_.pin));
    else if (request_.entry == pinhelper::Entry::new_pin)
        head = tr("Choose your new %1").arg(pin_title(request_.pin));
    else if (request_.entry == pinhelper::Entry::repeat_new)
        head = tr("Enter the new %1 again").arg(pin_title(request_.pin));
    else
        head = tr("Enter your %1").arg(pin_title(request_.pin));
    auto* heading = plain_label(head, this);
    QFont big = heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    heading->setFont(big);
    heading->setAccessibleName(heading->text());
    layout->addWidget(heading);

    // Who asks, why, where: the facts a person needs to decide.
    auto* facts = new QFormLayout;
    facts->setLabelAlignment(Qt::AlignLeft);
    const QString program = QString::fromStdString(request_.program);
    const QString base = QFileInfo(program).fileName();
    // The program's name stands out; its path and process id say which one.
    auto* who = new QWidget(this);
    auto* who_layout = new QVBoxLayout(who);
    who_layout->setContentsMargins(0, 0, 0, 0);
    who_layout->setSpacing(2);
    auto* name = plain_label(base.isEmpty() ? tr("An unknown program") : base, who);
    QFont bold_name = name->font();
    bold_name.setBold(true);
    name->setFont(bold_name);
    program_ = name;
    auto* path = plain_label(
        program.isEmpty()
            ? tr("process %1; the system does not say which program runs there").arg(request_.pid)
            : tr("%1 (process %2)").arg(program).arg(request_.pid),
        who);
    who_layout->addWidget(name);
    who_layout->addWidget(path);
    QString who_text = name->text() + QLatin1Char('\n') + path->text();
    // The caller's own --program text is a claim: a subtitle, never the name.
    if (!stated_program.isEmpty() && stated_program != program) {
        stated_ =
            plain_label(tr("It calls itself \"%1\"; the name above is what the system reports.")
                            .arg(stated_program),
                        who);
        stated_->setAccessibleName(stated_->text());
        who_layout->addWidget(stated_);
        who_text += QLatin1Char('\n') + stated_->text();
    }
    name->setAccessibleName(tr("Requested by: %1").arg(who_text));
    path->setAccessibleName(path->text());
    facts->addRow(tr("Requested by:"), who);
    auto* why = plain_label(purpose_text(request_.purpose), this);
    why->setAccessibleName(tr("Purpose: %1").arg(why->text()));
    facts->addRow(tr("Purpose:"), why);
    auto* where = plain_label(QString::fromStdString(request_.reader), this);
    where->setAccessibleName(tr("Card reader: %1").arg(where->text()));
    facts->addRow(tr("Card reader:"), where);
    if (request_.tries_left >= 0) {
        auto* tries = plain_label(
            tr("%1 of %2").arg(request_.tries_left).arg(rule_of(request_.pin).max_tries), this);
        tries->setAccessibleName(tr("Tries left: %1").arg(tries->text()));
        facts->addRow(tr("Tries left:"), tries);
    }
    layout->addLayout(facts);

    auto* line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);

    auto* buttons = new QDialogButtonBox(this);
    if (blocked) {
        outcome_ = Outcome::blocked;
        build_blocked(this);
        cancel_ = buttons->addButton(tr("Close"), QDialogButtonBox::RejectRole);
        cancel_->setAccessibleName(tr("Close"));
        cancel_->setDefault(true);
        layout->addWidget(buttons);
        connect(cancel_, &QPushButton::clicked, this, &PinDialog::reject);
        return;
    }

    if (confirming()) {
        build_confirm(this);
        start_countdown(layout);
        ok_ = buttons->addButton(tr("Allow"), QDialogButtonBox::AcceptRole);
        ok_->setAccessibleName(tr("Allow"));
        ok_->setAccessibleDescription(tr("Lets the program send its PIN as the last try"));
        ok_->setAutoDefault(false);
        ok_->setEnabled(false);
        cancel_ = buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
        cancel_->setAccessibleName(tr("Cancel"));
        cancel_->setAccessibleDescription(tr("The program's PIN is not sent; no try is used"));
        // Enter never spends the last try by accident.
        cancel_->setDefault(true);
        connect(ok_, &QPushButton::clicked, this, &PinDialog::accept);
        connect(cancel_, &QPushButton::clicked, this, &PinDialog::reject);
        layout->addWidget(buttons);
        setTabOrder(confirm_, cancel_);
        setTabOrder(cancel_, ok_);
        confirm_->setFocus(Qt::OtherFocusReason);
        return;
    }

    build_entry(this);
    start_countdown(layout);

    ok_ = buttons->addButton(tr("OK"), QDialogButtonBox::AcceptRole);
    ok_->setAccessibleName(tr("OK"));
    ok_->setAccessibleDescription(tr("Sends the PIN to the card"));
    ok_->setDefault(true);  // Enter = OK (when enabled)
    cancel_ = buttons->addButton(tr("Cancel"), QDialogButtonBox::RejectRole);
    cancel_->setAccessibleName(tr("Cancel"));
    cancel_->setAccessibleDescription(tr("Closes the dialog; no try is used"));
    cancel_->setAutoDefault(false);
    connect(ok_, &QPushButton::clicked, this, &PinDialog::accept);
    connect(cancel_, &QPushButton::clicked, this, &PinDialog::reject);
    layout->addWidget(buttons);

    // Tab order: field, keypad, confirmation, OK, Cancel.
    QWidget* prev = field_;
    const auto chain = [&prev](QWidget* next) {
        if (next == nullptr) return;
        setTabOrder(prev, next);
        prev = next;
    };
    for (const int d : {1, 2, 3, 4, 5, 6, 7, 8, 9, 0}) chain(keys_[d]);
    chain(findChild<QPushButton*>(QStringLiteral("keypad_delete")));
    chain(findChild<QPushButton*>(QStringLiteral("keypad_clear")));
    chain(confirm_);
    chain(ok_);
    chain(cancel_);

    update_state();
    field_->setFocus(Qt::OtherFocusReason);
}

void PinDialog::start_countdown(QVBoxLayout* layout) {
    if (request_.timeout.count() <= 0) return;
    remaining_ = static_cast<long>(request_.timeout.count());
    countdown_ = plain_label({}, this);
    countdown_->setAccessibleName(tr("Time left"));
    layout->addWidget(countdown_);
    timer_ = new QTimer(this);
    timer_->setInterval(1000);
    connect(timer_, &QTimer::timeout, this, &PinDialog::tick);
    timer_->start();
    countdown_->setText(tr("This dialog closes in %1 seconds.").arg(remaining_));
}

PinDialog::~PinDialog() {
    if (field_ != nullptr) wipe_field();
}

void PinDialog::build_entry(QWidget* body) {
    auto* layout = qobject_cast<QVBoxLayout*>(body->layout());
    const card::Pin pin = request_.pin;
    const card::PinRule& rule = rule_of(pin);
    const QString hint =
        rule.digits_only
            ? tr("%1 digits").arg(rule.max_length)
            : tr("%1 to %2 characters: capital letters A–Z and digits, at least one of each. "
                 "Lower-case letters become capitals as you type.")
                  .arg(rule.min_length)
                  .arg(rule.max_length);

    auto* label = new QLabel(tr("&PIN:"), body);
    field_ = new QLineEdit(body);
    label->setBuddy(field_);
    field_->setObjectName(QStringLiteral("pin_field"));
    field_->setEchoMode(QLineEdit::Password);
    field_->setMaxLength(static_cast<int>(rule.max_length));
    field_->setValidator(new PinValidator(pin, field_));
    // No prediction, no learning, no clipboard copy of the secret.
    field_->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText |
                                Qt::ImhNoAutoUppercase |
                                (rule.digits_only ? Qt::ImhDigitsOnly : Qt::ImhPreferUppercase));
    field_->setContextMenuPolicy(Qt::NoContextMenu);
    field_->setDragEnabled(false);
    field_->setAccessibleName(pin_title(pin));
    field_->setAccessibleDescription(hint);
    QFont f = field_->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    field_->setFont(f);
    field_->setMinimumWidth(280);
    auto* row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(field_, 1);
    layout->addLayout(row);

    auto* hint_label = plain_label(hint, body);
    hint_label->setAccessibleName(tr("PIN format"));
    hint_label->setAccessibleDescription(hint);
    layout->addWidget(hint_label);

    message_ = plain_label({}, body);
    message_->setObjectName(QStringLiteral("pin_message"));
    message_->setAccessibleName(tr("PIN check"));
    QPalette pal = message_->palette();
    pal.setColor(QPalette::WindowText, QColor(0xa3, 0x1f, 0x1f));  // readable dark red
    message_->setPalette(pal);
    layout->addWidget(message_);

    if (rule.digits_only) {
        // On-screen keypad for the 4-digit PINs (touch screens, kiosks); the
        // keyboard works as well. Click focus stays in the field; Tab still
        // reaches every key.
        auto* grid = new QGridLayout;
        grid->setSpacing(6);
        const auto make = [&](const QString& text, const QString& name, const QString& desc) {
            auto* b = new QPushButton(text, body);
            b->setAutoDefault(false);
            b->setFocusPolicy(Qt::TabFocus);
            b->setMinimumSize(64, 48);
            b->setAccessibleName(name);
            b->setAccessibleDescription(desc);
            return b;
        };
        for (int d = 0; d <= 9; ++d) {
            auto* b = make(QString::number(d), tr("Digit %1").arg(d), tr("Types %1").arg(d));
            b->setObjectName(QStringLiteral("keypad_%1").arg(d));
            connect(b, &QPushButton::clicked, this, [this, d] { type_digit(d); });
            keys_[d] = b;
            if (d > 0) grid->addWidget(b, (d - 1) / 3, (d - 1) % 3);
        }
        auto* del = make(tr("Delete"), tr("Delete"), tr("Deletes the last digit"));
        del->setObjectName(QStringLiteral("keypad_delete"));
        connect(del, &QPushButton::clicked, this, &PinDialog::erase_last);
        auto* clr = make(tr("Clear"), tr("Clear"), tr("Deletes every digit"));
        clr->setObjectName(QStringLiteral("keypad_clear"));
        connect(clr, &QPushButton::clicked, this, [this] {
            wipe_field();
            field_->setFocus(Qt::OtherFocusReason);
        });
        grid->addWidget(del, 3, 0);
        grid->addWidget(keys_[0], 3, 1);
        grid->addWidget(clr, 3, 2);
        auto* center = new QHBoxLayout;
        center->addStretch();
        center->addLayout(grid);
        center->addStretch();
        layout->addLayout(center);
    }

    if (request_.tries_left == 1) {
        // Decision 5: the last try needs an explicit yes.
        auto* warning = plain_label(
            tr("Only one try is left. If this PIN is wrong, it is blocked and must be reset at "
               "your municipal office."),
            body);
        QFont bold = warning->font();
        bold.setBold(true);
        warning->setFont(bold);
        warning->setAccessibleName(warning->text());
        layout->addWidget(warning);
        confirm_ = new QCheckBox(tr("I have checked the PIN and want to use the &last try"), body);
        confirm_->setAccessibleName(confirm_->text().remove(QLatin1Char('&')));
        confirm_->setAccessibleDescription(tr("OK is enabled only when this is ticked"));
        connect(confirm_, &QCheckBox::toggled, this, &PinDialog::update_state);
        layout->addWidget(confirm_);
    }

    connect(field_, &QLineEdit::textChanged, this, &PinDialog::update_state);
}

void PinDialog::build_blocked(QWidget* body) {
    auto* layout = qobject_cast<QVBoxLayout*>(body->layout());
    QString text =
        tr("It was blocked after too many wrong entries. It can be reset at your municipal office "
           "(市区町村の窓口); bring your card.");
    if (request_.pin != card::Pin::text)
        text += QLatin1Char('\n') +
                tr("If you know your other PIN (the user authentication PIN or the digital "
                   "signature password), the convenience-store kiosk service may also reset it.");
    auto* explanation = plain_label(text, body);
    explanation->setObjectName(QStringLiteral("blocked_explanation"));
    explanation->setAccessibleName(tr("Why no PIN is asked"));
    explanation->setAccessibleDescription(text);
    layout->addWidget(explanation);
    message_ = explanation;
}

void PinDialog::build_confirm(QWidget* body) {
    auto* layout = qobject_cast<QVBoxLayout*>(body->layout());
    // What the person decides on: the PIN did not come from them, and a
    // wrong one costs the card.
    const QString text =
        tr("The program supplied the PIN itself; it was not typed in this dialog. The card has "
           "only one try left for your %1: if this PIN is wrong, the PIN is blocked and can only "
           "be reset at your municipal office (市区町村の窓口).")
            .arg(pin_title(request_.pin));
    auto* warning = plain_label(text, body);
    warning->setObjectName(QStringLiteral("last_try_explanation"));
    QFont bold = warning->font();
    bold.setBold(true);
    warning->setFont(bold);
    warning->setAccessibleName(tr("Why you are asked"));
    warning->setAccessibleDescription(text);
    layout->addWidget(warning);
    message_ = warning;
    confirm_ =
        new QCheckBox(tr("I trust this program's PIN and allow it to use the &last try"), body);
    confirm_->setAccessibleName(confirm_->text().remove(QLatin1Char('&')));
    confirm_->setAccessibleDescription(tr("Allow is enabled only when this is ticked"));
    connect(confirm_, &QCheckBox::toggled, this, [this] { ok_->setEnabled(can_accept()); });
    layout->addWidget(confirm_);
}

QPushButton* PinDialog::keypad_button(int digit) const {
    if (digit < 0 || digit > 9) return nullptr;
    return keys_[digit];
}

void PinDialog::type_digit(int digit) {
    if (field_ == nullptr) return;
    field_->insert(QString(QChar(static_cast<char16_t>(u'0' + digit))));
    field_->setFocus(Qt::OtherFocusReason);
}

void PinDialog::erase_last() {
    if (field_ == nullptr) return;
    field_->end(false);
    field_->backspace();
    field_->setFocus(Qt::OtherFocusReason);
}

bool PinDialog::can_accept() const {
    if (confirming()) return confirm_ != nullptr && confirm_->isChecked();
    if (field_ == nullptr) return false;
    if (shape_of(request_.pin, field_->text()) != Shape::well_formed) return false;
    return confirm_ == nullptr || confirm_->isChecked();
}

void PinDialog::update_state() {
    if (field_ == nullptr) return;
    const card::PinRule& rule = rule_of(request_.pin);
    const auto length = field_->text().size();
    QString msg;
    switch (shape_of(request_.pin, field_->text())) {
        case Shape::empty:
        case Shape::well_formed:
            break;
        case Shape::too_short:
            msg = rule.digits_only
                      ? tr("The PIN has %1 digits; %2 entered so far.")
                            .arg(rule.min_length)
                            .arg(length)
                      : tr("The password needs at least %1 characters; %2 entered so far.")
                            .arg(rule.min_length)
                            .arg(length);
            break;
        case Shape::needs_letter_and_digit:
            msg = tr("The password needs at least one letter and one digit.");
            break;
        case Shape::malformed:
            msg = tr("This is not a valid PIN.");
            break;
    }
    message_->setText(msg);
    message_->setAccessibleDescription(msg);
    if (ok_ != nullptr) ok_->setEnabled(can_accept());
}

void PinDialog::tick() {
    if (--remaining_ > 0) {
        countdown_->setText(tr("This dialog closes in %1 seconds.").arg(remaining_));
        return;
    }
    outcome_ = Outcome::timed_out;
    done(QDialog::Rejected);
}

void PinDialog::wipe_field() {
    if (field_ == nullptr) return;
    QString text = field_->text();
    // setText (not clear()) also empties the undo history, which clear()
    // would fill with the removed characters; afterwards `text` is the only
    // owner of the old buffer and can be overwritten in place.
    field_->setText(QString());
    wipe(text);
}

SecureBytes PinDialog::take_pin() {
    SecureBytes out;
    out.swap(pin_);
    return out;
}

void PinDialog::accept() {
    if (!can_accept()) return;  // Enter on a malformed PIN does nothing
    if (confirming()) {
        outcome_ = Outcome::confirmed;
        done(QDialog::Accepted);
        return;
    }
    QString text = field_->text();
    field_->setText(QString());
    SecureBytes typed;
    typed.reserve(static_cast<std::size_t>(text.size()));
    for (const QChar c : text) typed.push_back(static_cast<std::uint8_t>(c.unicode()));
    wipe(text);
    try {
        pin_ = card::normalise_pin(
            request_.pin,
            std::string_view(reinterpret_cast<const char*>(typed.data()), typed.size()));
        card::check_pin_format(card::CardProfile::my_number_card(), request_.pin, pin_);
    } catch (const Error&) {
        pin_.clear();  // cannot happen: can_accept() checked the same rules
        return;
    }
    outcome_ = Outcome::entered;
    done(QDialog::Accepted);
}

void PinDialog::reject() {
    if (outcome_ != Outcome::blocked) outcome_ = Outcome::cancelled;
    done(QDialog::Rejected);
}

void PinDialog::done(int result) {
    if (timer_ != nullptr) timer_->stop();
    if (result != QDialog::Accepted) pin_.clear();
    wipe_field();
    QDialog::done(result);
}

}  // namespace mynacard::gui
