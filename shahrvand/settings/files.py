"""Where private files (uploads, answer PDFs, monthly reports) live: a local folder, or an
S3-compatible object store for more than one machine (docs/deploy.md, "Files on object storage").

Either way they are reached only through Django's storage API and served only by views that check
who is asking: the bucket is private, objects get no ACL, and no page ever links to the store.
"""

from __future__ import annotations


def s3_private_storage(
    *,
    bucket: str,
    endpoint_url: str | None,
    access_key: str | None,
    secret_key: str | None,
    region: str | None,
    location: str = "",
    addressing_style: str = "path",
) -> dict:
    """The STORAGES entry of a private bucket (django-storages' S3Storage)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region or None,
            "location": location,
            # Private: no ACL on the objects (the bucket's own policy, which must not be public),
            # and a storage URL, were one ever asked for, carries a signature and expires.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Like the local folder: a name already taken gets another, nothing is overwritten.
            "file_overwrite": False,
            # S3-compatible servers run in-house answer at one address, not per bucket.
            "addressing_style": addressing_style,
        },
    }
