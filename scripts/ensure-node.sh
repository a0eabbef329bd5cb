#!/usr/bin/env bash
# Source this file: puts Node.js 24 first on PATH when the machine's Node is older than 22.22.
# Node 24 comes from the npm registry (package node@24) and is cached under ~/.cache/mantis/node24.
mantis_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=22)?0:1)'
}
if ! mantis_node_ok; then
  MANTIS_NODE_DIR="${HOME}/.cache/mantis/node24"
  if [ ! -x "${MANTIS_NODE_DIR}/node_modules/.bin/node" ]; then
    echo "installing Node.js 24 from the npm registry into ${MANTIS_NODE_DIR}" >&2
    mkdir -p "${MANTIS_NODE_DIR}"
    npm install --prefix "${MANTIS_NODE_DIR}" --no-save --no-audit --no-fund node@24 >&2
  fi
  export PATH="${MANTIS_NODE_DIR}/node_modules/.bin:${PATH}"
  mantis_node_ok || { echo "could not provision Node.js 24" >&2; return 1; }
fi
