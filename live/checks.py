"""System checks of the deployment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def streams_need_a_signing_key(app_configs, **kwargs) -> list[Warning]:
    if settings.DEBUG or not settings.PUSH_URL or settings.PUSH_SIG_KEY:
        return []
    return [
        Warning(
            "Push is on (PUSH_URL) without PUSH_SIG_KEY: any request that reaches a web node with a "
            "Grip-Sig header of its own passes for Pushpin.",
            hint="Set PUSH_SIG_KEY on the web nodes and the same as sig_key in Pushpin's pushpin.conf.",
            id="live.W001",
        )
    ]
