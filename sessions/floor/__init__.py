"""The open roundtable live ("bàn tròn mở"): questions from the floor, votes, moderation, the wall, polls, feedback.

rules.py      who moderates a session (its moderator, organizers)
services.py   every write: ask, vote, moderate, block, polls, feedback; each moves Floor.version
selectors.py  the reads the phone, the moderator and the wall draw
live.py       the live answer: ETag = Floor.version, 304 from one indexed read
views.py      the pages (phone, moderator, wall) and their POSTs
exports.py    CSV / XLSX of a session's questions and poll results for organizers
privacy.py    questions, votes, ballots and feedback in the data export; erased with the person
"""
