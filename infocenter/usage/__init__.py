"""Online usage events and the COUNTER counting rules."""
