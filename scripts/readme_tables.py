"""Tables that scripts keep up to date inside README.md, between `<!-- NAME:start -->` and
`<!-- NAME:end -->` markers (the gas report, the toolchain's wall times)."""

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def update_readme(name: str, table: str, readme: Path = README) -> bool:
    """Replaces what stands between the README's `name` markers with `table`; False if they are missing."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = readme.read_text()
    if start not in text or end not in text:
        return False
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(f"{before}{start}\n{table}{end}{after}")
    return True
