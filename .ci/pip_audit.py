"""Dependency audit for CI: pip-audit on the installed environment, with listed, justified and
expiring exceptions (.ci/audit-exceptions.txt). Fails on any finding not excepted and on any
expired exception. Dependencies the vulnerability service could not check are listed loudly
(they do not fail the build: see SECURITY.md, "Supply chain")."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXCEPTIONS = HERE / "audit-exceptions.txt"
PIP_AUDIT = HERE.parent / ".venv" / "bin" / "pip-audit"


def _exceptions() -> tuple[list[str], list[str]]:
    """(ids still valid, problems). Lines: `VULN-ID  YYYY-MM-DD  why it does not apply`."""
    valid, problems = [], []
    today = dt.datetime.now(tz=dt.UTC).date()
    for number, line in enumerate(EXCEPTIONS.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 3:
            problems.append(f"line {number}: needs an id, an expiry date and a justification")
            continue
        vuln_id, expires, _why = parts
        if dt.date.fromisoformat(expires) < today:
            problems.append(f"exception for {vuln_id} expired on {expires}: review it")
        else:
            valid.append(vuln_id)
    return valid, problems


def main() -> int:
    ignored, problems = _exceptions()
    command = [str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off", "-f", "json"]
    for vuln_id in ignored:
        command += ["--ignore-vuln", vuln_id]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        print("pip-audit did not produce a report (see above)")
        return 1
    findings, skipped, audited = [], [], 0
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped.append(dependency["name"])
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            findings.append(
                f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})"
            )
    print(f"pip-audit: {audited} dependencies audited, {len(findings)} findings")
    for line in findings + problems:
        print(f"  FAIL {line}")
    if skipped:
        print(
            f"  WARNING: {len(skipped)} dependencies could NOT be audited (the vulnerability "
            f"service did not answer for them): {', '.join(sorted(skipped))}"
        )
    return 1 if findings or problems else 0


if __name__ == "__main__":
    sys.exit(main())
