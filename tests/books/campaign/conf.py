# A tiny book for the {campaign-planner} directive alone (tests/test_campaign.py builds a copy).
project = "Campaign planner test book"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "spotthelure.campaign_sphinx"]
bibtex_bibfiles = ["references.bib"]
exclude_patterns = ["_build"]
html_theme = "basic"
