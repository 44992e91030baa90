#!/usr/bin/env bash
# Create docker/.env from docker/.env.example, replacing every change-me with
# its own random value (40 letters and digits). Refuses to overwrite an
# existing .env. Edit the result afterwards: CKAN_SITE_URL and the city.
#
#   docker/init-env.sh            -> docker/.env
#   docker/init-env.sh other.env  -> docker/other.env
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
target=$here/${1:-.env}
[[ ! -e $target ]] || { echo "init-env: $target exists; not overwriting it" >&2; exit 1; }

random_value() {
  local value
  value=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom 2>/dev/null | head -c 40) || true
  [[ ${#value} -eq 40 ]] || { echo "init-env: could not read /dev/urandom" >&2; exit 1; }
  printf '%s' "$value"
}

umask 077
tmp=$(mktemp "$target.XXXXXX")
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line || [[ -n $line ]]; do
  if [[ $line =~ ^([A-Z0-9_]+)=change-me$ ]]; then
    printf '%s=%s\n' "${BASH_REMATCH[1]}" "$(random_value)"
  else
    printf '%s\n' "$line"
  fi
done <"$here/.env.example" >"$tmp"
mv "$tmp" "$target"
trap - EXIT
echo "init-env: wrote $target (mode 600); now set CKAN_SITE_URL and the city in it"
