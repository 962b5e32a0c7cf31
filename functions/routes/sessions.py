"""登录 and 退出: the session cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from .. import notifications
from ..cookies import set_cookie
from ..dependencies import SESSION_COOKIE, CurrentUser, Store, client_address, limited
from ..domain import devices, passwords, validators
from ..errors import GUARDED, JSON_BODY, ApiError, error_responses
from ..presenters import account_public
from ..repositories import known_devices, login_attempts, rate_limits
from ..repositories.accounts import Account
from ..schemas.accounts import AccountPublic, Login
from ..services import Services

router = APIRouter(prefix="/sessions", tags=["sessions"])

# The browser's own token, so a login from another browser can be told to the account's owner.
DEVICE_COOKIE = "portal_device"
# One message for an unknown name and a wrong password, so the answer never tells which names exist.
WRONG_CREDENTIALS = "登录名或密码错误"


@router.post("", dependencies=[limited(rate_limits.LOGIN)], responses=error_responses(401, 429, *JSON_BODY))
def login(body: Login, request: Request, response: Response, services: Store) -> AccountPublic:
    if not services.captchas.consume(body.captcha_id, body.captcha_answer):
        raise ApiError(422, "captcha_wrong", "验证码不正确或已过期，请重新输入", {"captcha_answer": "验证码不正确"})
    login_key = validators.login_name_key(body.login_name)
    if not services.login_attempts.admit(login_key):
        raise ApiError(
            429,
            "locked",
            "登录失败次数过多，账号已暂时锁定，请 15 分钟后再试",
            headers={"Retry-After": str(login_attempts.LOCK_SECONDS)},
        )
    account = services.accounts.find_by_login_name(body.login_name)
    # Verify against a dummy hash for unknown names too: the response time must not tell them apart.
    password_ok = passwords.verify_password(
        account["password_hash"] if account else passwords.dummy_hash(), body.password
    )
    if account is None or not password_ok:
        raise ApiError(
            401,
            "wrong_credentials",
            WRONG_CREDENTIALS,
            {"login_name": WRONG_CREDENTIALS, "password": WRONG_CREDENTIALS},
        )
    services.login_attempts.clear(login_key)
    if passwords.needs_rehash(account["password_hash"]):
        account = services.accounts.update(account["id"], {"password_hash": passwords.hash_password(body.password)})
    # A new token at every login: a token planted before login is worthless after it.
    old = request.cookies.get(SESSION_COOKIE)
    if old and (previous := services.sessions.resolve(old)):
        services.sessions.end(previous.token_hash, previous.account_id)
    token = services.sessions.create(account["id"])
    set_cookie(request, response, SESSION_COOKIE, token, services.settings.session_absolute_hours * 3600)
    _recognise_device(request, response, services, account)
    return account_public(account)


def _recognise_device(request: Request, response: Response, services: Services, account: Account) -> None:
    """Remember this browser; a login from one the account has not used tells its owner (SMS and 消息中心) —
    except the account's very first login, which has nothing to compare with."""
    device = request.cookies.get(DEVICE_COOKIE) or ""
    described = devices.describe(request.headers.get("user-agent", ""), client_address(request, services))
    if not services.known_devices.is_known(account["id"], device):
        first_login = not services.known_devices.any_known(account["id"])
        device = device if 20 <= len(device) <= 100 else known_devices.new_device_token()
        if not first_login:
            notifications.new_device_login(services.sms, services.messages, account, services.clock(), described)
    services.known_devices.remember(account["id"], device, described)
    set_cookie(request, response, DEVICE_COOKIE, device, known_devices.REMEMBER_SECONDS)


@router.delete("/current", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, *GUARDED))
def logout(user: CurrentUser, services: Store) -> Response:
    services.sessions.end(user.session.token_hash, user.person["id"])  # the session is the person's, acting or not
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
