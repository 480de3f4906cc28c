"""The client package's layers: each module imports only modules of the layers below its own, so
the package has no import cycle (none under TYPE_CHECKING either: every import counts)."""

import ast
from pathlib import Path

import nuts_escrow

PACKAGE = Path(nuts_escrow.__file__).parent
#: Bottom first: plain data; the deployment record (it names the ETH constant of `types`); the
#: shipped ABIs; revert decoding; the web3 connection (account, send-and-wait); what holds a
#: connection; the client that builds them.
LAYERS = [
    {"types", "terms"},
    {"deployment"},
    {"abi"},
    {"errors"},
    {"connection"},
    {"oracle"},
    {"domains"},
    {"client"},
]


def package_imports(module: str) -> set[str]:
    """The modules of the package that `module` imports, wherever the import statement stands."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nuts_escrow."):
            imported.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("nuts_escrow.")}
    return imported


def test_every_module_has_a_layer():
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == set().union(*LAYERS)


def test_each_module_imports_only_layers_below_its_own():
    for level, layer in enumerate(LAYERS):
        below = set().union(*LAYERS[:level])
        for module in sorted(layer):
            assert package_imports(module) <= below, f"{module} imports {package_imports(module) - below}"
