"""Errors of the NLU package.

    NluError
     ├── TrainingDataError   a training file is malformed (names file and key, never a value)
     ├── ModelError          the cached model cannot be read or does not match the code
     └── NluUnavailable      a remote NLU backend (Rasa) did not answer usefully
"""

from __future__ import annotations


class NluError(Exception):
    """Base class of NLU errors."""


class TrainingDataError(NluError):
    """A training data file is malformed."""


class ModelError(NluError):
    """A trained model cannot be used."""


class NluUnavailable(NluError):
    """A remote NLU backend did not answer usefully."""
