"""AES-128 keys of assets (RFC 8216 §5.2: whole segments, CBC, PKCS7 padding)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kinomost.cinema import storage


def new_key() -> tuple[bytes, bytes]:
    """A fresh key and IV for one asset."""
    return os.urandom(16), os.urandom(16)


def decrypt_segment(key: bytes, iv: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(bytes(key)), modes.CBC(bytes(iv))).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def write_key_info(asset, token: str) -> Path:
    """The key file and key-info file ffmpeg reads, in the private folder (removed when published)."""
    folder = storage.keys_dir()
    key_file = folder / f"{asset.public_id}.key"
    if not key_file.exists():
        storage.write_atomic(key_file, bytes(asset.key))
        key_file.chmod(0o600)
    info = folder / f"{asset.public_id}.{token}.keyinfo"
    info.write_text(f"{storage.key_uri(asset.public_id)}\n{key_file}\n{bytes(asset.iv).hex()}\n")
    return info


def remove_key_files(asset) -> None:
    for path in storage.keys_dir().glob(f"{asset.public_id}.*"):
        path.unlink(missing_ok=True)
