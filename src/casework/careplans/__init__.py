"""Care plans: goals in the client's words, interventions, agreement, progress, outcomes."""
