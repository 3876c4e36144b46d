"""Building and loading the index: chunking guideline sections into passages, embedding them,
the dense (FAISS) and lexical (BM25) indexes, the manifest and the atomic swap."""
