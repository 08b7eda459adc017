from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext

from jixiao.web import permissions as perm
from jixiao.web.accounts.roles import ROLE_LABELS


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    mss = perm.memberships(user)
    labels: list[str] = []
    for ms in mss:
        label = ROLE_LABELS.get(ms.role, ms.role)
        shown = (gettext("%(role)s（%(unit)s）") % {"role": label, "unit": ms.recipient.name}
                 if ms.recipient else str(label))
        if shown not in labels:  # the same unit in each fund-year is one role to the user
            labels.append(shown)
    return {"role_labels": labels, "can_import": perm.can_import(user),
            "is_admin": perm.is_admin(user),
            "can_view_all_audit": perm.can_view_all_audit(user),
            "can_review_pile": perm.can_review_pile(user)}
