"""Filling a role: reading back the scorecards interviewers filled in, and the debrief built from them."""
