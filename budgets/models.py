# Models arrive with the budgets issue.
