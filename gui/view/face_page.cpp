#include "gui/view/face_page.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSaveFile>
#include <QScrollArea>
#include <QVBoxLayout>

#include "gui/common/certificate_info.h"
#include "gui/common/jpeg2000.h"
#include "gui/common/secret_field.h"
#include "gui/view/page_util.h"

namespace mynacard::gui {

namespace {

// 照合番号B: 14 digits (birth date YYMMDD, expiry year YYYY, security code).
constexpr int kCodeLength = 14;
constexpr int kPhotoMinWidth = 160;

}  // namespace

FacePage::FacePage(CardViewController& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(
        tr("The card-face application (券面AP) holds the images printed on the card. It is "
           "unlocked with 照合番号B, 14 digits: your date of birth (YYMMDD), the card's expiry "
           "year (YYYY) and the 4-digit security code printed on the front."),
        this);
    intro->setWordWrap(true);

    auto* row = new QHBoxLayout;
    auto* codeLabel = new QLabel(tr("照合番号&B:"), this);
    code_b_ = new QLineEdit(this);
    code_b_->setEchoMode(QLineEdit::Password);
    code_b_->setMaxLength(kCodeLength);
    code_b_->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[0-9]{0,14}")), code_b_));
    code_b_->setAccessibleName(tr("照合番号B, 14 digits"));
    code_b_->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhSensitiveData |
                                 Qt::ImhNoPredictiveText);
    codeLabel->setBuddy(code_b_);
    auto* read = new QPushButton(tr("Read card &face"), this);
    read->setAccessibleName(tr("Read the card face images"));
    connect(read, &QPushButton::clicked, this, &FacePage::readFaceData);
    connect(code_b_, &QLineEdit::returnPressed, this, &FacePage::readFaceData);
    row->addWidget(codeLabel);
    row->addWidget(code_b_);
    row->addWidget(read);
    row->addStretch();

    face_name_ = new QLabel(this);
    face_name_->setAccessibleName(tr("Name as printed on the card"));
    face_address_ = new QLabel(this);
    face_address_->setAccessibleName(tr("Address as printed on the card"));
    photo_ = new QLabel(this);
    photo_->setWordWrap(true);
    photo_->setAccessibleName(tr("Photo"));
    photo_->setMinimumWidth(kPhotoMinWidth);
    face_facts_ = value_label(tr("Facts printed on the card"));
    save_photo_ = new QPushButton(tr("Save &photo…"), this);
    save_photo_->setAccessibleName(tr("Save the photo (JPEG 2000) to a file"));
    save_photo_->setEnabled(false);
    connect(save_photo_, &QPushButton::clicked, this, &FacePage::savePhoto);

    auto* images = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    left->addWidget(face_name_);
    left->addWidget(face_address_);
    left->addWidget(face_facts_);
    left->addStretch();
    auto* photoColumn = new QVBoxLayout;
    photoColumn->addWidget(photo_);
    photoColumn->addWidget(save_photo_);
    photoColumn->addStretch();
    images->addLayout(left, 1);
    images->addLayout(photoColumn);

    auto* inner = new QWidget;
    inner->setLayout(images);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(inner);

    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(scroll, 1);

    connect(&controller_, &CardViewController::faceChanged, this, &FacePage::showFace);
    connect(&controller_, &CardViewController::cardDataWiped, this, &FacePage::wipeShown);
}

void FacePage::readFaceData() {
    // The typed code leaves the field whatever happens next: it is as good
    // as a PIN for the images.
    controller_.readFaceData(take_secret(code_b_));
}

bool FacePage::holdsData() const {
    return !face_facts_->text().isEmpty() || !face_name_->pixmap().isNull() ||
           !face_address_->pixmap().isNull() || !photo_->pixmap().isNull();
}

void FacePage::wipeShown() {
    wipe(face_facts_);
    face_name_->clear();
    face_address_->clear();
    wipe(photo_);
    photo_->clear();
    save_photo_->setEnabled(false);
    // The code typed for this card is worth nothing for the next one.
    wipe_secret(code_b_);
}

void FacePage::showFace() {
    const auto& face = controller_.data().face;
    if (!face) return;
    const auto& f = *face;
    const auto pixmap = [](const Bytes& png) {
        QPixmap p;
        p.loadFromData(png.data(), static_cast<uint>(png.size()), "PNG");
        return p;
    };
    face_name_->setPixmap(pixmap(f.name_png));
    face_address_->setPixmap(pixmap(f.address_png));
    face_facts_->setText(tr("Date of birth: %1\nSex: %2\nCard valid until: %3")
                             .arg(date_text(f.birth_date), sex_text(f.sex), date_text(f.expiry)));
    // The photo is JPEG 2000 (card-facts.md §4.4), decoded with libopenjp2.
    QImage photo = decode_jpeg2000(f.photo_jp2);
    if (!photo.isNull()) {
        photo_->setPixmap(QPixmap::fromImage(photo));
    } else {
        photo_->setText(
            tr("The photo on the card could not be decoded. You can still save it to a "
               "file (JPEG 2000)."));
    }
    save_photo_->setEnabled(!f.photo_jp2.empty());
}

void FacePage::savePhoto() {
    const auto& face = controller_.data().face;
    if (!face || face->photo_jp2.empty()) return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save photo"), QStringLiteral("photo.jp2"), tr("JPEG 2000 image (*.jp2)"));
    if (path.isEmpty()) return;
    const Bytes& jp2 = face->photo_jp2;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(reinterpret_cast<const char*>(jp2.data()), static_cast<qint64>(jp2.size())) !=
            static_cast<qint64>(jp2.size()) ||
        !file.commit()) {
        controller_.showError(Error(Errc::io, "cannot write the photo"));
        return;
    }
    controller_.showInfo(tr("The photo was saved to %1.").arg(path));
}

}  // namespace mynacard::gui
