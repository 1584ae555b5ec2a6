"""OAuth2 for tests: a token endpoint for service-account JWT grants and refresh-token
grants, and planted credentials.

``plant_service_account`` writes a service-account key file whose ``token_uri`` is the
stand-in; google-auth signs a JWT with it, the stand-in checks the signature against the
planted public key and answers with an access token. ``plant_authorized_user`` writes an
OAuth authorized-user file (what ``gspread.oauth()`` saves) whose refresh token the
stand-in exchanges for an access token. No network, no real account.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
REFRESH_GRANT = "refresh_token"
CLIENT_EMAIL = "sheetpilot-tests@fakesheets.iam.gserviceaccount.com"


class TokenError(Exception):
    """An OAuth2 error answer (400 ``{"error", "error_description"}``)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


_TOKEN_FAULT_ERRORS = {400: "invalid_grant", 401: "invalid_client", 403: "access_denied"}


def token_fault_body(fault: Any) -> dict[str, str]:
    """The OAuth error body of an injected token-endpoint fault: ``{"error",
    "error_description"}``, the error code ``fault.reason`` or one fitting the status
    (``invalid_grant`` for 400, ``internal_failure`` for a 5xx, …).

    >>> from fakesheets.faults import Fault
    >>> token_fault_body(Fault(status=503))["error"], token_fault_body(Fault(status=400))["error"]
    ('internal_failure', 'invalid_grant')
    """
    status = int(fault.status or 500)
    error = fault.reason or _TOKEN_FAULT_ERRORS.get(
        status, "internal_failure" if status >= 500 else "invalid_request"
    )
    description = fault.message or (
        "Token has been expired or revoked." if error == "invalid_grant" else "Internal error."
    )
    return {"error": error, "error_description": description}


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def new_key() -> tuple[str, str, str]:
    """(key id, private key PEM, public key PEM) for a fresh 2048-bit RSA key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return secrets.token_hex(20), private, public


def key_file(
    token_uri: str, key_id: str, private_pem: str, email: str = CLIENT_EMAIL
) -> dict[str, Any]:
    """The JSON of a service-account key file pointing at ``token_uri``."""
    return {
        "type": "service_account",
        "project_id": "fakesheets",
        "private_key_id": key_id,
        "private_key": private_pem,
        "client_email": email,
        "client_id": "100000000000000000000",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "universe_domain": "googleapis.com",
    }


def write_key_file(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(json.dumps(content, indent=2), encoding="utf-8")
    return path


def new_user() -> dict[str, str]:
    """Client id, client secret and refresh token of a fresh authorized user."""
    return {
        "client_id": secrets.token_hex(8) + ".apps.googleusercontent.com",
        "client_secret": "GOCSPX-" + secrets.token_urlsafe(18),
        "refresh_token": "1//fake-" + secrets.token_urlsafe(32),
    }


def user_file(token_uri: str, user: dict[str, str]) -> dict[str, Any]:
    """The JSON of an authorized-user file pointing at ``token_uri``."""
    return {"type": "authorized_user", **user, "token_uri": token_uri}


def _access_token() -> dict[str, Any]:
    return {
        "access_token": "ya29.fake-" + secrets.token_urlsafe(24),
        "expires_in": 3599,
        "token_type": "Bearer",
    }


def grant(
    form: bytes, public_keys: dict[str, str], users: dict[str, tuple[str, str]] | None = None
) -> dict[str, Any]:
    """Answer a token request body (form-encoded) or raise ``TokenError``.

    ``users`` maps planted refresh tokens to their (client id, client secret).
    """
    fields = {k: v[-1] for k, v in parse_qs(form.decode("utf-8", "replace")).items()}
    if fields.get("grant_type") == REFRESH_GRANT:
        client = (users or {}).get(fields.get("refresh_token", ""))
        if client is None:
            raise TokenError("invalid_grant", "Token has been expired or revoked.")
        if client != (fields.get("client_id"), fields.get("client_secret")):
            raise TokenError("invalid_client", "The OAuth client was not found.")
        return _access_token()
    if fields.get("grant_type") != JWT_GRANT:
        raise TokenError(
            "unsupported_grant_type", "Invalid grant_type: " + fields.get("grant_type", "")
        )
    assertion = fields.get("assertion", "")
    parts = assertion.split(".")
    if len(parts) != 3:
        raise TokenError(
            "invalid_grant",
            "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.",
        )
    try:
        header = json.loads(_b64decode(parts[0]))
        claims = json.loads(_b64decode(parts[1]))
        signature = _b64decode(parts[2])
    except ValueError:
        raise TokenError("invalid_grant", "Invalid JWT: malformed.") from None
    public_pem = public_keys.get(str(header.get("kid", "")))
    if public_pem is None or not _verify(public_pem, f"{parts[0]}.{parts[1]}".encode(), signature):
        raise TokenError("invalid_grant", "Invalid JWT Signature.")
    now = time.time()
    if not (float(claims.get("iat", 0)) - 300 <= now <= float(claims.get("exp", 0)) + 300):
        raise TokenError(
            "invalid_grant",
            "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.",
        )
    return _access_token()


def _verify(public_pem: str, payload: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(signature, payload, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
