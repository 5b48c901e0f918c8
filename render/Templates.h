#pragma once
// Texts shipped inside the renderer (Qt resources): the neutral default statement of rights
// for adverse action notices, which the lender is expected to replace with its own.

#include <string>

#include "common/Result.h"

namespace cwb::render {

std::string defaultRightsTemplate();

// A lender's own statement of rights (a text file the user names: `--template`, the GUI's
// settings), at most 64 KiB; BadInput naming the file when it cannot be read or is larger.
Result<std::string> readRightsTemplate(const std::string& path);

}  // namespace cwb::render
