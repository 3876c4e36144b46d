"""guidelines-bot: answers "may I post this?" from a company's social media guidelines."""

__version__ = "0.1.0"
