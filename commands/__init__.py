"""What users can ask, as plain functions: parse -> check rights -> act -> a neutral reply.

No chat SDK is imported here (DESIGN section 4). `commands.engine.run.run_command` is the entry.
"""
