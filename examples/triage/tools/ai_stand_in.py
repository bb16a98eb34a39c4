#!/usr/bin/env python3
"""A stand-in for the workflow's AI editor: no model is called. It reads the lint and type
reports, writes a triage plan to artifacts/ai_analysis.json, and reports what a model would
have used as one JSON line on stdout, {"tokens_used": N, "cost": X}, which tend counts
against the workflow's budget.

Usage: ai_stand_in.py --lint artifacts/linting.json [--types artifacts/typing.json] --output artifacts/ai_analysis.json
"""
import argparse
import json
import os

# What a small model would charge: a fixed prompt plus a share per finding, $3 per million tokens.
PROMPT_TOKENS = 400
TOKENS_PER_FINDING = 150
DOLLARS_PER_TOKEN = 3 / 1_000_000


def read_list(path):
    if not path or not os.path.exists(path) or os.path.getsize(path) == 0:
        return []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        value = json.loads(text)
        return value if isinstance(value, list) else [value]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def plan(finding):
    code = finding.get("code") or ""
    fix = {
        "F401": "remove the unused import",
        "F821": "define the name or fix its spelling",
        "return-value": "return a value of the declared type",
        "operator": "convert the operand (e.g. str(...)) before joining",
        "arg-type": "pass an argument of the declared type",
    }.get(code, "review by hand")
    where = finding.get("filename") or finding.get("file")
    row = (finding.get("location") or {}).get("row") or finding.get("line")
    return {"file": where, "line": row, "code": code, "message": finding.get("message"), "suggestion": fix}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lint", required=True)
    parser.add_argument("--types")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    findings = [f for f in read_list(args.lint) + read_list(args.types) if f.get("severity", "error") == "error"]
    tokens = PROMPT_TOKENS + TOKENS_PER_FINDING * len(findings)
    analysis = {
        "summary": {"errors": len(findings), "files": len({plan(f)["file"] for f in findings})},
        "fixes": [plan(f) for f in findings],
        "model": "stand-in",
    }
    os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(analysis, out, indent=2)
    print(f"triaged {len(findings)} finding(s) -> {args.output}")
    print(json.dumps({"tokens_used": tokens, "cost": round(tokens * DOLLARS_PER_TOKEN, 6)}))


if __name__ == "__main__":
    main()
