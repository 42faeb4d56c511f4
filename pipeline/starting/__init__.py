"""`rolepack init`: a company of one's own, in a folder of its own (company.py)."""
