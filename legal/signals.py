"""What the catalogue announces to the floors above it (ARCHITECTURE.md, "When a lower floor must tell a higher one").

``document_change_requested`` is sent before a document of the catalogue is changed, with ``document``. A
receiver that knows the document is cited by something signed returns the reason (a message for the user);
any reason refuses the change. pacts/receivers.py answers for the pacts that cite it.
"""

from django.dispatch import Signal

document_change_requested = Signal()
