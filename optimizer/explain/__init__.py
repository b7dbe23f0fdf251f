"""Explanations in the school's words: why no schedule exists (infeasible.py)."""
