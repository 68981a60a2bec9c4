"""The review loop: draw samples, write review sheets, read verdicts back."""
