"""The process that runs one submission's code for the grader (``tools/grader.py``).

It is started from a ``multiprocessing`` fork server that has imported only
numpy, torch, IPython and ``infocourse`` (so a submission does not pay for
those imports, seconds per notebook), never the grader's checks or reference
values. For each submission the grader gets a fresh process with a fresh
IPython shell, sends it *steps* as JSON text and reads one JSON reply per step:

* ``{"op": "cell", "code": ...}``: run a notebook cell with ``run_cell``, as
  a Jupyter kernel would (magics, ``get_ipython()``, the student's hooks);
  the reply holds the captured text outputs. Nothing is scored from it.
* ``{"op": "times"}``: the CPU seconds this process used (for the benchmark).
* ``{"op": "probe", "calls": [...]}``: call functions of the student's
  namespace on the grader's inputs and reply with the results as plain data
  (numbers, nested lists, error names). Scores come only from the grader
  comparing these results with its own reference values, in its own process,
  so hooks, ``set_custom_exc``, patched ``torch.allclose`` or a patched
  ``infocourse`` in this process change nothing there.

Only JSON crosses the pipe in either direction (the grader never unpickles
what this process sends).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import sys
import tempfile
import traceback


def preload():
    """Modules imported once by the fork server (inherited by every submission)."""
    import IPython.core.interactiveshell  # noqa: F401
    import numpy  # noqa: F401
    import torch  # noqa: F401

    import infocourse  # noqa: F401


# --- plain data in and out ------------------------------------------------------------------


def decode(obj, data=None):
    """Grader inputs: ``{"__nd__": ...}`` -> numpy array, ``{"__tensor__": ...}`` -> tensor.

    ``{"__ref__": key}`` is a copy of ``data[key]`` (large inputs are sent once per step).
    """
    import numpy as np

    if isinstance(obj, dict):
        if "__ref__" in obj:
            value = data[obj["__ref__"]]
            return value.clone() if hasattr(value, "clone") else value.copy()
        if "__nd__" in obj:
            return np.asarray(_floats_in(obj["__nd__"]), dtype=obj["dtype"])
        if "__tensor__" in obj:
            import torch

            t = torch.tensor(_floats_in(obj["__tensor__"]), dtype=getattr(torch, obj["dtype"]))
            return t.requires_grad_(True) if obj.get("requires_grad") else t
        if "__float__" in obj:
            return float(obj["__float__"])
        return {k: decode(v, data) for k, v in obj.items()}
    if isinstance(obj, list):
        return [decode(v, data) for v in obj]
    return obj


def _floats_in(x):
    if isinstance(x, dict) and "__float__" in x:
        return float(x["__float__"])
    if isinstance(x, list):
        return [_floats_in(v) for v in x]
    return x


def encode(value, depth=0):
    """A result as JSON-able data; anything else is described by its type name."""
    import numpy as np

    if depth > 20:
        return {"__type__": "too deeply nested"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = float(value)
        return value if math.isfinite(value) else {"__float__": repr(value)}
    try:
        import torch

        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, np.generic):
        value = np.asarray(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return {"__type__": f"array of dtype {value.dtype}"}
        data = value.astype(float).tolist() if value.dtype.kind == "f" else value.tolist()
        return {"__nd__": _finite(data), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, (list, tuple)):
        return {"__seq__": [encode(v, depth + 1) for v in value], "kind": type(value).__name__}
    return {"__type__": type(value).__name__}


def _finite(x):
    if isinstance(x, list):
        return [_finite(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return {"__float__": repr(float(x))}
    return x


def _error(exc):
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return {"error": type(exc).__name__, "message": text[:500]}


def run_call(ns, call, data):
    """One probe call: ``ns[name](*args, **kwargs)``, then optionally backward / apply."""
    name = call["name"]
    fn = ns.get(name)
    if fn is None:
        return {"error": "NameError", "message": f"NameError: {name!r} is not defined"}
    if not callable(fn):
        return {"error": "TypeError", "message": f"TypeError: {name!r} is not a function"}
    args = decode(call.get("args", []), data)
    kwargs = decode(call.get("kwargs", {}), data)
    try:
        out = fn(*args, **kwargs)
        reply = {}
        if call.get("backward"):
            out.backward()
            reply["grads"] = [encode(a.grad) if getattr(a, "requires_grad", False) else None
                              for a in args]
        if "apply" in call:
            import torch

            with torch.no_grad():
                out = out(*decode(call["apply"], data))
        reply["value"] = encode(out)
        return reply
    except Exception as exc:  # the student's error is a result like any other
        return _error(exc)


# --- the process ------------------------------------------------------------------------------


_WORKDIR = [""]


def serve(conn):
    """Read steps from ``conn`` until it closes; reply to each with one JSON message."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # time-outs interrupt
    workdir = tempfile.mkdtemp(prefix="grading-")
    _WORKDIR[:] = [workdir]
    os.chdir(workdir)  # student code starts in an empty folder, not in the course folder
    # What the student's code writes outside a cell's capture (warnings raised
    # during the checks' calls) is no news for the instructor's terminal.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    shell = InteractiveShell.instance(colors="NoColor")
    shell.showtraceback  # noqa: B018  (created eagerly, before any student code)
    send = conn.send_bytes
    while True:
        try:
            step = json.loads(conn.recv_bytes().decode())
        except (EOFError, OSError):
            return
        if step.get("op") == "cell":
            with capture_output(display=True) as cap:
                try:
                    shell.run_cell(step["code"], store_history=True)
                except BaseException as exc:  # noqa: BLE001  (an interrupt that escaped)
                    print(f"{type(exc).__name__}: {exc}")
            outputs = []
            if cap.stdout:
                outputs.append({"name": "stdout", "text": cap.stdout[-20000:]})
            if cap.stderr:
                outputs.append({"name": "stderr", "text": cap.stderr[-20000:]})
            for out in cap.outputs:
                text = out.data.get("text/plain")
                if text:
                    outputs.append({"name": "stdout", "text": text[-20000:] + "\n"})
            reply = {"outputs": outputs}
        elif step.get("op") == "probe":
            results = []
            try:
                data = {k: decode(v) for k, v in step.get("data", {}).items()}
                for call in step["calls"]:
                    results.append(run_call(shell.user_ns, call, data))
            except BaseException as exc:  # noqa: BLE001  (KeyboardInterrupt on time-out)
                results.append(_error(exc))  # the remaining calls of the step get no result
            reply = {"results": results}
        elif step.get("op") == "times":
            t = os.times()
            reply = {"cpu_seconds": t.user + t.system}
        else:
            reply = {"error": f"unknown step {step.get('op')!r}"}
        try:
            send(json.dumps(reply).encode())
        except (TypeError, ValueError) as exc:  # a result the student made unserialisable
            send(json.dumps({"error": f"reply not serialisable: {exc}"}).encode())
        except (BrokenPipeError, OSError):
            return


def main(conn):
    """Entry point of the process (the target of ``multiprocessing.Process``)."""
    try:
        serve(conn)
        shutil.rmtree(_WORKDIR[0], ignore_errors=True)  # the folder serve() made
        os._exit(0)  # no clean-up of the student's objects (a __del__ could hang the exit)
    except BaseException:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        raise
