"""Grade one submission with checks its code cannot reach.

nbgrader's autograder runs the tests inside the student's kernel and scores a
test cell by whether an error was *reported*; a submission can install a
``post_run_cell`` hook or ``set_custom_exc`` that hides every error, patch
``torch.allclose``, or call the reference implementation. Here instead:

1. The notebook that runs is rebuilt from the **released** notebook: every
   locked cell (instructions, setup, visible tests) is the released one; the
   student's answer cells, written answers and extra cells are placed where
   the student put them. Copied cells with a duplicated ``grade_id`` are kept
   as ungraded cells, deleted answer cells are put back as released; both are
   reported.
2. That notebook runs top to bottom in a fresh process (one per submission,
   ``tools/grading_kernel.py``), visible tests included, for the student's
   feedback. Nothing is scored from it. A cell that runs longer than the
   time-out is interrupted; a kernel that dies is restarted and the cells
   before are replayed, so one bad cell costs only what depends on it.
3. For each autograded cell the grader sends **probes**: calls of the
   student's functions on inputs the grader made, whose results come back as
   plain data (numbers, arrays as nested lists). The checks compare them, in
   the grader's process, with reference values the grader computed itself
   (``book/assignments/checks/<assignment>.py``). A test cell earns its points
   when every check passes.
4. The student's code is inspected (AST): a checked function that reaches a
   forbidden name (the reference ``infocourse``, a library's ready-made
   version, a module outside the allowed ones), and code that rewrites
   names dynamically (``exec``, ``globals()``, ``get_ipython()`` other than
   magics, dunder attributes) or patches a library (``torch.allclose = ...``)
   earn 0 for the checks concerned, with the reason.

The checks file of an assignment defines ``CHECKS`` (a list of :class:`Check`,
one per tests cell) and optionally ``FORBIDDEN`` (``{name: why}``),
``FORBIDDEN_ATTRIBUTES`` and ``ALLOWED_IMPORTS``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import importlib.util
import json
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbgrader_cells  # noqa: E402

VERSION = "1"  # part of every cache key: bump when grading changes

# --- the checks: calls, cases, predicates -----------------------------------------------------


@dataclass
class Call:
    """``name(*args, **kwargs)`` in the student's namespace, with options.

    ``backward=True``: call ``.backward()`` on the result and return the
    gradients of the tensor arguments that require them; ``apply=(x,)``: call
    the result (a model) on ``x`` under ``torch.no_grad()`` and return that.
    """

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    backward: bool = False
    apply: tuple | None = None


def call(name, *args, backward=False, apply=None, **kwargs) -> Call:
    return Call(name, args, kwargs, backward, apply)


@dataclass
class Err:
    """A call that raised (or could not be made)."""

    error: str
    message: str

    def __str__(self):
        return self.message


@dataclass
class Backward:
    """The result of a ``backward=True`` call: the value and the arguments' gradients."""

    value: object
    grads: list


@dataclass
class Opaque:
    """A result that is not plain data (e.g. a dict or a module): only its type is known."""

    type: str


@dataclass
class Case:
    """One check: ``calls`` (one or a tuple) and ``predicate(values) -> None | reason``."""

    description: str
    calls: object
    predicate: object
    hidden: bool = True

    def call_list(self):
        return list(self.calls) if isinstance(self.calls, (list, tuple)) else [self.calls]


@dataclass
class Check:
    """The checks of one tests cell; the cell scores its points when all pass."""

    grade_id: str
    cases: list

    @property
    def uses(self) -> set:
        return {c.name for case in self.cases for c in case.call_list()}


def short(value, width=60) -> str:
    """A result, briefly, for a failure message."""
    if isinstance(value, Err):
        return f"an error ({value.message})"
    if isinstance(value, Opaque):
        return f"a {value.type}"
    if isinstance(value, np.ndarray) and value.ndim:
        text = np.array2string(value, precision=4, threshold=6, edgeitems=2)
        text = " ".join(text.split())
        return f"array{list(value.shape)} {text}"[:width]
    if isinstance(value, np.ndarray):
        value = value.item()
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)[:width]


