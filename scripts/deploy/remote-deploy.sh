#!/usr/bin/env bash
# Runs on the deployment host, in the folder holding deploy/compose/.env: switches MANTIS_TAG to the new
# tag, pulls and starts, and gates on `mantis doctor --wait`. When the gate fails, it puts the previous
# tag back, starts it again and exits non-zero, so the pipeline shows the deploy as failed.
# Usage: remote-deploy.sh <tag> [doctor timeout in seconds]
set -euo pipefail
TAG="$1"
TIMEOUT="${2:-300}"
cd deploy/compose
ENV_FILE=.env
[ -f "${ENV_FILE}" ] || { echo "no ${PWD}/${ENV_FILE}: copy .env.example and set its secrets first" >&2; exit 2; }

previous="$(sed -n 's/^MANTIS_TAG=//p' "${ENV_FILE}")"
set_tag() {
  if grep -q '^MANTIS_TAG=' "${ENV_FILE}"; then
    sed -i "s/^MANTIS_TAG=.*/MANTIS_TAG=$1/" "${ENV_FILE}"
  else
    echo "MANTIS_TAG=$1" >>"${ENV_FILE}"
  fi
}
up() {
  docker compose pull --quiet
  docker compose up -d --remove-orphans --wait --wait-timeout "${TIMEOUT}"
}
gate() { docker compose run --rm --no-deps mantis-api doctor --wait --timeout "${TIMEOUT}"; }

echo "deploying ${TAG} (running: ${previous:-none})"
set_tag "${TAG}"
if up && gate; then
  echo "deployed ${TAG}"
  exit 0
fi

echo "deploy of ${TAG} failed; rolling back to ${previous:-nothing}" >&2
if [ -n "${previous}" ]; then
  set_tag "${previous}"
  up && gate && echo "rolled back to ${previous}" >&2
fi
exit 1
