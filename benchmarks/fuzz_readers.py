"""Fuzz the readers: N mutated inputs per reader, each read in its own capped subprocess.

    .venv/bin/python benchmarks/fuzz_readers.py 50             # one child per input
    .venv/bin/python benchmarks/fuzz_readers.py --batch 10000  # one child per reader

Every input is a valid seed with a few random bytes changed (zips: anywhere, so headers,
sizes and deflate streams break too; YAML: text mutations). Each is read in a child process
with a timeout and an address-space cap; the counts show how each reader ended: ok, input
error (an InputError: exit 2 from the CLI), crash (anything else, including an abort),
timeout, over-memory.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "integration"))

from test_hostile_input import BOMB_YAML, sheet, xlsx_bytes

TIMEOUT = 30
MEMORY = 2 * 1024**3
CHILD = r"""
import sys
from pathlib import Path
from jixiao.formats.errors import InputError
kind, path = sys.argv[1], Path(sys.argv[2])
try:
    if kind == "form":
        from jixiao.formats.form_xlsx import read_form
        read_form(path)
    elif kind == "table":
        from jixiao.formats.allocation_spec import read_recipients_table
        read_recipients_table(path, None)
    elif kind == "ledger":
        from jixiao.formats.payment_files import _read_xlsx
        _read_xlsx(path, None)
    elif kind == "docx":
        from jixiao.audit.text import read_document
        read_document(path)
    else:
        from jixiao.formats.yaml_loader import load_yaml
        load_yaml(path.read_text(encoding="utf-8", errors="replace"), str(path))
except InputError:
    sys.exit(2)
"""


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _docx_seed() -> bytes:
    import io

    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("项目资金 100 万元，其中 60 万元已拨付。")
    document.save(buf)
    return buf.getvalue()


def _mutate(seed: bytes, rng: random.Random) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.randint(1, 10)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _yaml(rng: random.Random) -> bytes:
    pieces = ["a: &a [1, 2]\n", "b: *a\n", "c: 2021-13-45\n", "d: 1E+999\n", "e: [[[[]]]]\n",
              "f: " + "9" * rng.randint(1, 200) + "\n", BOMB_YAML, "g: {h: 1.5}\n"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
    return _mutate(text.encode(), rng) if rng.random() < 0.5 else text.encode()


def run(n: int, seed: int = 12) -> dict[str, Counter[str]]:
    rng = random.Random(seed)
    xlsx = xlsx_bytes(sheet(["A1", "B2", "C3"]))
    seeds = {"form": (xlsx, ".xlsx"), "table": (xlsx, ".xlsx"), "ledger": (xlsx, ".xlsx"),
             "docx": (_docx_seed(), ".docx"), "yaml": (b"", ".yaml")}
    out: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, (base, suffix) in seeds.items():
            counts: Counter[str] = Counter()
            for i in range(n):
                data = _yaml(rng) if kind == "yaml" else _mutate(base, rng)
                path = Path(tmp) / f"{kind}{i}{suffix}"
                path.write_bytes(data)
                try:
                    done = subprocess.run([sys.executable, "-c", CHILD, kind, str(path)],
                                          capture_output=True, timeout=TIMEOUT, preexec_fn=_cap,
                                          check=False)
                except subprocess.TimeoutExpired:
                    counts["timeout"] += 1
                    continue
                if done.returncode == 0:
                    counts["ok"] += 1
                elif done.returncode == 2:
                    counts["input error"] += 1
                elif b"MemoryError" in done.stderr or b"memory allocation" in done.stderr:
                    counts["over-memory"] += 1
                else:
                    counts["crash"] += 1
                    print(f"crash: {kind} {path.name}: {done.stderr.decode()[-300:]}",
                          file=sys.stderr)
            out[kind] = counts
    return out


BATCH = r"""
import sys
from pathlib import Path
from jixiao.formats.errors import InputError
kind, folder = sys.argv[1], Path(sys.argv[2])
if kind == "form":
    from jixiao.formats.form_xlsx import read_form as read
elif kind == "table":
    from jixiao.formats.allocation_spec import read_recipients_table
    def read(path): read_recipients_table(path, None)
elif kind == "ledger":
    from jixiao.formats.payment_files import _read_xlsx
    def read(path): _read_xlsx(path, None)
elif kind == "docx":
    from jixiao.audit.text import read_document as read
else:
    from jixiao.formats.yaml_loader import load_yaml
    def read(path): load_yaml(path.read_text(encoding="utf-8", errors="replace"), str(path))
for path in sorted(folder.iterdir()):
    try:
        read(path)
        print("ok", flush=True)
    except InputError:
        print("input error", flush=True)
    except BaseException as err:
        print("crash", path.name, type(err).__name__, str(err)[:80].replace(chr(10), " "),
              flush=True)
"""


def run_batches(n: int, seed: int = 12, timeout: int = 1800) -> dict[str, Counter[str]]:
    """The large campaign: n inputs per reader, all read in one capped child per reader (an
    abort or a hang shows as the inputs that child did not reach)."""
    rng = random.Random(seed)
    xlsx = xlsx_bytes(sheet(["A1", "B2", "C3"]))
    seeds = {"form": (xlsx, ".xlsx"), "table": (xlsx, ".xlsx"), "ledger": (xlsx, ".xlsx"),
             "docx": (_docx_seed(), ".docx"), "yaml": (b"", ".yaml")}
    out: dict[str, Counter[str]] = {}
    for kind, (base, suffix) in seeds.items():
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(n):
                data = _yaml(rng) if kind == "yaml" else _mutate(base, rng)
                (Path(tmp) / f"{i:06d}{suffix}").write_bytes(data)
            counts: Counter[str] = Counter()
            try:
                done = subprocess.run([sys.executable, "-c", BATCH, kind, tmp],
                                      capture_output=True, timeout=timeout, preexec_fn=_cap,
                                      check=False, text=True)
                lines = done.stdout.splitlines()
            except subprocess.TimeoutExpired as exc:
                lines = (exc.stdout or b"").decode().splitlines()
                counts["timeout"] += n - len(lines)
            for line in lines:
                counts["crash" if line.startswith("crash") else line] += 1
                if line.startswith("crash"):
                    print(f"{kind}: {line}", file=sys.stderr)
            missing = n - len(lines) - counts["timeout"]
            if missing:
                counts["aborted"] += missing
            out[kind] = counts
    return out


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--batch":
        n = int(sys.argv[2])
        print(f"{'reader':<8} {'ok':>6} {'input error':>12} {'crash':>6} {'aborted':>8} "
              f"{'timeout':>8}")
        for kind, c in run_batches(n).items():
            print(f"{kind:<8} {c['ok']:>6} {c['input error']:>12} {c['crash']:>6} "
                  f"{c['aborted']:>8} {c['timeout']:>8}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of any reader child: {peak:.0f} MiB")
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(f"{'reader':<8} {'ok':>5} {'input error':>12} {'crash':>6} {'timeout':>8} "
          f"{'over-memory':>12}")
    for kind, c in run(n).items():
        print(f"{kind:<8} {c['ok']:>5} {c['input error']:>12} {c['crash']:>6} {c['timeout']:>8} "
              f"{c['over-memory']:>12}")


if __name__ == "__main__":
    main()
