#include "gui/common/certificate_info.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QLocale>

#include <chrono>
#include <string>

#include "card/facts.h"
#include "core/bytes.h"
#include "gui/common/i18n.h"

namespace mynacard::gui {

namespace {

QDateTime to_qt(x509::TimePoint t) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms), Qt::UTC);
}

}  // namespace

Validity validity_of(const x509::Certificate& cert, x509::TimePoint now) {
    const QDateTime at = to_qt(now);
    if (to_qt(cert.not_before()) > at) return Validity::not_yet_valid;
    const QDateTime end = to_qt(cert.not_after());
    if (end <= at) return Validity::expired;
    if (end <= at.addMonths(3)) return Validity::expiring_soon;
    return Validity::valid;
}

QString validity_text(Validity v) {
    switch (v) {
        case Validity::valid:
            return QCoreApplication::translate("CertificateInfo", "valid");
        case Validity::expiring_soon:
            return QCoreApplication::translate("CertificateInfo", "expires soon");
        case Validity::expired:
            return QCoreApplication::translate("CertificateInfo", "expired");
        case Validity::not_yet_valid:
            return QCoreApplication::translate("CertificateInfo", "not yet valid");
    }
    return {};
}

QString validity_warning(const x509::Certificate& cert, x509::TimePoint now) {
    const QString end = local_time_text(cert.not_after());
    switch (validity_of(cert, now)) {
        case Validity::valid:
            return {};
        case Validity::expiring_soon:
            return QCoreApplication::translate(
                       "CertificateInfo",
                       "This certificate expires on %1. Renew it at your municipal office "
                       "before then; after that date it cannot be used.")
                .arg(end);
        case Validity::expired:
            return QCoreApplication::translate(
                       "CertificateInfo",
                       "This certificate expired on %1 and can no longer be used. New "
                       "certificates are issued at your municipal office.")
                .arg(end);
        case Validity::not_yet_valid:
            return QCoreApplication::translate(
                       "CertificateInfo",
                       "This certificate is not valid yet (from %1). Check the computer's clock.")
                .arg(local_time_text(cert.not_before()));
    }
    return {};
}

QString certificate_title(card::Certificate which) {
    switch (which) {
        case card::Certificate::auth:
            return QCoreApplication::translate("CertificateInfo",
                                               "User authentication certificate");
        case card::Certificate::sign:
            return QCoreApplication::translate("CertificateInfo", "Digital signature certificate");
        case card::Certificate::auth_ca:
            return QCoreApplication::translate("CertificateInfo",
                                               "User authentication CA certificate");
        case card::Certificate::sign_ca:
            return QCoreApplication::translate("CertificateInfo",
                                               "Digital signature CA certificate");
    }
    return {};
}

QString local_time_text(x509::TimePoint t) {
    return QLocale().toString(to_qt(t).toLocalTime(), QLocale::ShortFormat);
}

namespace {
card::Language card_language() noexcept {
    return current_language() == Language::ja ? card::Language::ja : card::Language::en;
}
}  // namespace

QString date_text(std::string_view yyyymmdd) {
    std::string shown =
        card::birth_date_text(yyyymmdd, card_language()).value_or(std::string(yyyymmdd));
    QString out = QString::fromStdString(shown);
    mynacard::wipe(shown);
    return out;
}

QString sex_text(std::string_view code) {
    const std::string_view words = card::sex_text(code, card_language());
    return QString::fromUtf8(words.data(), static_cast<qsizetype>(words.size()));
}

}  // namespace mynacard::gui
