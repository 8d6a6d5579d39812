"""RESPOND: reports, one case per content, triage with a legal basis, escalation to platforms
against deadlines, their decisions, evidence packets and the reporter kept informed."""
