#!/usr/bin/env bash
# Refreshes the copy of Sveltia CMS in themes/admin/sveltia-cms/ from npm: the writing screen at /admin/.
#
#   bash themes/admin/update-sveltia.sh 0.221.1
#
# The editor is kept in the repository rather than installed when the site is built: a council's
# GitHub Actions build then needs no Node and no npm, the one-line setup in README.md stays one line,
# and every council gets exactly the bytes the browser tests ran against. It is about 3 MB.
# After an upgrade, set SVELTIA_VERSION in generator/admin.py and run the browser tests in
# tests/test_admin.py: the GitHub requests the editor makes change between versions.
set -euo pipefail
version="${1:?usage: update-sveltia.sh VERSION (an exact version, e.g. 0.221.1)}"
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/sveltia-cms"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

(cd "$scratch" && npm pack --silent "@sveltia/cms@$version" >/dev/null && tar xzf sveltia-cms-*.tgz)
package="$scratch/package"
rm -rf "$target"
mkdir -p "$target/fonts"
cp "$package/LICENSE.txt" "$target/LICENSE.txt"
# The fonts (SIL Open Font License) are the ones the editor's own CSS names; it would fetch them
# from a CDN. Served from the site instead, no reader's browser asks another host for anything.
for font in source-sans-3 noto-mono material-symbols-outlined; do
  cp "$package"/npm/assets/"$font"-latin-*.woff2 "$target/fonts/$font.woff2"
  cp "$package/npm/assets/$font.LICENSE.txt" "$target/fonts/$font.LICENSE.txt"
done
sed -e 's#https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@[0-9.]*/latin-wght-normal.woff2#fonts/source-sans-3.woff2#' \
    -e 's#https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@[0-9.]*/latin-400-normal.woff2#fonts/noto-mono.woff2#' \
    -e 's#https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@[0-9.]*/latin-wght-normal.woff2#fonts/material-symbols-outlined.woff2#' \
    "$package/dist/sveltia-cms.js" > "$target/sveltia-cms.js"
if grep -q 'cdn.jsdelivr.net/fontsource' "$target/sveltia-cms.js"; then
  echo "A font URL was not rewritten: update the sed lines above for this version." >&2
  exit 1
fi
# The editor speaks the browser's language, and fetches the words from unpkg.com unless it is US
# English: on a British iPad, with that host blocked, it retried without end and never opened.
# The words are served from the site instead, from locales/ beside the script.
cp -r "$package/locales" "$target/locales"
sed -i -e 's#`${[A-Za-z_$]*}@${[A-Za-z_$]*}/locales`#`locales`#' "$target/sveltia-cms.js"
if [ "$(grep -c '=`locales`,' "$target/sveltia-cms.js")" != 1 ]; then
  echo "The address of the editor's translations was not rewritten: update the sed line above." >&2
  exit 1
fi
printf '%s\n' "$version" > "$target/VERSION"
echo "Sveltia CMS $version is in $target"
