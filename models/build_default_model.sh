#!/usr/bin/env bash
# Rebuilds the shipped default model, models/german_credit.cwbm, from sample_data/ with a fixed
# seed, creator and creation time, so the same program version rebuilds the same bundle (and the
# same scores, bit for bit; tests/core/tst_shipped_model.cpp checks this).
#   models/build_default_model.sh [path/to/cwb] [output.cwbm]
# The protected attributes (personal status/sex, age, foreign worker) are kept out of the model
# and stay available for fairness analysis.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cwb="${1:-$here/build/release/app/cwb}"
out="${2:-$here/models/german_credit.cwbm}"
SOURCE_DATE_EPOCH=1798761600 CWB_CREATOR="credit-workbench recipe" "$cwb" train \
  --data "$here/sample_data/german_credit.csv" --target class --bad 2 \
  --algorithm auto --cv 5 --seed 42 \
  --protected personal_status_sex,age_years,foreign_worker \
  --name german_credit --out "$out" --quiet --json
