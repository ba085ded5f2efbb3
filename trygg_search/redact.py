"""Credentials are never printed: a URL, as given by the user, with its password masked, whatever its form."""

from __future__ import annotations

import re


def redacted(url: str) -> str:
    """``https://admin:***@host:9200`` for ``https://admin:S3cret@host:9200``, and the same for what is
    no URL at all (``admin:S3cret@host``, ``htps://…``): everything before the last ``@`` but the scheme
    and the user name is taken for a secret.  A URL without ``@`` is returned as it is."""
    url = url.strip()
    if "@" not in url:
        return url
    head, _, host = url.rpartition("@")
    scheme, sep, userinfo = head.partition("://") if "://" in head else ("", "", head)
    user = userinfo.split(":", 1)[0] + ":" if ":" in userinfo else ""
    return f"{scheme}{sep}{user}***@{host}"


_USERINFO = re.compile(r"(?<![\w.%+-])([\w.%+-]+):([^\s@'\",]+)@")


def scrubbed(text: str) -> str:
    """A message with every ``user:password@`` in it masked: the last guard of every line printed."""
    return _USERINFO.sub(r"\1:***@", text) if "@" in text else text
