"""The classroom loop: the progress store, hand-in files, the gradebook and LMS files.

- :mod:`nkteach.classroom.progress`   the progress store (imports neither exercises nor submission)
- :mod:`nkteach.classroom.submission` the hand-in file (store + lesson-file reading only)
- :mod:`nkteach.classroom.safefile`   writes that never go through a symbolic link, atomically
- :mod:`nkteach.classroom.csvsafe`    the one CSV writer (spreadsheet formulas neutralised)
- :mod:`nkteach.classroom.identity`   who handed a file in: student folders, Canvas / Moodle downloads, roster
- :mod:`nkteach.classroom.regrade`    the one adapter to the exercise checker (re-grading)
- :mod:`nkteach.classroom.gradebook`  reads, re-grades and reports a folder of hand-ins
- :mod:`nkteach.classroom.lms`        grades back into Canvas and Moodle

The progress panel and the *Hand in* button live in :mod:`nkteach.widgets.progress`.
Nothing is imported here, so ``import nkteach.classroom.progress`` stays light.
"""

__all__: list[str] = []
