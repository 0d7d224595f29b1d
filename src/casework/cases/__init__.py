"""Programs, cases, care teams and the phase history of the case-management process."""
