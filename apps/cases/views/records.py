"""Pages of one area of the case record."""


def detail_context(request, case) -> dict:
    """What the case page needs from this area (sections rendered by templates/cases/detail/)."""
    return {}
