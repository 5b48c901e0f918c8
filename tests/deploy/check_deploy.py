#!/usr/bin/env python3
"""Checks deploy/ without Docker or a cluster (neither runs on the project's machines): the
Kubernetes manifests parse as YAML and carry the fields a working deployment of `cwb serve`
needs, they agree with each other (names, labels, ports, volumes), every `cwb serve` option they
and the Dockerfile use exists in the built binary (`cwb serve --help`), and the Dockerfile is
multi-stage on Debian 12 slim, runs as a non-root user and has a health check.

    python3 tests/deploy/check_deploy.py --root . --cwb build/release/app/cwb

Exits 1 listing every problem found; prints "N passed, 0 failed" otherwise.
"""
import argparse
import os
import re
import subprocess
import sys

import yaml  # python3-yaml

ROUTES = {"/healthz", "/readyz", "/metrics"}


class Checks:
    def __init__(self):
        self.passed = 0
        self.failures = []

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
        return ok


def get(obj, *path):
    for key in path:
        if isinstance(obj, dict):
            obj = obj.get(key)
        elif isinstance(obj, list) and isinstance(key, int) and key < len(obj):
            obj = obj[key]
        else:
            return None
    return obj


def serve_options(cwb):
    text = subprocess.run([cwb, "serve", "--help"], capture_output=True, text=True,
                          timeout=60).stdout
    return set(re.findall(r"(--[a-z][a-z-]+)", text)), set(re.findall(r"\b(CWB_SERVE_[A-Z_]+)", text))


def load_manifests(folder, c):
    docs = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(folder, name)) as f:
            try:
                loaded = [d for d in yaml.safe_load_all(f) if d is not None]
            except yaml.YAMLError as e:
                c.check(False, f"{name}: not valid YAML: {e}")
                continue
        for d in loaded:
            c.check(isinstance(d, dict) and d.get("apiVersion") and d.get("kind"),
                    f"{name}: a document without apiVersion and kind")
            if isinstance(d, dict) and d.get("kind"):
                docs.setdefault(d["kind"], []).append((name, d))
    return docs


