"""What the social media team sees of the bot: the trace each answer leaves (``trace.py``) and
the report computed from the traces, the cases and the ratings (``report.py``). No Slack here."""
