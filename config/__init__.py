"""Settings from the environment and the partnership files (the agreement as data).

The bottom layer: imports nothing of the project's other packages.
"""
