#include "gui/common/messages.h"

#include <QCoreApplication>

namespace mynacard::gui {

// QCoreApplication::translate with a literal context, so lupdate finds
// every sentence.
QString describe(const mynacard::Error& error) {
    // No default: a new Errc must get its sentence here (-Wswitch).
    switch (error.code()) {
        case Errc::pin_incorrect:
            if (error.tries_left() >= 0)
                return QCoreApplication::translate(
                    "Messages", "The PIN is not correct. %n tries left before it is blocked.",
                    nullptr, error.tries_left());
            return QCoreApplication::translate("Messages", "The PIN is not correct.");
        case Errc::pin_blocked:
            return QCoreApplication::translate(
                "Messages",
                "The PIN is blocked: no tries are left. It can only be reset at your "
                "municipal office (市区町村の窓口); bring the card and identification.");
        case Errc::pin_format:
            return QCoreApplication::translate(
                "Messages",
                "This PIN does not have the right format: the user-authentication and "
                "card-information PINs are 4 digits, the signature password 6 to 16 "
                "letters A–Z and digits. Nothing was sent to the card.");
        case Errc::confirmation_required:
            return QCoreApplication::translate(
                "Messages",
                "This is the last try of this PIN. Confirm that you want to use it; if it "
                "is wrong, the PIN will be blocked.");
        case Errc::security_status:
            return QCoreApplication::translate(
                "Messages", "The card refused: this needs a PIN that has not been entered.");
        case Errc::card_removed:
            return QCoreApplication::translate(
                "Messages",
                "The card was removed during the operation. Insert it again and retry.");
        case Errc::card_reset:
            return QCoreApplication::translate(
                "Messages", "Another program reset the card during the operation. Please retry.");
        case Errc::no_card:
            return QCoreApplication::translate(
                "Messages", "There is no card in the reader. Insert your My Number Card.");
        case Errc::reader_unavailable:
            return QCoreApplication::translate(
                "Messages", "The card reader is not available. Check that it is connected.");
        case Errc::service_stopped:
            return QCoreApplication::translate(
                "Messages",
                "The smart card service (pcscd) is not running. Start it (for example "
                "\"systemctl start pcscd\") and try again.");
        case Errc::transport:
            return QCoreApplication::translate(
                "Messages",
                "Communication with the card reader failed. Remove the card, insert it "
                "again and retry.");
        case Errc::timeout:
            return QCoreApplication::translate("Messages",
                                               "The operation took too long and was stopped.");
        case Errc::cancelled:
            return QCoreApplication::translate("Messages", "Cancelled.");
        case Errc::not_found:
            return QCoreApplication::translate(
                "Messages", "The card does not have this information or application.");
        case Errc::unsupported:
            return QCoreApplication::translate("Messages", "This card or reader cannot do this.");
        case Errc::card_error:
            return QCoreApplication::translate("Messages",
                                               "The card answered with an unexpected error.");
        case Errc::malformed_data:
            return QCoreApplication::translate(
                "Messages",
                "The card returned data that could not be read. It may not be a My Number "
                "Card, or it may be damaged.");
        case Errc::invalid_argument:
            return QCoreApplication::translate("Messages", "The input is not valid.");
        case Errc::io:
            return QCoreApplication::translate("Messages", "A file could not be read or written.");
        case Errc::internal:
            return QCoreApplication::translate("Messages",
                                               "An internal error occurred. Please report it.");
    }
    return QCoreApplication::translate("Messages", "An unknown error occurred.");
}

}  // namespace mynacard::gui
