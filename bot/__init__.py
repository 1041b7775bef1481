"""The outside world: chat adapters (Slack, the local shell), the scheduler, the CLI.

Only this package imports slack_bolt / slack_sdk (DESIGN section 4).
"""
