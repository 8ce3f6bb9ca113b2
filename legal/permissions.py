"""Who may see and keep the catalogue of legal documents: ministry staff and administrators."""

from accounts.permissions import is_admin, is_ministry


def can_manage_legal_documents(user) -> bool:
    return is_ministry(user) or is_admin(user)