def as_array(value):
    """``value`` as a float array, or an ``Err`` saying why it is not a number/array."""
    if isinstance(value, (Err, Opaque, Backward)):
        return Err("TypeError", f"expected numbers, got {short(value)}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return Err("TypeError", f"expected numbers, got {short(value)}")
    return arr


def close(expected, *, rtol=1e-7, atol=1e-12):
    """Predicate: the result equals ``expected`` (same shape) up to ``rtol``/``atol``."""
    exp = np.asarray(expected, dtype=float)

    def predicate(value):
        if isinstance(value, Err):
            return f"raised {value.message}"
        arr = as_array(value)
        if isinstance(arr, Err):
            return arr.message
        if exp.ndim == 0 and arr.size == 1:
            arr = arr.reshape(())
        if arr.shape != exp.shape:
            return f"expected shape {exp.shape}, got shape {arr.shape}"
        if not np.allclose(arr, exp, rtol=rtol, atol=atol):
            return f"expected {short(exp)}, got {short(arr)}"
        return None

    return predicate


def raises(name):
    """Predicate: the call raised ``name`` (e.g. ``"ValueError"``)."""

    def predicate(value):
        if isinstance(value, Err):
            return None if value.error == name else f"expected {name}, got {value.message}"
        return f"expected {name}, but it returned {short(value)}"

    return predicate


def satisfies(test, text):
    """Predicate: ``test(values)`` is true; ``text`` says what is expected."""

    def predicate(value):
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if isinstance(v, Err):
                return f"raised {v.message}"
        try:
            ok = bool(test(value))
        except Exception as exc:  # noqa: BLE001  (a result of the wrong kind)
            return (f"expected {text}; the result could not be checked "
                    f"({type(exc).__name__}: {exc})")
        if ok:
            return None
        got = ", ".join(map(short, values))
        return f"expected {text}, got {got}"

    return predicate


def load_checks(path):
    """The checks module of an assignment (``checks/<assignment>.py``)."""
    spec = importlib.util.spec_from_file_location(f"checks_{Path(path).stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.CHECKS_BY_ID = {c.grade_id: c for c in module.CHECKS}
    return module


def file_hash(*paths) -> str:
    h = hashlib.sha256(VERSION.encode())
    for p in paths:
        p = Path(p)
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.is_file() else b"-")
    return h.hexdigest()[:16]


# --- plain data across the pipe -------------------------------------------------------------


def encode_input(x, data):
    """Grader input -> JSON-able; large arrays go into ``data`` once (referenced by key)."""
    try:
        import torch
    except ImportError:  # pragma: no cover
        torch = None
    if torch is not None and isinstance(x, torch.Tensor):
        enc = {"__tensor__": x.detach().tolist(), "dtype": str(x.dtype).replace("torch.", ""),
               "requires_grad": bool(x.requires_grad)}
        if x.numel() > 64 and not x.requires_grad:
            key = f"t{id(x)}"
            data[key] = enc
            return {"__ref__": key}
        return enc
    if isinstance(x, np.ndarray):
        enc = {"__nd__": x.tolist(), "dtype": str(x.dtype)}
        if x.size > 64:
            key = f"a{id(x)}"
            data[key] = enc
            return {"__ref__": key}
        return enc
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    if isinstance(x, (list, tuple)):
        return [encode_input(v, data) for v in x]
    if isinstance(x, dict):
        return {k: encode_input(v, data) for k, v in x.items()}
    return x


def probe_step(check: Check) -> str:
    """The JSON text of the probe step of a check (computed once per check).

    Identical calls of several cases are made once; ``check.plan`` maps each
    case to the indices of its calls' results.
    """
    if getattr(check, "_step", None) is None:
        data, calls, index, plan = {}, [], {}, []
        for case in check.cases:
            indices = []
            for c in case.call_list():
                item = {"name": c.name, "args": encode_input(list(c.args), data),
                        "kwargs": encode_input(dict(c.kwargs), data), "backward": c.backward}
                if c.apply is not None:
                    item["apply"] = encode_input(list(c.apply), data)
                key = json.dumps(item, sort_keys=True)
                if key not in index:
                    index[key] = len(calls)
                    calls.append(item)
                indices.append(index[key])
            plan.append(indices)
        check.plan = plan
        check._step = json.dumps({"op": "probe", "data": data, "calls": calls})
    return check._step


def decode_output(obj):
    """A result sent by the grading process -> numpy arrays, tuples, ``Opaque``."""
    if isinstance(obj, dict):
        if "__nd__" in obj:
            try:
                return np.asarray(_floats(obj["__nd__"]), dtype=float if "f" in obj.get("dtype", "f")
                                  else obj["dtype"])
            except (TypeError, ValueError):
                return Opaque("malformed array")
        if "__float__" in obj:
            try:
                return float(obj["__float__"])
            except (TypeError, ValueError):
                return Opaque("malformed float")
        if "__seq__" in obj and isinstance(obj["__seq__"], list):
            return tuple(decode_output(v) for v in obj["__seq__"])
        return Opaque(str(obj.get("__type__", "dict")))
    if isinstance(obj, list):
        return Opaque("list of unknown items")
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, float, str)):
        return obj
    return Opaque(type(obj).__name__)


