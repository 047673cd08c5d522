"""Conference contributions to the case pages and the work queue, registered on the cases hooks."""
