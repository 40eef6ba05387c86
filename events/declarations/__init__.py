"""The Alliance declarations: texts, signing online and at the kiosk, the tamper-evident chain.

chain.py hashes and verifies; services.py writes; selectors.py reads; views,
forms, urls, api and admin are the faces; panels.py and demo.py plug into the
personal page and the demo through events.extensions.
"""
