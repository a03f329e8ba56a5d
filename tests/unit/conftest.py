"""Hypothesis runs derandomized: the same examples on every run, so CI's verdict does not depend
on luck; the examples are still many and varied (see each test's max_examples)."""

from hypothesis import settings

settings.register_profile('huaweicloud', derandomize=True, deadline=None)
settings.load_profile('huaweicloud')
