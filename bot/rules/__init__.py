"""How the bot reads the guideline text: rule units (a sentence or list item with its lead-in)
and their polarity (permitted, conditional, prohibited, duty, information) from deontic cues."""
