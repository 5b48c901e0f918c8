#!/usr/bin/env python3
"""The peer pipeline of ../shared/bench/peer_score.py without TreeSHAP and reasons: pandas read,
XGBoost predict, points, to_csv. The fair peer for `cwb score --reasons 0`.

    /usr/bin/python3 peer_no_reasons.py --model taiwan_xgb.json --in portfolio.csv --out peer0.csv
"""
import argparse
import math

import numpy as np
import pandas as pd
import xgboost as xgb

PDO, BASE_POINTS, BASE_ODDS = 20.0, 600.0, 50.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--in", dest="input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    booster = xgb.Booster()
    booster.load_model(args.model)
    booster.set_param({"nthread": args.threads})
    features = booster.feature_names
    df = pd.read_csv(args.input)
    pd_ = booster.predict(xgb.DMatrix(df[features], feature_names=features))
    factor = PDO / math.log(2)
    offset = BASE_POINTS - factor * math.log(BASE_ODDS)
    points = offset + factor * np.log((1 - pd_) / pd_)
    out = pd.DataFrame({"ID": df["ID"], "pd": pd_, "score": np.round(points).astype(int)})
    out.to_csv(args.out, index=False, float_format="%.9g")


if __name__ == "__main__":
    main()
