"""Partnership Playbooks: the code behind the site.

Data flows one way: YAML files in data/ -> one validated Catalogue (catalogue.py)
-> view functions (views.py) -> Jinja templates in overrides/components/.
The MkDocs hooks (scripts/hooks.py) and macros (scripts/macros.py) only call in.
"""
