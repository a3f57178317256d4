"""Container resource types: web, worker and private services, multi-container workloads, batch jobs."""
