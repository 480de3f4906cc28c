#!/usr/bin/env bash
# Installs everything the project needs, idempotently: Python virtual environments (.venv, and
# .venv-halmos for the Foundry tier's prover), the npm packages (solc-js, Anvil, forge, OpenZeppelin,
# forge-std, the dApp's toolchain), the solc shim in the checkout's .solcx/, where py-solc-x and
# brownie look for installed compilers ($SOLCX_BINARY_PATH, exported here), and Debian's headless
# Chromium for the browser tests. A second run with nothing changed does no work beyond a few checks.
# Source it (`. tools/setup.sh`) to also get the venv and node_modules/.bin on PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOLC_VERSION="$(sed -n 's/^ *version: *\([0-9.]*\) *$/\1/p' "$ROOT/brownie-config.yaml" | head -n 1)"

say() { printf '[setup] %s\n' "$*" >&2; }

fingerprint() { cat "$@" | sha256sum | cut -d' ' -f1; }

ensure_venv() {
  local python stamp want
  python="$(command -v python3.11 || command -v python3)"
  if [ ! -x "$ROOT/.venv/bin/python" ]; then
    say "creating .venv with $("$python" --version)"
    "$python" -m venv "$ROOT/.venv"
  fi
  stamp="$ROOT/.venv/.requirements.sha256"
  want="$(fingerprint "$ROOT/requirements.txt" "$ROOT/pyproject.toml")"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages (requirements.txt)"
    (cd "$ROOT" && "$ROOT/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt) \
      2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
    echo "$want" >"$stamp"
  fi
}

# halmos (the Foundry tier's prover) cannot share .venv: its pins and eth-brownie's exclude each
# other (requirements-halmos.txt). It gets its own environment; ./run puts its bin after .venv's.
ensure_halmos_venv() {
  local python stamp want
  python="$(command -v python3.11 || command -v python3)"
  if [ ! -x "$ROOT/.venv-halmos/bin/python" ]; then
    say "creating .venv-halmos with $("$python" --version)"
    "$python" -m venv "$ROOT/.venv-halmos"
  fi
  stamp="$ROOT/.venv-halmos/.requirements.sha256"
  want="$(fingerprint "$ROOT/requirements-halmos.txt")"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing halmos (requirements-halmos.txt)"
    "$ROOT/.venv-halmos/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements-halmos.txt" \
      2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
    echo "$want" >"$stamp"
  fi
}

ensure_node_modules() {
  local stamp want
  stamp="$ROOT/node_modules/.package-lock.sha256"
  want="$(fingerprint "$ROOT/package.json" "$ROOT/package-lock.json")"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$want" >"$stamp"
  fi
}

# The compiler is a property of this checkout: py-solc-x (and brownie through it) looks for
# `solc-v<version>` in $SOLCX_BINARY_PATH, which points at .solcx/ inside the checkout, where the
# shim is linked by a relative link. Checkouts never share or take over one another's compiler,
# and deleting one leaves the others working. Run brownie through ./run (or source this file),
# which sets the variable.
ensure_solc_shim() {
  local folder="$ROOT/.solcx" installed legacy="$HOME/.solcx/solc-v$SOLC_VERSION"
  installed="$(node -p "require('$ROOT/node_modules/solc/package.json').version")"
  if [ "$installed" != "$SOLC_VERSION" ]; then
    say "brownie-config.yaml pins solc $SOLC_VERSION but package.json installs $installed"
    return 1
  fi
  chmod +x "$ROOT/tools/solc-shim.cjs"
  mkdir -p "$folder"
  if [ "$(readlink "$folder/solc-v$SOLC_VERSION" 2>/dev/null)" != ../tools/solc-shim.cjs ]; then
    say "linking .solcx/solc-v$SOLC_VERSION -> tools/solc-shim.cjs"
    ln -sfn ../tools/solc-shim.cjs "$folder/solc-v$SOLC_VERSION"
  fi
  # Earlier versions of this script linked ~/.solcx/solc-v<version> to this checkout's shim: a
  # global link that a second checkout took over. Remove it when it is this checkout's own.
  if [ "$(readlink "$legacy" 2>/dev/null)" = "$ROOT/tools/solc-shim.cjs" ]; then
    say "removing the old global link $legacy (the compiler now lives in .solcx/)"
    rm -f "$legacy"
  fi
}

# slither-analyzer brings solc-select, whose `.venv/bin/solc` downloads the latest compiler when
# none is selected. Register the shim as solc-select's $SOLC_VERSION and select it, so slither
# (and anything else calling `solc`) stays offline. solc-select keeps its state in
# $VIRTUAL_ENV/.solc-select when a venv is active, which ./run makes it.
ensure_solc_select() {
  local dir="$ROOT/.venv/.solc-select" artifact
  artifact="$dir/artifacts/solc-$SOLC_VERSION/solc-$SOLC_VERSION"
  if [ "$(readlink "$artifact" 2>/dev/null)" != "$ROOT/tools/solc-shim.cjs" ]; then
    say "registering tools/solc-shim.cjs as solc-select's solc $SOLC_VERSION"
    mkdir -p "$(dirname "$artifact")"
    ln -sfn "$ROOT/tools/solc-shim.cjs" "$artifact"
  fi
  if [ "$(cat "$dir/global-version" 2>/dev/null)" != "$SOLC_VERSION" ]; then
    echo "$SOLC_VERSION" >"$dir/global-version"
  fi
}

# The browser tests (tests/browser) drive Debian's chromium-headless-shell through Playwright's
# `executable_path`: Playwright's own browser download cannot run offline. Installed with apt when
# missing, which needs root (as CI runs); otherwise say how.
CHROMIUM_HEADLESS_SHELL=/usr/lib/chromium/chromium-headless-shell
ensure_chromium() {
  [ -x "$CHROMIUM_HEADLESS_SHELL" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "the browser tests need $CHROMIUM_HEADLESS_SHELL: install it as root with"
    say "  apt-get update && apt-get install -y --no-install-recommends chromium-headless-shell"
    return 0
  fi
  say "installing chromium-headless-shell (Debian) for the browser tests"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends chromium-headless-shell >/dev/null
}

ensure_venv
ensure_halmos_venv
ensure_node_modules
ensure_solc_shim
ensure_solc_select
ensure_chromium
export PATH="$ROOT/.venv/bin:$ROOT/node_modules/.bin:$ROOT/.venv-halmos/bin:$PATH"
export VIRTUAL_ENV="$ROOT/.venv"
export SOLCX_BINARY_PATH="$ROOT/.solcx"
# The local chains are never behind a proxy. With them in no_proxy, requests (under web3 and
# brownie) skips its proxy lookup, which scans the whole environment twice per JSON-RPC request:
# 3,000 requests to Anvil made 11.8 million Python calls without it and 7.0 million with it.
case ",${no_proxy:-}," in *,127.0.0.1,*) ;; *) export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}" ;; esac
case ",${NO_PROXY:-}," in *,127.0.0.1,*) ;; *) export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" ;; esac
