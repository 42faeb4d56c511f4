"""Facts an import left for a person to confirm, and company text `init` left to write: each one
an error where it is written.

`rolepack import` never prints a guess as a fact. What a posting does not state (the employment
type, where and how the job is done, the pay and its date, an introduction or a list it lacks) is
written as CONFIRM with a comment beside it; validation names every one, so a role cannot be built
or published until a person has written what is true. The schema's own complaint about the same
value ("not a valid employment type") would only repeat it less helpfully, so it is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.problems import Problem, dotted
from pipeline.source.scaffold import CONFIRM, PLACEHOLDER
from pipeline.source.yaml_reader import DataPath, Located

_WHAT = {
    "employment_type": "the posting does not say the employment type; write full-time, part-time, contract, "
                       "temporary or internship",
    "locations": "the posting does not say where the job is done; write its places and mode (on-site, hybrid, remote)",
    "mode": "the posting does not say how the job is done here; write on-site, hybrid or remote",
    "compensation": "the posting states no pay; write its bands, or `disclosed: false` if it is not published",
    "as_of": "the posting does not date its pay; write the date its figures were set (YYYY-MM-DD)",
    "about_the_role": "the posting has no introduction; write a paragraph on what the role is",
    "key_responsibilities": "the posting has no list of responsibilities; write what the person will do",
    "prerequisites": "the posting has no list of requirements; write what the person must bring",
}


def _marked(located: Located) -> list[DataPath]:
    marked = []
    for path, value in located.texts:
        if value == CONFIRM:
            # a marker that stands for a whole list is written as its only item
            marked.append(path[:-1] if path and isinstance(path[-1], int) else path)
    return marked


def unconfirmed(chain: Sequence[Located]) -> list[tuple[str, Problem]]:
    """(the marked value's dotted path, its problem) for every CONFIRM in the role's files."""
    found = []
    for located in chain:
        for path in _marked(located):
            name = next((part for part in reversed(path) if isinstance(part, str)), "")
            what = _WHAT.get(name, "the posting does not state this; write what is true")
            found.append((dotted(path), Problem(located.file, *located.where(path), dotted(path),
                                                f"{CONFIRM} from `rolepack import`: {what}, then delete the marker",
                                                rule="unconfirmed")))
    return found


def unwritten(located: Located) -> list[tuple[str, Problem]]:
    """(dotted path, problem) for every text of company.yaml still holding `rolepack init`'s
    placeholder: each is named, so a new company sees everything it has left to write."""
    found = []
    for path, value in located.texts:
        if PLACEHOLDER in value:
            at = path[:-1] if path and isinstance(path[-1], int) else path
            found.append((dotted(at), Problem(located.file, *located.where(path), dotted(path),
                                              f"still holds {PLACEHOLDER} from `rolepack init`: write your company's "
                                              "own text here", rule="placeholder")))
    return found


def under(problem: Problem, paths: Sequence[str]) -> bool:
    """Whether `problem` is about a value at, inside or around one of `paths` (a pay band whose
    minimum is CONFIRM cannot be checked against its maximum either)."""
    return any(problem.path == p or problem.path.startswith((p + ".", p + "["))
               or (problem.path and p.startswith((problem.path + ".", problem.path + "["))) for p in paths)
