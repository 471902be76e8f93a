"""Safe retries: ``Idempotency-Key`` on the operations that change things (holds, reserve, cancel).

The first request with a key runs inside one transaction together with the record of its answer,
so a repeat by the same user with the same key to the same path, even one sent while the first is
still running (it waits on the record's unique index), gets that answer again and nothing is done
twice. The same key with another body is 409 ``idempotency_conflict``. Only successful answers are
kept: a request that failed changed nothing, and its repeat runs again. Records older than
``IDEMPOTENCY_KEY_SECONDS`` (24 hours) no longer count (``services.prune_old_records`` deletes them).
"""

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from . import services
from .exceptions import IdempotencyConflict, InvalidRequest
from .models import IdempotentRequest

HEADER = "Idempotency-Key"
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]{1,255}")

# For the OpenAPI document of each operation that honours the header.
PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[\x21-\x7e]+$"},
    "description": "Send the same key again to repeat this request safely: for 24 hours, the same user "
    "with the same key gets the first successful answer again and nothing is done twice.",
}


def idempotent(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, **kwargs)
        if not _VISIBLE_ASCII.fullmatch(key):
            raise InvalidRequest(
                f"'{HEADER}' is not valid.", details={HEADER: ["1 to 255 visible ASCII characters."]}
            )
        fingerprint = hashlib.sha256(
            b"\n".join([request.method.encode(), request.path.encode(), request.body])
        ).hexdigest()
        with services.write_transaction():
            IdempotentRequest.objects.filter(
                user=request.auth, key=key, path=request.path, created_at__lt=_oldest()
            ).delete()
            record, created = IdempotentRequest.objects.get_or_create(
                user=request.auth,
                key=key,
                path=request.path,
                defaults={"fingerprint": fingerprint, "status": 0, "answer": {}},
            )
            if not created:
                if record.fingerprint != fingerprint:
                    raise IdempotencyConflict(
                        f"This {HEADER} was used for a different request to {request.path}."
                    )
                return Status(record.status, record.answer)
            result = view(request, **kwargs)
            status, answer = (
                (result.status_code, result.value) if isinstance(result, Status) else (200, result)
            )
            # JSON types only (times as ISO 8601 strings): the schema turns them back on a replay.
            record.status, record.answer = status, json.loads(json.dumps(answer, cls=DjangoJSONEncoder))
            record.save(update_fields=["status", "answer"])
        return result

    return wrapper


def _oldest():
    return timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_KEY_SECONDS)
