#pragma once
// Whether a labelled file is the data a bundle was trained on: figures measured on it are
// in-sample, so optimistic, and the performance view and `cwb evaluate` say so.

#include <string>

#include "scoring/ModelBundle.h"

namespace cwb {

// True when the file's SHA-256 equals the training-data fingerprint the bundle recorded
// (training.data_sha256). False when the bundle recorded none or the file cannot be read.
bool isDevelopmentSample(const ModelBundle& bundle, const std::string& dataPath);

// The sentence both the GUI and the command line show for such a file.
std::string developmentSampleWarning();

}  // namespace cwb
