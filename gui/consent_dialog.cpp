#include "gui/consent_dialog.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/error.h"
#include "gui/certificate_info.h"
#include "gui/messages.h"

namespace mynacard::gui {

namespace {

QLabel* value(const QString& text, const QString& accessible_name) {
    auto* l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);  // a program path or name is never markup
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    l->setAccessibleName(accessible_name);
    return l;
}

}  // namespace

ConsentDialog::ConsentDialog(const x509::Certificate& certificate, const QString& program, long pid,
                             QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Share your personal data?"));
    setAccessibleName(windowTitle());
    setModal(true);
    // Wide enough that the address and the explanation read as sentences,
    // not as a column of fragments.
    setMinimumWidth(520);
    auto* layout = new QVBoxLayout(this);

    const QString name = QFileInfo(program).fileName();
    auto* headline =
        new QLabel(tr("The program \"%1\" asks for your digital signature certificate.")
                       .arg(name.isEmpty() ? program : name),
                   this);
    headline->setWordWrap(true);
    headline->setTextFormat(Qt::PlainText);
    QFont bold = headline->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    headline->setFont(bold);

    auto* who = new QGroupBox(tr("Who asks"), this);
    auto* whoForm = new QFormLayout(who);
    program_ = value(program, tr("Program"));
    whoForm->addRow(tr("Program:"), program_);
    whoForm->addRow(tr("Process ID:"), value(QString::number(pid), tr("Process ID")));

    auto* what = new QGroupBox(tr("What it would receive"), this);
    auto* whatLayout = new QVBoxLayout(what);
    auto* explain = new QLabel(tr("The certificate carries these facts about you. Every program "
                                  "you allow can read and keep them:"),
                               what);
    explain->setWordWrap(true);
    auto* whatForm = new QFormLayout;
    QStringList spoken;
    try {
        if (const auto a = x509::jpki_attributes(certificate)) {
            const QString n = QString::fromStdString(a->name);
            const QString addr = QString::fromStdString(a->address);
            const QString birth = date_text(a->birth_date);
            const QString sex = sex_text(a->sex);
            whatForm->addRow(tr("Name:"), value(n, tr("Name")));
            whatForm->addRow(tr("Address:"), value(addr, tr("Address")));
            whatForm->addRow(tr("Date of birth:"), value(birth, tr("Date of birth")));
            whatForm->addRow(tr("Sex:"), value(sex, tr("Sex")));
            spoken << n << addr << birth << sex;
        } else {
            whatForm->addRow(value(tr("This certificate carries no personal facts."), {}));
        }
    } catch (const Error& e) {
        whatForm->addRow(value(describe(e), {}));
    }
    whatForm->addRow(tr("Valid until:"),
                     value(local_time_text(certificate.not_after()), tr("Valid until")));
    disclosure_ = value(spoken.join(QLatin1Char('\n')), tr("Disclosed facts"));
    disclosure_->hide();  // the same facts once more, as one text for tests and screen readers
    whatLayout->addWidget(explain);
    whatLayout->addLayout(whatForm);
    whatLayout->addWidget(disclosure_);

    auto* note = new QLabel(tr("Your choice is remembered for this program and this certificate. "
                               "It is recorded in your card's usage history."),
                            this);
    note->setWordWrap(true);

    deny_ = new QPushButton(tr("&Deny"), this);
    deny_->setAccessibleName(tr("Deny: do not give the certificate"));
    allow_ = new QPushButton(tr("&Allow"), this);
    allow_->setAccessibleName(tr("Allow: give the certificate to this program"));
    // Deny is the default: Enter refuses, and so does Escape (reject()).
    allow_->setAutoDefault(false);
    deny_->setAutoDefault(true);
    deny_->setDefault(true);
    connect(allow_, &QPushButton::clicked, this, [this]() {
        allowed_ = true;
        accept();
    });
    connect(deny_, &QPushButton::clicked, this, [this]() {
        allowed_ = false;
        reject();
    });
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(allow_);
    buttons->addWidget(deny_);

    layout->addWidget(headline);
    layout->addWidget(who);
    layout->addWidget(what);
    layout->addWidget(note);
    layout->addLayout(buttons);
    deny_->setFocus();
}

}  // namespace mynacard::gui
