"""Loading and validating the knowledge base (guidelines, FAQ, routing, eval)."""

from bot.knowledge.loader import KnowledgeBase, LoadResult, load_knowledge
from bot.knowledge.markdown import Section
from bot.knowledge.problems import Problem

__all__ = ["KnowledgeBase", "LoadResult", "Problem", "Section", "load_knowledge"]
