"""Explanations and advice: why a child got what they got, and what would help most.

``student`` reads a checked schedule (no solver); ``advise`` solves changed schools
through the district's scenario machinery and reports what each change measurably buys.
"""
