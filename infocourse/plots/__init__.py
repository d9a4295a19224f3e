"""Plotting helpers for the book's figures (matplotlib, PNG output).

Submodules by topic; each chapter's figures call these rather than repeating
styling code in notebooks.
"""
