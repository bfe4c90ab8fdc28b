"""The board's public data in OParl 1.1 (https://oparl.org), read-only, at /oparl/v1.1/.

- `objects.py`: which rows each OParl type shows (the models' one public rule for each:
  `Meeting.objects.announced()`, `Membership.objects.public()`, `Person.objects.public()`,
  `Document.objects.public()`), when each last changed as OParl sees it, and each as a dict.
- `views.py`: the System, the Body, the lists (paginated, filtered by `created_since`,
  `created_until`, `modified_since`, `modified_until`) and the single objects.

Every address is the portal's public one (KOSS_BASE_URL). A list asked for with
`modified_since` names what stopped being public since then (a document withdrawn or made
members-only, a consent withdrawn) as `deleted: true`, with its address and times only, if it
existed before that moment; rows deleted from the database leave nothing behind (no tombstones
are kept).
"""
