#pragma once

#include <memory>

#include "session/source.h"

namespace mynacard::session {

// Cards through pcscd (the products' source): one PC/SC context, made on
// first use and again after restart(). Belongs to one thread (decision 8).
[[nodiscard]] std::unique_ptr<CardSource> pcsc_source();

}  // namespace mynacard::session
