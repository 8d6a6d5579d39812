"""Analysis of every post: normalisation, language, election relevance, watchlists with
Indonesian morphology, places and virality. Pure Python, no Django import; deterministic.

The pipeline is ``saring.text.analyze.Analyzer``; see ``docs/analysis.md``.
"""
