"""Hybrid retrieval, split by job: query building (query), candidate channels (channels: dense,
multilingual dense, lexical), fusion (fusion), section collapse (sections), FAQ matching (faq),
passages to quote (lookup), the numbers they use (params), and the Retriever that wires them."""

from bot.retrieval.hits import MODES, FaqMatch, Mode, PassageHit, Retrieval, SectionHit
from bot.retrieval.params import FusionParams
from bot.retrieval.retriever import Retriever

__all__ = ["MODES", "FaqMatch", "FusionParams", "Mode", "PassageHit", "Retrieval", "Retriever", "SectionHit"]
