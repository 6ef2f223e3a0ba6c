#include "gui/common/secret_field.h"

#include <QLineEdit>
#include <QString>

namespace mynacard::gui {

namespace {

// UTF-8 of a UTF-16 string, written straight into zeroising memory (no
// QByteArray in between that would be freed with the secret in it).
void append_utf8(SecureBytes& out, const QString& text) {
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() &&
            QChar::isLowSurrogate(text[i + 1].unicode())) {
            c = QChar::surrogateToUcs4(static_cast<char16_t>(c), text[i + 1].unicode());
            ++i;
        }
        if (c < 0x80) {
            out.push_back(static_cast<std::uint8_t>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<std::uint8_t>(0xC0 | (c >> 6)));
            out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<std::uint8_t>(0xE0 | (c >> 12)));
            out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<std::uint8_t>(0xF0 | (c >> 18)));
            out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
        }
    }
}

// At most four UTF-8 bytes per UTF-16 unit pair, three per single unit.
constexpr std::size_t utf8_per_unit = 3;

}  // namespace

// `held` shares the buffer (implicit sharing); writing through data()
// would detach and wipe a fresh copy, leaving the shared one as it was, so
// the shared buffer itself is written. Text set from a literal lives in
// read-only static data, typed text never does: only a heap buffer can (and
// need) be overwritten.
void overwrite_shared(const QString& held) noexcept {
    if (held.isEmpty() || !held.data_ptr()->isMutable()) return;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): the shared buffer itself
    secure_zero(const_cast<QChar*>(held.constData()),
                static_cast<std::size_t>(held.size()) * sizeof(QChar));
}

SecureBytes take_secret(QLineEdit* field) {
    SecureBytes out;
    if (field == nullptr) return out;
    const QString held = field->text();
    out.reserve(static_cast<std::size_t>(held.size()) * utf8_per_unit);
    append_utf8(out, held);
    wipe_secret(field);
    return out;
}

void wipe_secret(QLineEdit* field) {
    if (field == nullptr) return;
    qsizetype length = 0;
    {
        const QString held = field->text();
        length = held.size();
        overwrite_shared(held);
    }
    // setText() empties the undo history (clear() would fill it with the
    // removed characters); the history keeps its storage, though, with the
    // typed characters in it. A same-length filler removed as a selection
    // writes its own characters over those entries before the history is
    // emptied for good.
    field->setText(QString(length, QLatin1Char('0')));
    if (length > 0) {
        field->selectAll();
        field->del();
    }
    field->setText(QString());
    field->setModified(false);
}

}  // namespace mynacard::gui
