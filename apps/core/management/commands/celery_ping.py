"""Send a task to the worker and wait for its answer: proves broker, worker and result backend."""
import uuid

from django.core.management.base import BaseCommand, CommandError

from apps.core.tasks import ping


class Command(BaseCommand):
    help = "Round-trip a task through Redis and a running Celery worker."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=int, default=30)

    def handle(self, *args, timeout, **options):
        token = uuid.uuid4().hex
        try:
            answer = ping.delay(token).get(timeout=timeout)
        except Exception as exc:  # the message says what failed; nothing personal is involved
            raise CommandError(f"No answer from the worker within {timeout} s: {exc}") from exc
        if answer != f"pong:{token}":
            raise CommandError(f"Unexpected answer: {answer}")
        self.stdout.write(self.style.SUCCESS("Celery round trip OK"))
