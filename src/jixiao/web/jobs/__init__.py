"""Background jobs on Django's task framework: the API shim (`compat`), the lease every running
job keeps (`lease`: heartbeat, worker id, how a dead worker's job is told apart) and the
``worker`` command that starts a worker for the configured engine (docs/WEB.md "Tasks")."""
