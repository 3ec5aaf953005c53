# SPDX-License-Identifier: AGPL-3.0-or-later
"""The log-in page's offer to sign in through the municipality's IdP, when it is configured."""

from django import template
from django.conf import settings

from casebook import oidc

register = template.Library()


@register.inclusion_tag("registration/_idp_sign_in.html", takes_context=True)
def idp_sign_in(context):
    return {
        "enabled": oidc.enabled(),
        "provider": settings.IJAM_OIDC_PROVIDER_NAME,
        "next": context.get("next", ""),
    }
