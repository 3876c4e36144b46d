"""The Slack adapter: a bolt app over the core. Only this package imports Slack libraries."""
