"""Account endpoints: session login for the browser, Bearer tokens for API clients."""

from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie

from . import auth
from .api import api_view, json_ok, optional_string, parse_json_body, require_string
from .exceptions import AuthenticationRequired, InvalidRequest
from .ratelimit import check_rate, client_ip

BAD_CREDENTIALS = "The username or password is not correct."


def _user_json(user) -> dict | None:
    if not user.is_authenticated:
        return None
    return {"id": user.pk, "username": user.get_username(), "is_staff": user.is_staff}


def _credentials(request: HttpRequest):
    """The user for the posted username and password; one message whether or not the user exists."""
    data = parse_json_body(request)
    username = require_string(data, "username")
    password = require_string(data, "password", max_length=4096)
    check_rate("login_ip", client_ip(request))
    check_rate("login_user", username.casefold())
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise AuthenticationRequired(BAD_CREDENTIALS)
    return user


@api_view("GET")
@ensure_csrf_cookie
def me(request: HttpRequest) -> JsonResponse:
    return json_ok(user=_user_json(request.user))


@api_view("POST")
def register(request: HttpRequest) -> JsonResponse:
    check_rate("register_ip", client_ip(request))
    data = parse_json_body(request)
    username = require_string(data, "username")
    password = require_string(data, "password", max_length=4096)
    email = optional_string(data, "email")
    users = get_user_model()
    candidate = users(username=username, email=email)
    errors: dict[str, list[str]] = {}
    try:
        users.username_validator(username)
    except ValidationError as error:
        errors["username"] = error.messages
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            errors["email"] = error.messages
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise InvalidRequest("Please correct the highlighted fields.", details=errors)
    taken = InvalidRequest("That username is taken.", details={"username": ["That username is taken."]})
    if users.objects.filter(username__iexact=username).exists():
        raise taken
    try:
        with transaction.atomic():
            user = users.objects.create_user(username=username, email=candidate.email, password=password)
    except IntegrityError:  # registered by a parallel request a moment ago
        raise taken from None
    login(request, user)
    return json_ok(201, user=_user_json(user))


@api_view("POST")
def login_view(request: HttpRequest) -> JsonResponse:
    user = _credentials(request)
    login(request, user)
    return json_ok(user=_user_json(user))


@api_view("POST")
def logout_view(request: HttpRequest) -> JsonResponse:
    logout(request)
    return json_ok(user=None)


@csrf_exempt  # exchanges credentials for a token; no cookie or session is read or set
@api_view("POST")
def token(request: HttpRequest) -> JsonResponse:
    user = _credentials(request)
    return json_ok(token=auth.issue_token(user=user))