def _floats(x):
    if isinstance(x, list):
        return [_floats(v) for v in x]
    if isinstance(x, dict) and "__float__" in x:
        return float(x["__float__"])
    return x


def decode_result(reply) -> object:
    if not isinstance(reply, dict):
        return Err("GraderError", "malformed reply")
    if "error" in reply:
        return Err(str(reply.get("error")), str(reply.get("message", reply["error"]))[:300])
    value = decode_output(reply.get("value"))
    if "grads" in reply:
        grads = reply["grads"] if isinstance(reply["grads"], list) else []
        return Backward(value, [None if g is None else decode_output(g) for g in grads])
    return value


# --- the grading process ---------------------------------------------------------------------

_CONTEXT = None
_START_LOCK = threading.Lock()


def context():
    """The fork server: a clean interpreter that imported numpy, torch, IPython, infocourse."""
    global _CONTEXT
    if _CONTEXT is None:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        os.environ.setdefault("MKL_NUM_THREADS", "1")
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["grading_kernel", "numpy", "torch", "grading_warmup",
                                    "IPython.core.interactiveshell", "infocourse"])
        # The server imports the preload list with the environment's path only
        # (Python 3.11 ignores the parent's sys.path there), so tools/ goes on
        # PYTHONPATH while it starts.
        import multiprocessing.forkserver as forkserver

        saved = os.environ.get("PYTHONPATH")
        here = str(Path(__file__).resolve().parent)
        os.environ["PYTHONPATH"] = os.pathsep.join([here] + ([saved] if saved else []))
        try:
            forkserver.ensure_running()
        finally:
            if saved is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = saved
        _CONTEXT = ctx
    return _CONTEXT


class KernelLost(RuntimeError):
    pass


