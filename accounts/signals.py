"""Signals for the apps above accounts, so that accounts (and districts) need not know them."""

from django.dispatch import Signal

# Sent inside the transaction that may have ended someone's review role: their account switched off
# (``district_id=None``: every district), or a district membership switched off, removed or changed
# (``district_id``: the district they had it in). Keyword arguments: ``actor``, ``user``,
# ``district_id``. The inquiries app listens (``inquiries/receivers.py``) and puts back in the
# district's queue whatever the person held where they no longer review; a failure there raises
# and undoes the change.
review_role_ended = Signal()

# Sent when a save of a person changed how the portal names them on screen (``User.display_name``:
# their first or last name, or their username), inside the save's transaction. Keyword argument:
# ``user``. The apps whose kept pages name people listen (``inquiries/receivers.py``,
# ``counters/receivers.py``) and give those pages new versions once the save commits, so that the
# new name shows at once.
person_renamed = Signal()
