"""The embedded default: AWS emulated by moto's server in-process on 127.0.0.1, provisioned from
``config`` like the CDK app, with events routed to the same handlers AWS would invoke."""