class Session:
    """One submission's process; restarts it (replaying the cells run so far) when it dies."""

    def __init__(self, timeout: float, grace: float = 2.0, max_restarts: int = 3):
        self.timeout, self.grace, self.max_restarts = timeout, grace, max_restarts
        self.history: list[str] = []
        self.restarts = 0
        self.proc = self.conn = None
        self._start()

    def _start(self):
        import grading_kernel

        ctx = context()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=grading_kernel.main, args=(child,), daemon=True)
        # multiprocessing would re-run the grader's main script in the new process
        # (it does so for scripts, not for `python -m ...`); the process needs only
        # grading_kernel, so it is told that there is no main module to restore.
        with _START_LOCK:
            main = sys.modules["__main__"]
            saved = main.__dict__.get("__spec__")
            main.__spec__ = SimpleNamespace(name="__main__")
            try:
                proc.start()
            finally:
                main.__spec__ = saved
        child.close()
        self.proc, self.conn = proc, parent

    def close(self):
        if self.conn is not None:
            self.conn.close()
        if self.proc is not None:
            self.proc.join(timeout=2)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join()
        self.proc = self.conn = None

    def _exchange(self, message: str, timeout: float):
        """(reply, problem): problem is None, 'timeout' or 'died'."""
        try:
            self.conn.send_bytes(message.encode())
        except (BrokenPipeError, OSError):
            return None, "died"
        deadline = time.monotonic() + timeout
        interrupted = False
        while True:
            left = deadline - time.monotonic()
            try:
                ready = self.conn.poll(max(left, 0))
            except (EOFError, OSError):
                return None, "died"
            if ready:
                try:
                    raw = self.conn.recv_bytes(maxlength=64 * 2**20)
                except (EOFError, OSError):
                    return None, "died"
                try:
                    reply = json.loads(raw.decode())
                except (UnicodeDecodeError, ValueError):
                    reply = {"error": "unreadable reply"}
                return reply, ("timeout" if interrupted else None)
            if not self.proc.is_alive():
                return None, "died"
            if interrupted:
                return None, "timeout"
            try:
                os.kill(self.proc.pid, signal.SIGINT)
            except ProcessLookupError:
                return None, "died"
            interrupted = True
            deadline = time.monotonic() + self.grace

    def _restart(self):
        if self.restarts >= self.max_restarts:
            raise KernelLost(f"gave up after {self.restarts} restarts")
        self.restarts += 1
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
        self.close()
        self._start()
        for message in self.history:  # replay what ran cleanly before
            reply, problem = self._exchange(message, self.timeout)
            if problem:
                raise KernelLost("the cells before failed when replayed")

    def run(self, message: str, *, replay: bool):
        """Send one step; return (reply or None, problem text or None)."""
        if self.proc is None:
            raise KernelLost("no kernel")
        exitcode = None
        reply, problem = self._exchange(message, self.timeout)
        if problem == "timeout" and reply is not None:  # interrupted, recovered
            return reply, f"timed out after {self.timeout:g} s (interrupted)"
        if problem is None:
            if replay:
                self.history.append(message)
            return reply, None
        if problem == "died":
            self.proc.join(timeout=1)
            exitcode = self.proc.exitcode
            text = f"the kernel died (exit code {exitcode})"
        else:
            text = f"timed out after {self.timeout:g} s (the kernel did not respond and was restarted)"
        self._restart()
        return None, text


# --- the student's code: AST inspection ------------------------------------------------------

DYNAMIC = {"eval", "exec", "compile", "globals", "locals", "vars", "getattr", "setattr",
           "delattr", "__import__", "open", "breakpoint", "input", "__builtins__", "memoryview"}
MAGIC_CALLS = {"run_line_magic", "run_cell_magic", "system", "getoutput"}


def python_source(code: str) -> str:
    """Cell source as plain Python (IPython magics turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(code)


def _targets(node, out):
    if isinstance(node, ast.Name):
        out.add(node.id)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for elt in node.elts:
            _targets(elt, out)
    elif isinstance(node, ast.Starred):
        _targets(node.value, out)


def bound_names(stmt) -> set:
    """Names a statement binds in its own scope (not inside nested functions)."""
    out = set()
    for node in _walk_scope(stmt):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                out.add((alias.asname or alias.name).split(".")[0])
    return out


def _walk_scope(node):
    """``ast.walk`` that does not descend into function bodies, lambdas or comprehensions."""
    todo = [node]
    while todo:
        n = todo.pop()
        yield n
        if n is not node and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                             ast.ListComp, ast.SetComp, ast.DictComp,
                                             ast.GeneratorExp)):
            # decorators, defaults and the first iterable belong to the enclosing scope
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                todo.extend(n.decorator_list + n.args.defaults
                            + [d for d in n.args.kw_defaults if d is not None])
            continue
        todo.extend(ast.iter_child_nodes(n))


def free_names(node) -> set:
    """Names a node reads from an enclosing (for a cell: the global) scope."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        a = node.args
        params = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
        params |= {x.arg for x in (a.vararg, a.kwarg) if x is not None}
        body = node.body if isinstance(node.body, list) else [node.body]
        outer = set()
        for d in getattr(node, "decorator_list", []) + a.defaults + [
                d for d in a.kw_defaults if d is not None]:
            outer |= free_names(d)
        declared_global = {n for s in body for x in ast.walk(s)
                           if isinstance(x, (ast.Global, ast.Nonlocal)) for n in x.names}
        loads, local = set(), set(params)
        for stmt in body:
            loads |= free_names(stmt)
            local |= bound_names(stmt)
        return outer | (loads - (local - declared_global))
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        targets, loads = set(), set()
        for gen in node.generators:
            _targets(gen.target, targets)
            loads |= free_names(gen.iter)
            for cond in gen.ifs:
                loads |= free_names(cond)
        elts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for e in elts:
            loads |= free_names(e)
        return loads - targets
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Load) else set()
    out = set()
    for child in ast.iter_child_nodes(node):
        out |= free_names(child)
    return out


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def violations(stmt, policy, modules) -> tuple[list, list]:
    """(local, global) reasons against a statement.

    *local*: the statement uses a forbidden name or module, so the names it
    binds must not be used by a checked function; *global*: it can change
    any name or library (dynamic code, dunder attributes, patching), so it
    voids every check.
    """
    local, glob = [], []
    forbidden = policy["forbidden"]
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name):
            if node.id in forbidden:
                local.append(f"uses `{node.id}` ({forbidden[node.id]})")
            elif node.id in DYNAMIC:
                glob.append(f"uses `{node.id}` (code that can rebind any name)")
            elif node.id == "get_ipython" and id(node) not in policy.get("_magic_ids", set()):
                glob.append("uses `get_ipython()` (changes how the notebook runs)")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("__") and node.attr.endswith("__"):
                glob.append(f"uses the attribute `{node.attr}`")
            elif node.attr in policy["forbidden_attributes"]:
                local.append(f"uses `.{node.attr}` ({policy['forbidden_attributes'][node.attr]})")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                if top in forbidden:
                    local.append(f"imports `{name}` ({forbidden[top]})")
                elif top not in policy["allowed_imports"]:
                    local.append(f"imports `{name}` (allowed: {', '.join(sorted(policy['allowed_imports']))})")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for t in targets:
                if isinstance(t, (ast.Attribute, ast.Subscript)) and _root(t) in modules:
                    glob.append(f"patches `{ast.unparse(t)}`")
    return local, glob


