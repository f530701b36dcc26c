"""Real OpenSSH keys and signatures for the tests, made by ``ssh-keygen`` in a temporary folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SSH_KEYGEN = shutil.which("ssh-keygen")
needs_ssh_keygen = pytest.mark.skipif(SSH_KEYGEN is None, reason="ssh-keygen is not installed")
KEY_KINDS = {
    "ed25519": ["-t", "ed25519"],
    "ecdsa-256": ["-t", "ecdsa", "-b", "256"],
    "ecdsa-384": ["-t", "ecdsa", "-b", "384"],
    "ecdsa-521": ["-t", "ecdsa", "-b", "521"],
    "rsa-2048": ["-t", "rsa", "-b", "2048"],
    "rsa-1024": ["-t", "rsa", "-b", "1024"],
}


def keygen(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert SSH_KEYGEN is not None
    return subprocess.run([SSH_KEYGEN, *args], input=stdin, capture_output=True, check=False, timeout=60)


def new_key(folder: Path, kind: str = "ed25519", name: str | None = None) -> Path:
    """A new key pair without passphrase in ``folder``: the private key's path (``.pub`` beside it)."""
    path = folder / (name or f"id_{kind}")
    result = keygen(*KEY_KINDS[kind], "-q", "-N", "", "-C", f"{kind}@test", "-f", str(path))
    assert result.returncode == 0, result.stderr
    return path


def public_key(key: Path) -> str:
    return Path(f"{key}.pub").read_text()


def ssh_sign(key: Path, file: Path, namespace: str = "promo-packet", *options: str) -> str:
    """``ssh-keygen -Y sign`` of ``file`` with ``key``: the armoured signature it writes."""
    signature = Path(f"{file}.sig")
    signature.unlink(missing_ok=True)
    extra = [arg for option in options for arg in ("-O", option)]
    result = keygen("-Y", "sign", "-n", namespace, "-f", str(key), *extra, str(file))
    assert result.returncode == 0, result.stderr
    return signature.read_text()


def ssh_verifies(allowed_signers: Path, name: str, message: bytes, signature: str, folder: Path) -> bool:
    """Whether ``ssh-keygen -Y verify -f allowed_signers -I NAME`` accepts ``signature`` of ``message``."""
    sig = folder / "check.sig"
    sig.write_text(signature)
    result = keygen("-Y", "verify", "-f", str(allowed_signers), "-I", name, "-n", "promo-packet",
                    "-s", str(sig), stdin=message)
    return result.returncode == 0


def fingerprint(key: Path) -> str:
    """The key's fingerprint as ``ssh-keygen -l`` prints it: ``SHA256:...``."""
    result = keygen("-l", "-E", "sha256", "-f", f"{key}.pub")
    assert result.returncode == 0, result.stderr
    return result.stdout.decode().split()[1]
