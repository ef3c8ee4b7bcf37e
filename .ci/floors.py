"""Print a pip constraint pinning each direct dependency to the lowest version pyproject.toml allows."""

import re
import sys
from pathlib import Path

import tomllib

project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
for requirement in project["dependencies"]:
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)", requirement.split(";")[0].strip())
    if match is None:
        sys.exit(f"pyproject.toml: cannot read a lowest version from {requirement!r}; write it as 'name>=X.Y'")
    print(f"{match[1]}=={match[2]}")
