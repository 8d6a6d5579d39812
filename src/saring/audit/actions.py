"""Every kind of event the audit trail records: one closed enumeration for all contexts.

A new workflow or write adds its action here; the value is stable (it is hashed into the chain
and filtered on), the label is what the audit page shows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # kernel
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    LOGIN_LOCKED_OUT = "login.locked_out", _("Login locked out")
    ELECTION_STAGE_CHANGED = "election.stage_changed", _("Election stage dates changed")
    ELECTION_CHANGED = "election.changed", _("Election details changed")
    HARM_CATEGORY_SAVED = "harm_category.saved", _("Harm category saved")
    HARM_CATEGORY_DELETED = "harm_category.deleted", _("Harm category deleted")
    KNOWN_ACCOUNT_SAVED = "known_account.saved", _("Known account saved")
    KNOWN_ACCOUNT_DEACTIVATED = "known_account.deactivated", _("Known account deactivated")
    KNOWN_ACCOUNTS_IMPORTED = "known_accounts.imported", _("Known accounts imported")
    KNOWN_ACCOUNT_ROW_DISCARDED = "known_account_row.discarded", _("Known-account row discarded")
    # cases
    REPORT_RECEIVED = "report.received", _("Report received")
    REPORT_NOTE_ADDED = "report.note_added", _("Information added to a report")
    REPORTER_VIEWED = "reporter.viewed", _("Reporter's personal data viewed")
    REPORTER_EXPORTED = "reporter.exported", _("Reporter's personal data exported")
    CASE_PROPOSED = "case.proposed", _("Case proposed by monitoring")
    CASE_OPENED = "case.opened", _("Case opened")
    CASE_ACCEPTED = "case.accepted", _("Proposed case accepted")
    CASE_ITEM_ADDED = "case.item_added", _("Content added to a case")
    CASE_ATTACHMENT_ADDED = "case.attachment_added", _("Screenshot added to a case")
    CASE_UPDATED = "case.updated", _("Case details changed")
    CASE_TRIAGED = "case.triaged", _("Case triaged")
    CASE_REJECTED = "case.rejected", _("Case rejected")
    CASE_ESCALATED = "case.escalated", _("Case escalated")
    CASE_ANSWERED = "case.answered", _("Platform answered")
    CASE_CLOSED = "case.closed", _("Case closed")
    CASE_REOPENED = "case.reopened", _("Case reopened")
    CASE_APPEALED = "case.appealed", _("Decision appealed")
    CASE_MERGED = "case.merged", _("Case merged into another")
    CASE_UNMERGED = "case.unmerged", _("Merge undone")
    CASE_SPLIT = "case.split", _("Content split into a new case")
    CASE_REMINDED = "case.reminded", _("Deadline reminder sent")
    PACKET_BUILT = "packet.built", _("Evidence packet built")
    ESCALATION_SENT = "escalation.sent", _("Escalation delivered")
    ESCALATION_FAILED = "escalation.failed", _("Escalation delivery failed")
    DECISION_RECEIVED = "decision.received", _("Platform decision received")
    DECISION_REJECTED = "decision.rejected", _("Platform decision refused (bad signature)")
    LEGAL_BASIS_SAVED = "legal_basis.saved", _("Legal basis saved")
    PROPOSAL_RULE_SAVED = "proposal_rule.saved", _("Proposal level changed")
    # monitoring
    IMPORT_FINISHED = "import.finished", _("Import finished")
    IMPORT_FAILED = "import.failed", _("Import failed")
    IMPORT_CLOSED = "import.closed", _("Stranded import closed")
    QUARANTINE_RETRIED = "quarantine.retried", _("Quarantined record retried")
    QUARANTINE_DISCARDED = "quarantine.discarded", _("Quarantined record discarded")
    WATCHLIST_SAVED = "watchlist.saved", _("Watchlist saved")
    WATCHLIST_PROPOSED = "watchlist.proposed", _("Watchlist proposed")
    WATCHLIST_APPROVED = "watchlist.approved", _("Watchlist approved")
    WATCHLIST_REJECTED = "watchlist.rejected", _("Watchlist rejected")
    # factcheck
    CLARIFICATION_SAVED = "clarification.saved", _("Clarification saved")
    CLARIFICATION_PUBLISHED = "clarification.published", _("Clarification published")
    MATCH_REVIEWED = "match.reviewed", _("Match reviewed")
    MATCHES_AUTO_LINKED = "matches.auto_linked", _("Confident suggestions linked automatically")
    NARRATIVE_MERGED = "narrative.merged", _("Narratives merged")
    NARRATIVE_SPLIT = "narrative.split", _("Narrative split")
    THRESHOLDS_RETUNED = "thresholds.retuned", _("Match thresholds re-tuned")
    # harms
    MODEL_TRAINING = "harm_model.training", _("Classifier training started")
    MODEL_READY = "harm_model.ready", _("Classifier trained")
    MODEL_FAILED = "harm_model.failed", _("Classifier training failed")
    MODEL_ACTIVATED = "harm_model.activated", _("Classifier activated")
    MODEL_RETIRED = "harm_model.retired", _("Classifier retired")
    LABEL_SET = "label.set", _("Label set")
    LABEL_CHANGED = "label.changed", _("Label changed")
    LABEL_CLEARED = "label.cleared", _("Label cleared")
