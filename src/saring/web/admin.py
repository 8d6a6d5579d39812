"""The web app registers no model; loading it (admin autodiscovery, at start-up) labels the
fields other apps declared without a label (`field_labels`)."""

from saring.web import field_labels

field_labels.apply()