def check_kubernetes(folder, options, env_names, c):
    docs = load_manifests(folder, c)
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "ConfigMap", "Kustomization"):
        c.check(len(docs.get(kind, [])) == 1, f"exactly one {kind} expected, got {len(docs.get(kind, []))}")
    if c.failures:
        return
    _, dep = docs["Deployment"][0]
    _, svc = docs["Service"][0]
    _, hpa = docs["HorizontalPodAutoscaler"][0]
    _, cm = docs["ConfigMap"][0]
    _, kus = docs["Kustomization"][0]

    files = {name for kind in docs for name, _ in docs[kind]} - {"kustomization.yaml"}
    c.check(set(kus.get("resources", [])) == files, "kustomization.yaml must list every manifest")

    c.check(dep["apiVersion"] == "apps/v1", "Deployment apiVersion apps/v1")
    labels = get(dep, "spec", "template", "metadata", "labels") or {}
    selector = get(dep, "spec", "selector", "matchLabels") or {}
    c.check(selector and all(labels.get(k) == v for k, v in selector.items()),
            "Deployment selector must match its pod labels")
    annotations = get(dep, "spec", "template", "metadata", "annotations") or {}
    c.check(annotations.get("prometheus.io/scrape") == "true", "pod annotation prometheus.io/scrape")
    c.check(annotations.get("prometheus.io/path") == "/metrics", "pod annotation prometheus.io/path")
    pod = get(dep, "spec", "template", "spec") or {}
    c.check(get(pod, "securityContext", "runAsNonRoot") is True, "pod runAsNonRoot")
    containers = pod.get("containers") or []
    if not c.check(len(containers) == 1, "one container"):
        return
    ct = containers[0]
    ports = {p.get("name"): p.get("containerPort") for p in ct.get("ports", [])}
    c.check("http" in ports, "container port named http")
    c.check(str(annotations.get("prometheus.io/port")) == str(ports.get("http")),
            "scrape port is the container port")
    args = [str(a) for a in ct.get("args", [])]
    for a in args:
        if a.startswith("--"):
            c.check(a in options, f"container arg {a} is not an option of cwb serve")
    def arg(name):
        return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else None
    c.check(arg("--port") == str(ports.get("http")), "--port matches the container port")
    c.check(arg("--host") == "0.0.0.0", "--host 0.0.0.0 (reachable from the kubelet and Service)")
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        c.check(get(ct, probe, "httpGet", "path") == path, f"{probe} on {path}")
        c.check(get(ct, probe, "httpGet", "port") in ("http", ports.get("http")), f"{probe} port")
    for section in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            c.check(get(ct, "resources", section, resource) is not None,
                    f"resources.{section}.{resource}")
    c.check(get(ct, "securityContext", "allowPrivilegeEscalation") is False,
            "allowPrivilegeEscalation false")
    mounts = {m["name"]: m for m in ct.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    c.check(set(mounts) <= set(volumes), "every volumeMount has a volume")
    model = arg("--model") or ""
    model_mount = [m for m in mounts.values() if model.startswith(m["mountPath"].rstrip("/") + "/")]
    c.check(len(model_mount) == 1 and model_mount[0].get("readOnly") is True,
            "--model lies on a read-only mounted volume")
    if model_mount:
        c.check("persistentVolumeClaim" in volumes.get(model_mount[0]["name"], {}),
                "the model volume is a PersistentVolumeClaim")
    for option in ("--token-file", "--admin-token-file"):
        path = arg(option)
        if path:
            tm = [m for m in mounts.values() if path.startswith(m["mountPath"].rstrip("/") + "/")]
            c.check(len(tm) == 1 and "secret" in volumes.get(tm[0]["name"], {}),
                    f"{option} lies on a Secret volume")
    refs = [get(e, "configMapRef", "name") for e in ct.get("envFrom", [])]
    c.check(cm["metadata"]["name"] in refs, "the Deployment takes its environment from the ConfigMap")
    for key in cm.get("data", {}):
        c.check(key in env_names, f"ConfigMap key {key} is not a variable cwb serve reads")
    grace = pod.get("terminationGracePeriodSeconds", 30)
    drain = float(cm.get("data", {}).get("CWB_SERVE_DRAIN_SECONDS", 0))
    c.check(grace > drain + 5, "terminationGracePeriodSeconds leaves time after the drain")

    c.check(get(svc, "spec", "selector") and all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()),
            "Service selector matches the pods")
    target_ports = [p.get("targetPort") for p in get(svc, "spec", "ports") or []]
    c.check(any(tp in ("http", ports.get("http")) for tp in target_ports), "Service targets the http port")

    c.check(hpa["apiVersion"] == "autoscaling/v2", "HPA apiVersion autoscaling/v2")
    ref = get(hpa, "spec", "scaleTargetRef") or {}
    c.check(ref.get("kind") == "Deployment" and ref.get("name") == dep["metadata"]["name"],
            "HPA scales the Deployment")
    lo, hi = get(hpa, "spec", "minReplicas"), get(hpa, "spec", "maxReplicas")
    c.check(isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi, "HPA min/max replicas")
    c.check(any(get(m, "resource", "name") == "cpu" for m in get(hpa, "spec", "metrics") or []),
            "HPA scales on CPU (which needs resources.requests.cpu)")


def check_dockerfile(path, options, c):
    with open(path) as f:
        lines = [l.strip() for l in f.read().replace("\\\n", " ").splitlines()]
    lines = [l for l in lines if l and not l.startswith("#")]
    froms = [l.split()[1] for l in lines if l.upper().startswith("FROM ")]
    c.check(len(froms) >= 2, "multi-stage: at least two FROM")
    c.check(all(f in ("debian:12-slim", "debian:bookworm-slim") for f in froms), f"Debian 12 slim bases: {froms}")
    c.check(any(l.startswith("COPY --from=") for l in lines), "the run stage copies from the build stage")
    users = [l.split()[1] for l in lines if l.upper().startswith("USER ")]
    c.check(users and users[-1].split(":")[0] not in ("root", "0"), "runs as a non-root USER")
    health = [l for l in lines if l.upper().startswith("HEALTHCHECK ")]
    c.check(health and "/healthz" in health[0], "HEALTHCHECK on /healthz")
    exposed = [l.split()[1] for l in lines if l.upper().startswith("EXPOSE ")]
    c.check(exposed == ["8080"], "EXPOSE 8080")
    c.check(any("8080/healthz" in h for h in health), "health check on the exposed port")
    for l in lines:
        if l.startswith("CMD") or l.startswith("ENTRYPOINT"):
            for opt in re.findall(r'"(--[a-z-]+)"', l):
                c.check(opt in options, f"Dockerfile uses {opt}, not an option of cwb serve")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--cwb", required=True)
    a = ap.parse_args()
    c = Checks()
    options, env_names = serve_options(a.cwb)
    c.check("--model" in options and "--token-file" in options, "cwb serve --help lists its options")
    check_kubernetes(os.path.join(a.root, "deploy", "kubernetes"), options, env_names, c)
    check_dockerfile(os.path.join(a.root, "deploy", "Dockerfile"), options, c)
    for f in c.failures:
        print("FAIL:", f)
    print(f"{c.passed} passed, {len(c.failures)} failed")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
