"""Calling the env's methods with the arguments they ask for."""

import inspect

_NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def call_with_available(fn, available):
    """Calls fn with the entries of `available` (an ordered dict such as
    {"model": m, "data": d}) that it names as parameters, or all of them
    when it takes **kwargs. When its required parameters are not all ours by
    name, passes by position the last as many as it takes, in order:
    reset(d) gets data, reset(m, d) model and data, step(*args) everything."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # some builtins and C callables have no signature
        return fn(*available.values())
    named = [p.name for p in params if p.kind in _NAMED]
    takes_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    takes_args = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params)
    required = [p for p in params if p.default is p.empty and p.kind in _NAMED + _POSITIONAL]
    if (named or takes_kwargs) and all(p.name in available and p.kind in _NAMED for p in required):
        return fn(**{k: v for k, v in available.items() if takes_kwargs or k in named})
    values = list(available.values())
    count = sum(p.kind in _POSITIONAL for p in params)
    if takes_args or count >= len(values):
        return fn(*values)
    return fn(*values[len(values) - count:])
