"""Run a module as a program with the tests' clock: ``python -m tests.clocked MODULE ARGS...``.

With ``KZN_TEST_CLOCK`` set (an ISO date-time or a name from tests/clock.py) the clock starts there
and ticks on, so a process the tests start (the Celery worker) agrees with them on what "now" is;
without it the module runs as ``python -m MODULE`` would.
"""
import os
import runpy
import sys

from tests.clock import moment, travel

if os.environ.get("KZN_TEST_CLOCK"):
    travel(moment(os.environ["KZN_TEST_CLOCK"])).start()

module = sys.argv[1]
sys.argv = [module, *sys.argv[2:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
