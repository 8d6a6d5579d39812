"""Multi-label harm classification (hate speech, abuse, ...) of Indonesian social-media posts.

Pure Python (numpy, scipy, scikit-learn), no Django. ``train`` fits a ``Model`` from texts and a
0/1 label matrix; ``Model.load``/``save`` read and write it without pickle. See ``features`` for
the text views and the clean-up that helps transfer between sources, ``train`` for calibration and
thresholds, and ``model`` for the file format.
"""

from saring.text.classify.features import clean
from saring.text.classify.model import (
    FORMAT_VERSION,
    Contribution,
    Model,
    ModelFormatError,
)
from saring.text.classify.train import MIN_ROWS, TrainingError, train

__all__ = [
    "FORMAT_VERSION",
    "MIN_ROWS",
    "Contribution",
    "Model",
    "ModelFormatError",
    "TrainingError",
    "clean",
    "load_model",
    "train",
]

load_model = Model.load
