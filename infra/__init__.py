"""The clausewatch CDK app (AWS CDK v2, Python): `python3 infra/app.py` or `cdk synth` from the repo root."""
