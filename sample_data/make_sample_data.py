#!/usr/bin/env python3
"""Builds the readable sample files in sample_data/ from the UCI Statlog German Credit data.

    python3 sample_data/make_sample_data.py            # write the files
    python3 sample_data/make_sample_data.py --check    # verify the committed files are current

Standard library only. The output is byte-for-byte deterministic: random choices come from a
small fixed-seed generator defined here (not the `random` module), so neither the Python
version nor the platform changes a file.
"""

import argparse
import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "data" / "german" / "german.data"

SOURCE_ROWS = 1000
APPLICANT_COUNT = 10
BATCH_COUNT = 5000
SEED = 20240611

# The 20 characteristics in the order of german.doc. For categorical ones, `levels` maps the
# source code to a short readable value; the dictionary lists only the levels the data contains.
CHARACTERISTICS = [
    {
        "name": "checking_status",
        "label": "Checking account status",
        "reason": "Status of existing checking account",
        "levels": {
            "A11": "< 0 DM",
            "A12": "0 to < 200 DM",
            "A13": ">= 200 DM or salary assigned",
            "A14": "no checking account",
        },
    },
    {
        "name": "duration_months",
        "label": "Duration in months",
        "reason": "Length of the requested credit term",
        "unit": "months",
    },
    {
        "name": "credit_history",
        "label": "Credit history",
        "reason": "Repayment record on previous and existing credits",
        "levels": {
            "A30": "no credits / all paid back duly",
            "A31": "all paid back duly at this bank",
            "A32": "existing paid back duly so far",
            "A33": "delays in paying in the past",
            "A34": "critical account / credits elsewhere",
        },
    },
    {
        "name": "purpose",
        "label": "Purpose",
        "reason": "Purpose of the requested credit",
        "levels": {
            "A40": "car (new)",
            "A41": "car (used)",
            "A42": "furniture/equipment",
            "A43": "radio/television",
            "A44": "domestic appliances",
            "A45": "repairs",
            "A46": "education",
            "A47": "vacation",
            "A48": "retraining",
            "A49": "business",
            "A410": "other",
        },
    },
    {
        "name": "credit_amount",
        "label": "Credit amount",
        "reason": "Amount of credit requested",
        "unit": "DM",
    },
    {
        "name": "savings",
        "label": "Savings account/bonds",
        "reason": "Balance of savings accounts and bonds",
        "levels": {
            "A61": "< 100 DM",
            "A62": "100 to < 500 DM",
            "A63": "500 to < 1000 DM",
            "A64": ">= 1000 DM",
            "A65": "unknown / no savings account",
        },
    },
    {
        "name": "employment_since",
        "label": "Present employment since",
        "reason": "Length of present employment",
        "levels": {
            "A71": "unemployed",
            "A72": "< 1 year",
            "A73": "1 to < 4 years",
            "A74": "4 to < 7 years",
            "A75": ">= 7 years",
        },
    },
    {
        "name": "installment_rate",
        "label": "Installment rate (% of disposable income)",
        "reason": "Installment amount relative to disposable income",
        "unit": "ordinal class 1-4 (higher = larger share of disposable income)",
    },
    {
        "name": "personal_status_sex",
        "label": "Personal status and sex",
        "reason": "Personal status as stated in the application",
        "protected_like": True,
        "levels": {
            "A91": "male, divorced/separated",
            "A92": "female, divorced/separated/married",
            "A93": "male, single",
            "A94": "male, married/widowed",
            "A95": "female, single",
        },
    },
    {
        "name": "other_debtors",
        "label": "Other debtors/guarantors",
        "reason": "Co-applicant or guarantor on the credit",
        "levels": {
            "A101": "none",
            "A102": "co-applicant",
            "A103": "guarantor",
        },
    },
    {
        "name": "residence_since",
        "label": "Present residence since",
        "reason": "Length of time at present residence",
        "unit": "ordinal class 1-4 (higher = longer)",
    },
    {
        "name": "property",
        "label": "Property",
        "reason": "Property or other assets held",
        "levels": {
            "A121": "real estate",
            "A122": "savings agreement / life insurance",
            "A123": "car or other",
            "A124": "unknown / no property",
        },
    },
    {
        "name": "age_years",
        "label": "Age in years",
        "reason": "Age of applicant",
        "protected_like": True,
        "unit": "years",
    },
    {
        "name": "other_installment_plans",
        "label": "Other installment plans",
        "reason": "Other installment plans in place",
        "levels": {
            "A141": "bank",
            "A142": "stores",
            "A143": "none",
        },
    },
    {
        "name": "housing",
        "label": "Housing",
        "reason": "Housing status",
        "levels": {
            "A151": "rent",
            "A152": "own",
            "A153": "for free",
        },
    },
    {
        "name": "existing_credits",
        "label": "Existing credits at this bank",
        "reason": "Number of existing credits at this bank",
        "unit": "count",
    },
    {
        "name": "job",
        "label": "Job",
        "reason": "Type of employment",
        "levels": {
            "A171": "unemployed / unskilled non-resident",
            "A172": "unskilled resident",
            "A173": "skilled employee / official",
            "A174": "management / self-employed / highly qualified",
        },
    },
    {
        "name": "dependents",
        "label": "Number of dependents",
        "reason": "Number of people the applicant provides maintenance for",
        "unit": "people",
    },
    {
        "name": "telephone",
        "label": "Telephone",
        "reason": "Telephone registered in the applicant's name",
        "levels": {
            "A191": "none",
            "A192": "yes, registered",
        },
    },
    {
        "name": "foreign_worker",
        "label": "Foreign worker",
        "reason": "Foreign worker status as stated in the application",
        "protected_like": True,
        "levels": {
            "A201": "yes",
            "A202": "no",
        },
    },
]

