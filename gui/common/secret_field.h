#pragma once

#include "core/bytes.h"

class QLineEdit;
class QString;

namespace mynacard::gui {

// Takes the secret typed into `field` (a PIN, 照合番号B, the operator PIN)
// as UTF-8 in zeroising memory and leaves nothing of it reachable through
// the field: the field's own text buffer is overwritten in place (so every
// QString still sharing it sees zeros too), the undo history is emptied
// without the removed text going into it (QLineEdit::clear() would put it
// there, for undo() to bring back), and the field is left empty and
// unmodified. The one way a screen reads a secret out of a line edit.
[[nodiscard]] SecureBytes take_secret(QLineEdit* field);

// Overwrites the characters of `text` in the buffer it shares with every
// other QString made from it (a widget's own text, say), instead of
// detaching a copy the way QString::fill() does. Static text from a literal
// is left alone.
void overwrite_shared(const QString& text) noexcept;

// Empties `field` the same way, when what it holds is not wanted (a flow
// was cancelled, the card went).
void wipe_secret(QLineEdit* field);

}  // namespace mynacard::gui
