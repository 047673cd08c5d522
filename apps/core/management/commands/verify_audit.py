"""Recompute the audit log's hash chains and name the first broken link of each."""
from django.core.management.base import BaseCommand, CommandError

from apps.core.audit_chain import read_heads, verify, write_heads

PROBLEMS = {
    "altered": "the entry or the link before it was changed after sealing",
    "missing": "the sealed entry is gone",
    "gap": "a link before this one is gone",
}


class Command(BaseCommand):
    help = "Verify the audit log's hash chains (exit status 1 when a link is broken)."

    def add_arguments(self, parser):
        parser.add_argument("--heads", help="JSON file of heads saved earlier (--save-heads, backup manifest)")
        parser.add_argument("--save-heads", help="write the current heads to this JSON file")

    def handle(self, *args, heads=None, save_heads=None, **options):
        report = verify(expected_heads=read_heads(heads) if heads else None)
        for link in report.broken:
            self.stdout.write(
                f"chain {link['municipality']}: first broken link at position {link['seq']} "
                f"(audit entry {link['entry']}): {PROBLEMS[link['problem']]}"
            )
        for mismatch in report.head_mismatches:
            self.stdout.write(
                f"chain {mismatch['municipality']}: the saved head at position {mismatch['seq']} is "
                f"{mismatch['problem']}: the chain was rewritten or cut after the heads were saved"
            )
        if report.unsealed:
            self.stdout.write(
                f"{len(report.unsealed)} old entries are not sealed (first: {report.unsealed[0]}); "
                "run seal_audit --all"
            )
        if save_heads:
            write_heads(save_heads, report.heads)
        if not report.ok:
            raise CommandError("The audit log does not verify.")
        self.stdout.write(self.style.SUCCESS(
            f"Audit log verified: {report.links} links in {len(report.heads)} chains, none broken."
        ))