ID_COLUMN = "applicant_id"
CLASS_COLUMN = "class"
FEATURE_NAMES = [c["name"] for c in CHARACTERISTICS]
HEADER = [ID_COLUMN] + FEATURE_NAMES + [CLASS_COLUMN]
DICTIONARY_HEADER = ["column", "label", "type", "description", "reason_text"]

PROTECTED_NOTE = (" Protected-attribute-like: consider marking it protected (cwb train"
                  " --protected), which keeps it out of the model and uses it for"
                  " adverse-impact checks.")


class SplitMix64:
    """Small, fully specified PRNG so the output never depends on the Python version."""

    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform integer in [0, n) without modulo bias."""
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self.next_u64()
            if x < limit:
                return x % n

    def uniform(self, low, high):
        return low + (high - low) * (self.next_u64() >> 11) / float(1 << 53)


def fail(message):
    sys.exit(f"make_sample_data: {message}")


def read_source(path):
    """Returns rows of raw tokens (20 characteristics + class), checked against german.doc."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror} (pass --source PATH to german.data)")
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        tokens = line.split()
        if len(tokens) != len(CHARACTERISTICS) + 1:
            fail(f"{path}:{number}: expected 21 space-separated fields, found {len(tokens)}")
        for spec, token in zip(CHARACTERISTICS, tokens):
            if "levels" in spec:
                if token not in spec["levels"]:
                    fail(f"{path}:{number}: unknown code {token!r} for {spec['name']}")
            elif not token.isdigit():
                fail(f"{path}:{number}: {spec['name']} should be a whole number, found {token!r}")
        if tokens[-1] not in ("1", "2"):
            fail(f"{path}:{number}: class should be 1 or 2, found {tokens[-1]!r}")
        rows.append(tokens)
    if len(rows) != SOURCE_ROWS:
        fail(f"{path}: expected {SOURCE_ROWS} records, found {len(rows)}")
    return rows


def decode(tokens):
    """Characteristics of one source row as readable values (numbers stay ints)."""
    values = []
    for spec, token in zip(CHARACTERISTICS, tokens):
        values.append(spec["levels"][token] if "levels" in spec else int(token))
    return values


def numeric_ranges(decoded_rows):
    ranges = {}
    for index, spec in enumerate(CHARACTERISTICS):
        if "levels" not in spec:
            column = [row[index] for row in decoded_rows]
            ranges[spec["name"]] = (min(column), max(column))
    return ranges


def to_csv(header, records):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue()


