"""One module per exercise kind (named by ``Kind.module`` in nkteach.lessonfile.kinds.KINDS).

Each module defines the kind's constructor (named like the kind), ``spec(...)`` (the pure
:class:`~nkteach.exercises.checker.Spec` from the constructor's arguments) and
``spec_from_kwargs(kwargs)`` (the same from an instructor call's literal arguments, for
re-grading). Widgets are imported only inside the constructors.
"""

__all__: list[str] = []   # the kind modules themselves (choice, numeric, ordering, classify, written …)