def _magic_ids(tree):
    ids = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in MAGIC_CALLS
                and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "get_ipython"):
            ids.add(id(node.value.func))
    return ids


def inspect_code(cells, policy, modules) -> dict:
    """``{"tainted": {name: reason}, "global": [reason], "unparsable": [..]}`` for student code.

    ``cells`` is ``[(label, source)]`` of the code the student wrote (answer
    and extra cells), in notebook order; ``modules`` are the module names
    bound by the locked setup cells.
    """
    statements, glob, unparsable = [], [], []
    modules = set(modules)
    for label, source in cells:
        try:
            tree = ast.parse(python_source(source))
        except SyntaxError as exc:
            unparsable.append(f"{label}: {exc.msg} (line {exc.lineno})")
            continue
        policy["_magic_ids"] = _magic_ids(tree)
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                modules |= bound_names(stmt)
            local, g = violations(stmt, policy, modules)
            glob.extend(f"{label}: {r}" for r in g)
            statements.append((label, stmt, local))
    tainted = {}
    changed = True
    while changed:
        changed = False
        for label, stmt, local in statements:
            uses = free_names(stmt)
            why = None
            if local:
                why = f"{label} {local[0]}"
            else:
                hit = sorted(uses & set(tainted))
                if hit:
                    why = f"{label} uses `{hit[0]}` ({tainted[hit[0]]})"
            if why:
                for name in bound_names(stmt):
                    if name not in tainted:
                        tainted[name] = why
                        changed = True
    return {"tainted": tainted, "global": list(dict.fromkeys(glob)), "unparsable": unparsable}


# --- rebuilding the notebook that runs ------------------------------------------------------


def nb_role(cell):
    return nbgrader_cells.role(cell) if "nbgrader" in cell.get("metadata", {}) else None


