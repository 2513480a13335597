"""`make bench`: how fast the site builds, reloads and loads, against the budgets in README.md.

Run as `PYTHONPATH=scripts python -m benchmark [--quick] [--only NAME,...] [--json PATH]`.
Every measurement works on copies of the repository in a temporary folder;
the repository itself (site/, docs/, data/) is never written to, except
.build/bench/ for Lighthouse's node modules and the JSON results.
"""
