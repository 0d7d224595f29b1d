"""The demo agency: a realistic, deterministic data set to explore Casework with.

``build_demo()`` loads, in one transaction, a small agency in the New York area: staff of
every case-management discipline with their licences and certifications, a supervisor over
all of them and an administrator without clinical access; three programs (hospital
transitions, juvenile diversion, senior services); 200+ clients from many backgrounds; and
cases in every phase of the process. Each case's history is made by driving the real process
(``cases.services.move_case``) after writing the records each move needs, with the clock
frozen at simulated moments so that dates and stamps move forward as in a real agency.

Modules: ``names`` and ``programs`` hold the hand-written data, ``staff`` and ``clients``
create people, ``scenarios`` lists the paths cases take, ``story`` writes one case,
``timeline`` simulates time, ``notes`` writes contact notes, and ``build`` puts it together.
"""

from casework.demo.build import DemoSummary, build_demo, demo_loaded

__all__ = ["DemoSummary", "build_demo", "demo_loaded"]
