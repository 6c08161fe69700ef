"""MuJoCo Menagerie for tau-sim: the official catalog (`mujoco_menagerie`), and the
env.py that makes an imported robot hold its pose. Run by the server as a worker
process (`python/tau_menagerie_worker.py`), one request each."""
