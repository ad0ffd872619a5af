"""Privacy primitives that every package may use, and that use none: CPR numbers and redaction.

- `find_cpr`, `mask_cpr`, `without_cpr`: a CPR number (ddmmyy-xxxx with a valid date) in what a person
  writes is found, masked before anything else sees the text, and dropped with the words announcing it;
- `redact`: the backstop for everything that is logged (tokens, CPR-like numbers, long digit runs, and the
  values of fields that carry a person's name or words).

One place, so that citizens, caseworkers, team chats, case references and logs apply the same rules.
"""

from privacy.cpr import CPR_MASK, find_cpr, mask_cpr, without_cpr
from privacy.redact import redact

__all__ = ["CPR_MASK", "find_cpr", "mask_cpr", "redact", "without_cpr"]
