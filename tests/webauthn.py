"""A passkey held in software, for tests without a browser.

It answers the options the server hands to the browser's navigator.credentials.create() and .get()
with what the browser would post back (WebAuthn's JSON form), signed with its own P-256 key and
with user verification, as a platform authenticator with a fingerprint or PIN would.
"""

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import sha256, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

ORIGIN = "http://localhost"
FLAGS = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV


class SoftPasskey:
    def __init__(self, origin=ORIGIN):
        self.origin = origin
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.rp_id = None
        self.user_handle = None
        self.counter = 0

    def _credential(self, response):
        credential_id = websafe_encode(self.credential_id)
        return {"id": credential_id, "rawId": credential_id, "type": "public-key", **response}

    def create(self, creation_options):
        """The answer to navigator.credentials.create({publicKey: ...}): a new resident key."""
        options = creation_options["publicKey"]
        self.rp_id = options["rp"]["id"]
        self.user_handle = options["user"]["id"]
        client_data = CollectedClientData.create(
            type=CollectedClientData.TYPE.CREATE, challenge=options["challenge"], origin=self.origin
        )
        public_key = ES256.from_cryptography_key(self.private_key.public_key())
        auth_data = AuthenticatorData.create(
            sha256(self.rp_id.encode()),
            FLAGS | AuthenticatorData.FLAG.AT,
            self.counter,
            AttestedCredentialData.create(Aaguid.NONE, self.credential_id, public_key),
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return self._credential(
            {
                "response": {
                    "clientDataJSON": client_data.b64,
                    "attestationObject": websafe_encode(attestation),
                },
                "clientExtensionResults": {"credProps": {"rk": True}},
            }
        )

    def get(self, request_options, user_handle=None):
        """The answer to navigator.credentials.get({publicKey: ...}), signed with this key."""
        options = request_options["publicKey"]
        self.counter += 1
        client_data = CollectedClientData.create(
            type=CollectedClientData.TYPE.GET, challenge=options["challenge"], origin=self.origin
        )
        auth_data = AuthenticatorData.create(sha256(self.rp_id.encode()), FLAGS, self.counter)
        signature = self.private_key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return self._credential(
            {
                "response": {
                    "clientDataJSON": client_data.b64,
                    "authenticatorData": websafe_encode(auth_data),
                    "signature": websafe_encode(signature),
                    "userHandle": user_handle or self.user_handle,
                },
                "clientExtensionResults": {},
            }
        )


def make_passkey(user, name="Laptop", rp_id="localhost"):
    """A passkey of the user, stored as allauth stores one added through the browser; returns the
    software passkey that holds its private key."""
    from allauth.account.utils import user_pk_to_url_str
    from allauth.mfa.webauthn.internal.auth import WebAuthn

    passkey = SoftPasskey()
    options = {
        "publicKey": {
            "rp": {"id": rp_id, "name": "KOSS-Portal"},
            "user": {"id": websafe_encode(user_pk_to_url_str(user).encode())},
            "challenge": websafe_encode(os.urandom(32)),
        }
    }
    passkey.authenticator = WebAuthn.add(user, name, passkey.create(options)).instance
    return passkey
