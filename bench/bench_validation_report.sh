#!/usr/bin/env bash
# Time `cwb report validation` (PDF and Excel workbook) on 30,000-row labelled files; the issue's
# target is under 5 s each (issue 13, docs/benchmarks.md):
#   1. the shipped scorecard on the German sample repeated to 30,000 rows (ids made unique);
#   2. a boosted-tree model trained on the Taiwan data (30,000 rows), evaluated on that file,
#      where the additivity check and the importance need TreeSHAP on every row.
#   bench/bench_validation_report.sh [path/to/cwb]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cwb="${1:-$here/build/release/app/cwb}"
shared="${CWB_SHARED_DIR:-$here/../shared}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$here/sample_data/german_credit.csv" "$work/german30k.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    for k in range(30):
        for r in data:
            w.writerow([f"{r[0]}-{k:02d}"] + r[1:])
PY

seconds() {  # runs the command, prints its wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}

echo "rows: $(($(wc -l < "$work/german30k.csv") - 1)) (German x30)"
t=$(seconds "$cwb" report validation --model "$here/models/german_credit.cwbm" \
      --data "$work/german30k.csv" --protected personal_status_sex,age_years \
      --out "$work/german.pdf" --xlsx "$work/german.xlsx" --quiet)
echo "scorecard, 30,000 rows: ${t} s  ($(pdfinfo "$work/german.pdf" | awk '/Pages/ {print $2}') pages)"

taiwan="$shared/data/taiwan/UCI_Credit_Card.csv"
if [ -f "$taiwan" ]; then
  "$cwb" train --data "$taiwan" --target Y --id ID \
    --protected X2,X5 --algorithm xgboost --cv 2 --seed 42 --out "$work/taiwan.cwbm" \
    --quiet > /dev/null
  t=$(seconds "$cwb" report validation --model "$work/taiwan.cwbm" --data "$taiwan" \
        --out "$work/taiwan.pdf" --xlsx "$work/taiwan.xlsx" --quiet)
  echo "xgboost (Taiwan), 30,000 rows: ${t} s  ($(pdfinfo "$work/taiwan.pdf" | awk '/Pages/ {print $2}') pages)"
else
  echo "skipped the Taiwan model: $taiwan not found"
fi
