"""The Python env worker's parts: protocol frames, user output, limits, the
project's env contract and the episode loop. tau_env_worker.py wires them."""
