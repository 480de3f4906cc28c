"""The compiler is a property of the checkout: tools/setup.sh links the solc shim into the
checkout's .solcx/ and points SOLCX_BINARY_PATH there, so py-solc-x (and brownie through it) finds it
without anything in the user's HOME. Two checkouts never share, take over or break each other's
compiler."""

import json
import subprocess
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOLC_VERSION = yaml.safe_load((PROJECT_ROOT / "brownie-config.yaml").read_text())["compiler"]["solc"]["version"]

FIND_COMPILER = f"""
import json, solcx
solcx.set_solc_version("{SOLC_VERSION}", silent=True)  # what brownie does before compiling
executable = solcx.install.get_executable()
print(json.dumps({{"executable": str(executable), "installed": [str(v) for v in solcx.get_installed_solc_versions()]}}))
"""


def sourced_setup(home: Path, command: str) -> str:
    """Runs COMMAND in bash after sourcing tools/setup.sh, as ./run does, with HOME=home."""
    result = subprocess.run(
        ["bash", "-c", f". tools/setup.sh && {command}"],
        cwd=PROJECT_ROOT,
        env={"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_compiler_is_found_inside_the_checkout_with_an_empty_home(tmp_path):
    found = json.loads(sourced_setup(tmp_path, f"python -c '{FIND_COMPILER}'"))

    executable = Path(found["executable"])
    assert executable == PROJECT_ROOT / ".solcx" / f"solc-v{SOLC_VERSION}"
    assert executable.resolve() == PROJECT_ROOT / "tools" / "solc-shim.cjs"
    assert found["installed"] == [SOLC_VERSION]
    assert not (tmp_path / ".solcx").exists()  # nothing global was made in HOME


def test_the_checkout_link_is_relative_so_it_names_no_other_checkout(tmp_path):
    link = PROJECT_ROOT / ".solcx" / f"solc-v{SOLC_VERSION}"
    sourced_setup(tmp_path, "true")

    assert link.is_symlink()
    assert link.readlink() == Path("../tools/solc-shim.cjs")


def test_the_shim_answers_the_native_version_command(tmp_path):
    output = sourced_setup(tmp_path, f'"$SOLCX_BINARY_PATH/solc-v{SOLC_VERSION}" --version')

    assert f"Version: {SOLC_VERSION}" in output


def test_the_shim_compiles_an_input_past_what_solc_js_takes_inline(tmp_path):
    # solc-js fails on a standard-JSON input past about 1.2 MB ("memory access out of bounds");
    # forge sends every source's text inline, and its unit tier passed that size.
    padded = "pragma solidity ^0.8.0;\n// " + "x" * 3_000_000 + "\ncontract Padded {}\n"
    user = 'pragma solidity ^0.8.0;\nimport "Padded.sol";\ncontract User is Padded {}\n'
    sources = {"Padded.sol": {"content": padded}, "User.sol": {"content": user}}
    request = tmp_path / "input.json"
    request.write_text(
        json.dumps(
            {
                "language": "Solidity",
                "sources": sources,
                "settings": {"outputSelection": {"*": {"*": ["evm.deployedBytecode.object"]}}},
            }
        )
    )
    output = json.loads(sourced_setup(tmp_path, f'"$SOLCX_BINARY_PATH/solc-v{SOLC_VERSION}" --standard-json {request}'))

    assert [e for e in output.get("errors", []) if e["severity"] == "error"] == []
    assert output["contracts"]["User.sol"]["User"]["evm"]["deployedBytecode"]["object"]
    assert set(output["sources"]) == {"Padded.sol", "User.sol"}
