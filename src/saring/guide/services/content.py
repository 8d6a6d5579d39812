"""Drafting, approving and withdrawing guide content (helper: content fills these in).

Interface (others code against it):
    draft(scope, *, kind, slug, title_id, body_id, title_en="", body_en="", topic="",
          notice="", province=None, regency=None, election=None, valid_from=None,
          valid_until=None, position=100) -> Revision   # a new entry and its first draft
    revise(scope, entry, **fields) -> Revision          # a new draft from the latest text
    submit(scope, revision) -> Revision
    approve(scope, revision, note="") -> Revision       # publishes; never the author
    return_to_author(scope, revision, note) -> Revision
    withdraw(scope, entry, why) -> Entry
    ContentError(ValueError): bad input, with `.field` naming the field
"""
