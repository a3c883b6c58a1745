"""The monthly cycle's bookkeeping: what to order, what was ordered, what arrived.

``plan`` says which documents each cabinet owes for a period and from which day the
cabinet gives them; ``book`` keeps one row per expected document in the ledger's
database; ``work`` orders (or downloads) a cabinet's due documents through the robot's
capability; ``matrix`` reconciles and writes the report; ``notify`` mails the summary.
The Prefect flows in ``flows/`` only sequence these.
"""
