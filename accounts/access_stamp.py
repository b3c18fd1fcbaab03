"""A person's access stamp (``User.access_stamp``), and what each web process keeps under it.

Besides their own account row, a request's access is read from rows of other tables: the person's
district and office memberships, their offices, the ICT organisation's group, the institution whose
account they are (their roles, ``accounts.roles``) and their second factor's devices
(``accounts.middleware``). The database gives the person a new stamp, never given before, whenever
one of those rows is written, in the same transaction, whatever writes it (triggers, migration
``accounts/0009_access_stamp``).

A request reads the stamp with the person (``accounts.backends`` marks that person ``fresh``). What
the process read about them at that stamp is still theirs: ``KeptAtStamp`` keeps it, bounded, and
gives it back only for a person marked fresh; anyone else (a person read earlier, in a task, by a
test) is read afresh. A change counts at the next request, as when everything was read every time.
"""

from __future__ import annotations

import contextlib

_FRESH = "_access_stamp_fresh"
# What each store keeps at most, emptied when full: the people signed in to one process are far
# fewer, and an entry of a stamp no longer current is never asked for again.
MOST = 20_000


def fresh(user) -> None:
    """Mark a person just read from the database for this request: their stamp is the current one."""
    setattr(user, _FRESH, True)


def is_fresh(user) -> bool:
    return getattr(user, _FRESH, False)


def forget(user) -> None:
    """This person's stamp is no longer the current one (their access changed in this request)."""
    with contextlib.suppress(AttributeError):  # never marked
        delattr(user, _FRESH)  # through ``request.user``'s lazy stand-in too


class KeptAtStamp:
    """What was read about a person at a stamp, by (database, person, stamp, what was read)."""

    def __init__(self, most: int = MOST):
        self.most = most
        self._kept: dict[tuple, object] = {}

    def get(self, alias: str, user, key, missing=None):
        """What was read at the person's current stamp, or ``missing``: for a person not marked
        fresh, always ``missing``."""
        if not is_fresh(user):
            return missing
        return self._kept.get((alias, user.pk, user.access_stamp, key), missing)

    def put(self, alias: str, user_id: int, stamp: int, key, value) -> None:
        """Keep ``value``, read at ``stamp``: by the same statement as the stamp, or after it was
        read for this request and before the request changed anything. A stamp is never given
        twice, not even after a rollback, so a value read inside a transaction that is rolled back
        is kept under a stamp nobody will read again."""
        if len(self._kept) >= self.most:
            self._kept.clear()
        self._kept[(alias, user_id, stamp, key)] = value

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        self._kept.clear()
