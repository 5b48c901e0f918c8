#pragma once
// Texts shipped inside the renderer (Qt resources): the neutral default statement of rights
// for adverse action notices, which the lender is expected to replace with its own.

#include <string>

namespace cwb::render {

std::string defaultRightsTemplate();

}  // namespace cwb::render
