"""Connect (issue #20): opt-in meeting profiles, the organizers' rules, requests and one-to-one meetings.

- rules.py: who sees whose profile and who may ask whom (the organizers' MeetingRules, the consent);
- profiles.py: publishing and hiding a profile (with the "meetings" consent of events.consent);
- requests.py: send, accept (placing the meeting), decline, cancel;
- placing.py: the first common free slot at a free table (live mode);
- selectors.py: the directory and a person's own requests and meetings;
- views.py, privacy.py, tasks.py: the pages, the data export and eraser, the e-mails.
"""
