"""The visit (seed 001, Section A, step 5): the programme of interviews, the notes taken
in them, the peers' hypotheses tested, and the team leader's final judgement per indicator."""
