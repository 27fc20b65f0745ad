#!/usr/bin/env python3
"""What Kubernetes' schemas cannot say about Parley's rendered manifests (deploy/k8s/validate):
every container has liveness and readiness probes and resource requests, the gateway and
messages have autoscalers, every Deployment has a Service, and every secret key a pod reads is
in secrets.env.example.

    check-manifests.py RENDERED.yaml SECRETS.env.example
"""
import re
import sys

import yaml


def main():
    rendered, example = sys.argv[1], sys.argv[2]
    resources = [r for r in yaml.safe_load_all(open(rendered)) if r]
    documented = set(re.findall(r"^([a-z0-9-]+)=", open(example).read(), re.M))
    problems = []
    deployments = [r for r in resources if r["kind"] == "Deployment"]
    services = {r["metadata"]["name"] for r in resources if r["kind"] == "Service"}
    scaled = {r["spec"]["scaleTargetRef"]["name"] for r in resources if r["kind"] == "HorizontalPodAutoscaler"}
    expected = {"auth", "rooms", "messages", "media", "search", "notify", "games", "calls", "gateway"}
    names = {d["metadata"]["name"] for d in deployments}
    if names != expected:
        problems.append(f"Deployments are {sorted(names)}, not {sorted(expected)}")
    for name in sorted({"gateway", "messages"} - scaled):
        problems.append(f"{name} has no HorizontalPodAutoscaler")
    for name in sorted(names - services):
        problems.append(f"{name} has no Service")
    pods = [(d["metadata"]["name"], d["spec"]["template"]["spec"]) for d in deployments]
    pods += [(r["metadata"]["name"], r["spec"]["template"]["spec"]) for r in resources if r["kind"] == "Job"]
    for name, pod in pods:
        for container in pod["containers"]:
            where = f"{name}/{container['name']}"
            if name in names:
                for probe in ("livenessProbe", "readinessProbe"):
                    if probe not in container:
                        problems.append(f"{where} has no {probe}")
            if not container.get("resources", {}).get("requests"):
                problems.append(f"{where} has no resource requests")
            for variable in container.get("env", []):
                key = variable.get("valueFrom", {}).get("secretKeyRef", {}).get("key")
                if key and key not in documented:
                    problems.append(f"{where} reads secret key {key}, missing from {example}")
    for problem in problems:
        print("error:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
