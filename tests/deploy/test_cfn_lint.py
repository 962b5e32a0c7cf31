"""cfn-lint passes on the generated template, save for findings in resources the framework itself writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.deploy.conftest import REGION, ROOT, Package

CFN_LINT = Path(sys.executable).parent / "cfn-lint"

# (rule, resource) -> why it is harmless. Only resources osls generates belong here; ours must lint clean.
FRAMEWORK_FINDINGS = {
    ("W3005", "HttpApiStage"): "osls adds DependsOn: HttpApiLogGroup although the stage's access-log setting "
    "already refers to the group by GetAtt: redundant, not wrong",
    ("W3005", "HttpApiRouteAnyApiProxyVar"): "osls adds DependsOn: HttpApiIntegrationApi although the route's "
    "Target already refers to it: redundant, not wrong",
}


def _our_resources() -> set[str]:
    import yaml

    return set(yaml.safe_load((ROOT / "serverless.yml").read_text(encoding="utf-8"))["resources"]["Resources"])


def test_cfn_lint_passes(package: Package) -> None:
    result = subprocess.run(
        [str(CFN_LINT), "--format", "json", "--regions", REGION, "--", str(package.template_path)],
        capture_output=True,
        text=True,
    )
    assert result.stdout.lstrip().startswith("["), result.stderr  # a list of findings, not a crash
    findings = json.loads(result.stdout)
    unexpected = [
        f"{finding['Rule']['Id']} at {'/'.join(map(str, finding['Location']['Path']))}: {finding['Message']}"
        for finding in findings
        if (finding["Rule"]["Id"], finding["Location"]["Path"][1]) not in FRAMEWORK_FINDINGS
    ]
    assert not unexpected, "\n".join(unexpected)


def test_ignored_findings_are_the_frameworks_not_ours() -> None:
    assert not {resource for _rule, resource in FRAMEWORK_FINDINGS} & _our_resources()
    assert all(rule.startswith("W") for rule, _resource in FRAMEWORK_FINDINGS)  # never an error
