# Models arrive with the institutions and works issues.
