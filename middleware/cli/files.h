#pragma once

#include <string>
#include <string_view>

#include "core/bytes.h"

namespace mynacard::cli {

// Every file a command reads is checked before the card is touched: a
// missing or unreadable file is the user's mistake, reported as one (exit 2)
// before any PC/SC call, rather than after a PIN was asked or as "pcscd is
// not running" (docs/cli.md). The file is read again later; this only makes
// the common mistake cheap and clear. An empty path (option not given)
// passes.
void check_input(const std::string& path, std::string_view option, bool directory_ok = false);

// The whole file. Throws Error(io).
[[nodiscard]] Bytes read_file(const std::string& path);

// Everything the CLI writes is the holder's: certificates (the signature
// certificate names the holder), signatures (they carry it), card-face
// images. Created new, mode 0600, never through a symbolic link and never
// over an existing file, so a file or link someone else planted is neither
// overwritten nor followed (docs/cli.md, "Files the CLI writes"). A write
// that fails part-way removes the file. Throws Error(io).
void write_file(const std::string& path, ByteView data);

// The same rules, for a file that another program may pick up while it is
// written (qualify --out): `data` goes to a temporary dot file in `dir`
// (O_EXCL|O_NOFOLLOW, 0600), is flushed to disk and only then appears under
// its name, by link(), which never replaces a file. The name is
// <stem><extension>, or <stem>-2<extension>, -3, … when that one is taken.
// Returns the path written. Throws Error(io).
[[nodiscard]] std::string write_new_atomically(const std::string& dir, const std::string& stem,
                                               std::string_view extension, ByteView data);

}  // namespace mynacard::cli
