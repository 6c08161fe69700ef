"""MuJoCo's warnings (instability, NaN) collected for the user's log.

MuJoCo's own handler would print them and append to MUJOCO_LOG.TXT in the
working folder, which is the user's project. An unstable model can warn at
every step, so only the first MAX_REPORTED of an episode are shown."""

import mujoco

MAX_REPORTED = 10


class PhysicsWarnings:
    def __init__(self):
        self._pending = []
        self._reported = 0
        mujoco.set_mju_user_warning(self.add)

    def add(self, message):
        if self._reported + len(self._pending) <= MAX_REPORTED:
            self._pending.append(message.strip())

    def take(self):
        """The warnings to show since the last call."""
        messages, self._pending = self._pending[:MAX_REPORTED - self._reported], []
        self._reported += len(messages)
        if self._reported == MAX_REPORTED and messages:
            messages.append("(further physics warnings of this episode are not shown)")
            self._reported += 1
        return messages
