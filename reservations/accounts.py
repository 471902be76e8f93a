"""Account operations: session login for the browser, Bearer tokens for API clients."""

from django.contrib.auth import authenticate, get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from ninja import Router, Status

from . import auth
from .auth import BEARER, CUSTOMER, OPEN, PUBLIC, SIGN_IN
from .exceptions import AuthenticationRequired, CsrfFailed, InvalidRequest, RateLimited
from .ratelimit import check_login_allowed, check_rate, client_ip, count_failed_login
from .schemas import CredentialsIn, MeIn, MeOut, Ok, PasswordChangeIn, RegisterIn, TokenOut, answers

BAD_CREDENTIALS = "The username or password is not correct."

router = Router(tags=["accounts"])
router.add_decorator(never_cache, mode="view")  # who you are, your tokens: never kept by a cache


def _user_json(user) -> dict | None:
    if not user.is_authenticated:
        return None
    return {"id": user.pk, "username": user.get_username(), "is_staff": user.is_staff, "email": user.email}


def _valid_email(email: str) -> str:
    """The address as given, if it is one (Django's validator: no spaces, no line breaks, so no
    header can be smuggled into the e-mail sent to it); InvalidRequest naming the field if not."""
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidRequest(
            "Please give a valid e-mail address.", details={"email": error.messages}
        ) from None
    return email


def _credentials(request: HttpRequest, credentials: CredentialsIn):
    """The user for the posted username and password; one message whether or not the user exists."""
    check_login_allowed(request, credentials.username)
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        raise AuthenticationRequired(BAD_CREDENTIALS)
    return user


@router.get("/me/", **answers({200: MeOut}, access=PUBLIC), operation_id="me", summary="Who am I?")
def me(request: HttpRequest):
    """The signed-in user, or null. Also sets the `csrftoken` cookie that session requests echo in
    `X-CSRFToken`."""
    get_token(request)  # as @ensure_csrf_cookie does: CsrfViewMiddleware sets the cookie
    return {"user": _user_json(request.auth)}


@router.patch(
    "/me/",
    **answers({200: MeOut}, CsrfFailed, InvalidRequest, access=CUSTOMER),
    operation_id="updateMe",
    summary="Set your e-mail address (for tickets and password reset)",
)
def update_me(request: HttpRequest, payload: MeIn):
    user = request.auth
    user.email = _valid_email(payload.email)
    user.save(update_fields=["email"])
    return {"user": _user_json(user)}


@router.post(
    "/register/",
    **answers({201: MeOut}, InvalidRequest, RateLimited, access=SIGN_IN),
    operation_id="register",
    summary="Create an account and sign in (Django's password validators apply)",
)
def register(request: HttpRequest, payload: RegisterIn):
    check_rate("register_ip", client_ip(request))
    users = get_user_model()
    candidate = users(username=payload.username, email=payload.email)
    errors: dict[str, list[str]] = {}
    try:
        users.username_validator(payload.username)
    except ValidationError as error:
        errors["username"] = error.messages
    if payload.email:
        try:
            _valid_email(payload.email)
        except InvalidRequest as error:
            errors.update(error.details)
    try:
        validate_password(payload.password, user=candidate)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise InvalidRequest("Please correct the highlighted fields.", details=errors)
    taken = InvalidRequest("That username is taken.", details={"username": ["That username is taken."]})
    if users.objects.filter(username__iexact=payload.username).exists():
        raise taken
    try:
        with transaction.atomic():
            user = users.objects.create_user(
                username=payload.username, email=candidate.email, password=payload.password
            )
    except IntegrityError:  # registered by a parallel request a moment ago
        raise taken from None
    login(request, user)
    return Status(201, {"user": _user_json(user)})


@router.post(
    "/login/",
    **answers({200: MeOut}, InvalidRequest, AuthenticationRequired, RateLimited, access=SIGN_IN),
    operation_id="login",
    summary="Sign the browser in (session cookie)",
)
def login_view(request: HttpRequest, payload: CredentialsIn):
    user = _credentials(request, payload)
    login(request, user)
    return {"user": _user_json(user)}


@router.post(
    "/logout/",
    **answers({200: MeOut}, access=SIGN_IN),
    operation_id="logout",
    summary="Sign the browser out",
)
def logout_view(request: HttpRequest):
    logout(request)
    return {"user": None}


@router.delete(
    "/token/",
    **answers({200: Ok}, access=BEARER),
    operation_id="revokeToken",
    summary="Revoke the Bearer token this request is sent with",
)
def revoke_token(request: HttpRequest):
    auth.revoke_token(request.token)
    return {}


@router.post(
    "/password/",
    **answers({200: MeOut}, CsrfFailed, InvalidRequest, RateLimited, access=CUSTOMER),
    operation_id="changePassword",
    summary="Change your password: every token and every other session of the account stop working",
)
def change_password(request: HttpRequest, payload: PasswordChangeIn):
    user = request.auth
    check_login_allowed(request, user.get_username())
    if not user.check_password(payload.old_password):
        count_failed_login(None, {"username": user.get_username()}, request)
        raise InvalidRequest(
            "The current password is not correct.", details={"old_password": ["Not your current password."]}
        )
    try:
        validate_password(payload.new_password, user=user)
    except ValidationError as error:
        raise InvalidRequest(error.messages[0], details={"new_password": error.messages}) from None
    with transaction.atomic():
        user.set_password(payload.new_password)
        user.save(update_fields=["password"])
        auth.revoke_tokens(user=user)
    if request.user.is_authenticated:  # a browser: it stays signed in, its other sessions do not
        update_session_auth_hash(request, user)
    return {"user": _user_json(user)}


@router.post(
    "/token/",
    **answers({200: TokenOut}, InvalidRequest, AuthenticationRequired, RateLimited, access=OPEN),
    operation_id="createToken",
    summary="Exchange a username and password for a new Bearer token",
)
def token(request: HttpRequest, payload: CredentialsIn):
    """No CSRF check: no cookie or session is read or set. Each call issues a new token, valid for
    API_TOKEN_MAX_AGE_SECONDS (30 days) until revoked: `DELETE /api/auth/token/` with it, a
    password change, or `manage.py create_api_token USER --revoke`."""
    user = _credentials(request, payload)
    return {"token": auth.issue_token(user=user)}