def german_credit(source_rows):
    records = []
    for number, tokens in enumerate(source_rows, start=1):
        records.append([f"G{number:04d}"] + decode(tokens) + [int(tokens[-1])])
    return to_csv(HEADER, records)


def dictionary(source_rows, ranges):
    records = [[ID_COLUMN, "Applicant ID", "identifier",
                "Unique applicant reference (G0001..G1000 in the training data). Not a model input.",
                ""]]
    for index, spec in enumerate(CHARACTERISTICS):
        if "levels" in spec:
            present = {tokens[index] for tokens in source_rows}
            levels = [value for code, value in spec["levels"].items() if code in present]
            description = "Levels: " + "; ".join(levels) + "."
            kind = "categorical"
        else:
            low, high = ranges[spec["name"]]
            description = f"Whole number, {spec['unit']}; training range {low} to {high}."
            kind = "numeric"
        if spec.get("protected_like"):
            description += PROTECTED_NOTE
        records.append([spec["name"], spec["label"], kind, description, spec["reason"]])
    records.append([CLASS_COLUMN, "Credit outcome", "categorical",
                    "Target. 1 = good, 2 = bad (train with --target class --bad 2).", ""])
    return to_csv(DICTIONARY_HEADER, records)


def perturbed(value, name, ranges, rng):
    """A plausible nearby value for the numeric characteristics that vary continuously."""
    low, high = ranges[name]
    if name == "duration_months":
        value = round(value * rng.uniform(0.75, 1.25))
    elif name == "credit_amount":
        value = round(value * rng.uniform(0.8, 1.2) / 10) * 10
    elif name == "age_years":
        value = value + rng.below(7) - 3
    # Ordinal classes and counts stay as they are: they are already plausible combinations.
    return min(max(value, low), high)


def applicants(source_rows, decoded_rows, ranges):
    """Ten new applicants: five drawn from good and five from bad source rows, numeric values
    perturbed within the training range, so the set spans the risk range."""
    rng = SplitMix64(SEED)
    chosen = []
    for outcome in ("1", "2"):
        pool = [i for i, tokens in enumerate(source_rows) if tokens[-1] == outcome]
        while len(chosen) < (APPLICANT_COUNT // 2) * (1 if outcome == "1" else 2):
            pick = pool[rng.below(len(pool))]
            if pick not in chosen:
                chosen.append(pick)
    # Interleave good and bad origins so the order says nothing about the outcome.
    half = APPLICANT_COUNT // 2
    order = [chosen[i // 2 + (half if i % 2 else 0)] for i in range(APPLICANT_COUNT)]
    records = []
    for number, source_index in enumerate(order, start=1):
        values = []
        for spec, value in zip(CHARACTERISTICS, decoded_rows[source_index]):
            values.append(value if "levels" in spec else perturbed(value, spec["name"], ranges, rng))
        records.append([f"N{number:04d}"] + values)
    return to_csv(HEADER[:-1], records)


def batch(decoded_rows):
    """5000 applicants resampled with replacement from the source rows."""
    rng = SplitMix64(SEED + 1)
    records = []
    for number in range(1, BATCH_COUNT + 1):
        records.append([f"B{number:05d}"] + decoded_rows[rng.below(len(decoded_rows))])
    return to_csv(HEADER[:-1], records)


def build(source_path):
    source_rows = read_source(source_path)
    decoded_rows = [decode(tokens) for tokens in source_rows]
    ranges = numeric_ranges(decoded_rows)
    return {
        "german_credit.csv": german_credit(source_rows),
        "german_credit.dictionary.csv": dictionary(source_rows, ranges),
        "applicants.csv": applicants(source_rows, decoded_rows, ranges),
        "batch_german.csv": batch(decoded_rows),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help=f"path to german.data (default: {DEFAULT_SOURCE})")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: sample_data/)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in --out instead of writing; exit 1 if they differ")
    args = parser.parse_args()

    files = build(args.source)
    stale = []
    for name, text in files.items():
        target = args.out / name
        data = text.encode("utf-8")
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(name)
        else:
            target.write_bytes(data)
            print(f"wrote {target} ({text.count(chr(10)) - 1} records)", file=sys.stderr)
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python3 sample_data/make_sample_data.py)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
