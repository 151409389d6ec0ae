"""The arraymorph package under test: from the source tree (python/), unless
ARRAYMORPH_TEST_INSTALLED=1 asks for the installed one (test_wheel.py runs these tests in a venv
with the wheel installed)."""

import os
import sys

if os.environ.get("ARRAYMORPH_TEST_INSTALLED") != "1":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
