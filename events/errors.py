"""Domain errors: a stable snake_case code for machines, a translated message for people.

Services raise them; views show the message, the API maps them to 4xx JSON.
Subclasses in other apps set their own codes.
"""


class DomainError(Exception):
    status = 400

    def __init__(self, code, message, *, field=None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PermissionDenied(DomainError):
    status = 403
