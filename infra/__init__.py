"""The clausewatch CDK app (AWS CDK v2, Python): `python3 -m infra.app` or `cdk synth` from the repo root."""
