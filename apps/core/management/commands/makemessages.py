"""makemessages that also extracts the immediate gettext aliases the code uses (``_t``, ``_g``):
modules keep ``_`` for gettext_lazy and call gettext under a short alias where a string is built
at request time."""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t", "--keyword=_g"]
