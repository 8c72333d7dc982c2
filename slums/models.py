# Slum areas and surveys arrive with issue 3.
