"""Labour: how a call is paid under a rule set, the rule sets and the roles."""
