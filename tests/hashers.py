"""The password hasher the tests use: Django's PBKDF2 at one iteration instead of a million.

Hashing a password the production way takes about a second on a CI core, and most tests create
a member or sign one in, so it was the largest single cost of the suite. The hashes keep the
production format (`pbkdf2_sha256$<iterations>$…`), so a server the tests start in another
process (`kinomost serve`, with the production PASSWORD_HASHERS) still verifies them.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1
