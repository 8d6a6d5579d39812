"""Offline evaluation of Saring's text analysis against the shared reference data sets.

Pure Python + numpy (no Django import): the management commands are thin wrappers.
"""