def rebuild(released, submitted):
    """(notebook to run, student code cells [(label, source)], repairs [text]).

    Locked cells come from ``released``; answer and written cells (by
    ``grade_id``) and extra cells from ``submitted``, each extra cell after
    the graded cell it followed.
    """
    rel_cells = released.cells
    by_id = {c.metadata.nbgrader["grade_id"]: c for c in rel_cells}
    chosen, extras, repairs, seen = {}, {}, [], set()
    anchor = None
    for index, cell in enumerate(submitted.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        if gid in by_id and gid not in seen:
            seen.add(gid)
            anchor = gid
            if not by_id[gid].metadata.nbgrader.get("locked"):
                if cell.cell_type != by_id[gid].cell_type:
                    repairs.append(f"cell {index} ({gid}) was changed to {cell.cell_type}; "
                                   f"graded as {by_id[gid].cell_type}")
                new = copy.deepcopy(by_id[gid])
                new.source = cell.source
                chosen[gid] = new
            continue
        extra = nbformat.v4.new_code_cell(cell.source) if cell.cell_type == "code" else \
            nbformat.v4.new_markdown_cell(cell.source)
        if gid in by_id:
            if by_id[gid].metadata.nbgrader.get("locked"):
                repairs.append(f"cell {index} is a copy of the locked cell {gid}; removed")
                continue
            repairs.append(f"cell {index} repeats the grade_id {gid} (a copied cell); "
                           f"kept as an ungraded cell")
        elif gid:
            repairs.append(f"cell {index} has the unknown grade_id {gid!r}; kept as an ungraded cell")
        extra.metadata["grader"] = {"extra": True, "from_cell": index}
        extras.setdefault(anchor, []).append(extra)
    cells = list(extras.get(None, []))
    for cell in rel_cells:
        gid = cell.metadata.nbgrader["grade_id"]
        if cell.metadata.nbgrader.get("locked"):
            cells.append(copy.deepcopy(cell))
        elif gid in chosen:
            cells.append(chosen[gid])
        else:
            repairs.append(f"the answer cell {gid} is missing (deleted?); put back as released")
            cells.append(copy.deepcopy(cell))
        cells.extend(extras.get(gid, []))
    nb = copy.deepcopy(released)
    nb.cells = cells
    student_code = []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if cell.metadata.get("grader", {}).get("extra"):
            student_code.append((f"extra cell {cell.metadata.grader['from_cell']}", cell.source))
        elif meta.get("solution"):
            student_code.append((f"cell {meta['grade_id']}", cell.source))
    return nb, student_code, repairs


def setup_modules(released) -> set:
    names = set()
    for cell in released.cells:
        if cell.cell_type == "code" and cell.metadata.nbgrader.get("locked"):
            try:
                tree = ast.parse(python_source(cell.source))
            except SyntaxError:
                continue
            for stmt in tree.body:
                if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                    names |= bound_names(stmt)
    return names | {"builtins", "sys", "os"}


# --- grading one submission ------------------------------------------------------------------


def policy_of(checks) -> dict:
    return {
        "forbidden": dict(getattr(checks, "FORBIDDEN", {})),
        "forbidden_attributes": dict(getattr(checks, "FORBIDDEN_ATTRIBUTES", {})),
        "allowed_imports": set(getattr(checks, "ALLOWED_IMPORTS", {"math", "numpy", "torch"})),
    }


def _stream(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def grade(released_path, submission_path, checks, *, timeout=60.0, steps=None):
    """Grade one submission; return a JSON-able result (the notebook as run included).

    ``checks`` is the module from :func:`load_checks`; ``steps`` optionally
    the precomputed ``{grade_id: probe JSON}``.
    """
    t0, cpu0 = time.monotonic(), time.thread_time()
    released = nbformat.read(released_path, as_version=4)
    result = {"cells": {}, "problems": [], "repairs": [], "checks": {}}
    try:
        submitted = nbformat.read(submission_path, as_version=4)
    except Exception as exc:  # noqa: BLE001  (not JSON, not a notebook)
        result["skipped"] = f"not a readable notebook ({type(exc).__name__}: {str(exc)[:120]})"
        return result
    nb, student_code, repairs = rebuild(released, submitted)
    result["repairs"] = repairs
    policy = policy_of(checks)
    found = inspect_code(student_code, policy, setup_modules(released))
    steps = steps or {c.grade_id: probe_step(c) for c in checks.CHECKS}
    session = None
    try:
        session = Session(timeout)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", "extra cell")
            reply, problem = session.run(json.dumps({"op": "cell", "code": cell.source}),
                                         replay=True)
            cell.outputs = [_stream(o["text"], o.get("name", "stdout"))
                            for o in (reply or {}).get("outputs", [])
                            if isinstance(o, dict) and isinstance(o.get("text"), str)]
            cell.execution_count = None
            if problem:
                result["problems"].append(f"{gid}: {problem}")
                cell.outputs.append(_stream(f"[grader] this cell {problem}\n", "stderr"))
        for check in checks.CHECKS:
            reply, problem = session.run(steps[check.grade_id], replay=False)
            results = (reply or {}).get("results")
            if problem:
                result["problems"].append(f"{check.grade_id} checks: {problem}")
            result["checks"][check.grade_id] = score_cases(check, results, problem)
        reply, problem = session.run(json.dumps({"op": "times"}), replay=False)
        if not problem and isinstance(reply, dict) and isinstance(reply.get("cpu_seconds"), float):
            result["kernel_cpu_seconds"] = round(reply["cpu_seconds"], 3)
    except KernelLost as exc:
        result["problems"].append(f"kernel lost: {exc}; the remaining checks score 0")
    finally:
        if session is not None:
            session.close()
    # Points: every case passes and no forbidden code reaches the functions used.
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        gid = meta["grade_id"]
        if cell.cell_type == "markdown":
            result["cells"][gid] = {"points": meta["points"], "manual": True, "score": None}
            continue
        cases = result["checks"].get(gid) or [{"description": "all checks", "passed": False,
                                               "reason": "not run (the kernel was lost)"}]
        result["checks"][gid] = cases
        check = checks.CHECKS_BY_ID[gid]
        voided = list(found["global"]) + [f"`{n}`: {found['tainted'][n]}"
                                          for n in sorted(check.uses & set(found["tainted"]))]
        passed = all(c["passed"] for c in cases) and not voided
        result["cells"][gid] = {"points": meta["points"], "manual": False,
                                "score": float(meta["points"]) if passed else 0.0,
                                "voided": voided}
        cell.outputs.append(_stream(report_text(gid, meta["points"], cases, voided,
                                                result["cells"][gid]["score"])))
    if found["global"] or found["tainted"]:
        voids = sorted({v for c in result["cells"].values() for v in c.get("voided", [])})
        if voids:
            result["problems"].extend(f"forbidden code: {v}" for v in voids)
    result["unparsable"] = found["unparsable"]
    result["notebook"] = nbformat.writes(nb)
    result["seconds"] = round(time.monotonic() - t0, 3)
    result["grader_cpu_seconds"] = round(time.thread_time() - cpu0, 3)
    return result


def score_cases(check, results, problem):
    """``[{description, passed, reason, hidden}]`` from the probe results of a check."""
    probe_step(check)
    out = []
    missing = Err("GraderError", problem or "no result")
    for case, indices in zip(check.cases, check.plan):
        if not isinstance(results, list):
            values = [missing] * len(indices)
        else:
            values = [decode_result(results[i]) if i < len(results) else missing for i in indices]
        arg = values[0] if len(values) == 1 else tuple(values)
        try:
            reason = case.predicate(arg)
        except Exception as exc:  # noqa: BLE001  (a result of an unexpected kind)
            reason = f"the result could not be checked ({type(exc).__name__}: {exc})"
        out.append({"description": case.description, "passed": reason is None,
                    "reason": reason, "hidden": case.hidden})
    return out


def report_text(gid, points, cases, voided, score) -> str:
    """The grader's note under a tests cell: every check, passed or failed and why.

    Failures with the same reason are listed once, with the checks they concern.
    """
    lines = [f"[grader] {gid}: {score:g} / {points:g} points "
             f"({sum(c['passed'] for c in cases)} of {len(cases)} checks passed)"]
    failed = {}
    for c in cases:
        if c["passed"]:
            lines.append(f"  passed: {c['description']}")
        else:
            failed.setdefault(c["reason"], []).append(c["description"])
    for reason, descriptions in failed.items():
        if len(descriptions) > 2:
            lines.append(f"  FAILED ({len(descriptions)} checks: {descriptions[0]}; ...; "
                         f"{descriptions[-1]}): {reason}")
        else:
            lines.extend(f"  FAILED: {d}: {reason}" for d in descriptions)
    for v in voided:
        lines.append(f"  0 points: {v}")
    return "\n".join(lines) + "\n"
