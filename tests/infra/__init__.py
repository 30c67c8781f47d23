"""Infrastructure tests: assertions on the CDK app's synthesized template."""
