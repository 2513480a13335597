"""Contribute: tools for people who add and translate content.

`make new-case-study` (new_case_study.py, case_study_writer.py), the GitHub
issue forms and their conversion to YAML (issue_forms.py, issue_to_yaml.py;
yaml_edit.py adds to a data file and keeps its comments), error annotations
for pull requests (github_annotations.py) and the translation-status matrix
(translation_status.py).
"""
