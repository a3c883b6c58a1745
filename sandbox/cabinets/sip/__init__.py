"""The sandbox's SIP operator cabinet (ISSA-style administrator cabinet).

Screens, labels and messages follow the operator's manuals
(``specs/sip-cabinet-invoices.md``, ``specs/sip-cabinet-call-details.md``) and the
screen contract the robot's page objects are written against.
"""

from sandbox.cabinets.sip.cabinet import SipCabinet, opaque_id

__all__ = ["SipCabinet", "opaque_id"]
