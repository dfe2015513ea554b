# Security groups per tier (example).
