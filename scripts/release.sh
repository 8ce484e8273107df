#!/usr/bin/env bash
# Usage: scripts/release.sh VERSION   (e.g. 1.2.0, or 1.3.0-rc.1)
#
# Prepares a release on the current branch, locally: sets the version in package.json, dates
# the Unreleased section of CHANGELOG.md, installs, checks, tests, rebuilds dist/ (the bundle
# embeds the version in its User-Agent), commits "Release vVERSION", tags vVERSION and moves
# the major tag (v1, ...) to it. It pushes nothing: it prints the commands to push.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
  echo "release: $*" >&2
  exit 1
}

[ $# -eq 1 ] || die "usage: scripts/release.sh VERSION (e.g. 1.2.0)"
version=$1
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
[[ $version =~ $semver ]] || die "'$version' is not a version like 1.2.0 (no leading v)"
major=v${BASH_REMATCH[1]}
prerelease=${BASH_REMATCH[4]}
tag=v$version
grep -q '"repository": "github:your-org/' package.json && die "package.json's repository is the placeholder your-org/…: set the real one, then run npm run docs and commit"

# Everything that goes into the release must be committed, and nothing else may ride along.
[ -z "$(git status --porcelain --untracked-files=normal)" ] ||
  die "the working tree is not clean; commit or stash first:
$(git status --short)"
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
  die "tag $tag exists already"
fi
branch=$(git symbolic-ref --quiet --short HEAD) || die "HEAD is detached; check out a branch"

echo "release: $tag from $branch at $(git rev-parse --short HEAD)"

trap 'echo "release: failed before the commit; to start over: git checkout -- . && git clean -fd" >&2' ERR

# Dates the Unreleased entries under the new version, unless a section for it exists already.
node - "$version" <<'EOF'
const fs = require('node:fs');
const version = process.argv[2];
const text = fs.readFileSync('CHANGELOG.md', 'utf8');
const heading = /^## \[Unreleased\][^\n]*$/m;
if (new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\]`, 'm').test(text)) process.exit(0);
if (!heading.test(text)) {
  console.error('release: CHANGELOG.md has neither "## [Unreleased]" nor a section for', version);
  process.exit(1);
}
const unreleased = text.split(heading)[1].split(/^## /m)[0];
if (unreleased.trim() === '') {
  console.error('release: CHANGELOG.md lists nothing under "## [Unreleased]"');
  process.exit(1);
}
const date = new Date().toISOString().slice(0, 10);
fs.writeFileSync('CHANGELOG.md', text.replace(heading, `## [Unreleased]\n\n## [${version}] - ${date}`));
EOF

# Sets "version" in package.json and package-lock.json; no commit, no tag yet.
npm version "$version" --no-git-tag-version --allow-same-version >/dev/null

npm ci --no-audit --no-fund
npm run lint
npm run typecheck
npm test
npm run build
grep -qF "\"$version\"" dist/index.js || die "dist/index.js does not contain the version $version"

git add package.json package-lock.json CHANGELOG.md dist
git commit --quiet -m "Release $tag"
trap - ERR

# The committed bundle must be exactly what a clean build makes, as CI checks on every push.
npm run build >/dev/null
if ! git diff --quiet --exit-code -- dist || [ -n "$(git status --porcelain -- dist)" ]; then
  git status --short -- dist
  die "a second build of dist/ differs from the committed one; the release commit is not tagged.
Undo it with: git reset --hard HEAD~1"
fi

git tag -a "$tag" -m "$tag"
if [ -z "$prerelease" ]; then
  # Users pin @v1: the major tag follows the newest release of that major version.
  git tag -f -a "$major" -m "$major -> $tag" "$tag^{commit}" >/dev/null
  moved=" and moved $major"
else
  moved=" ($major left where it was: $tag is a prerelease)"
fi

echo
echo "release: committed \"Release $tag\", tagged $tag$moved. Nothing is pushed yet. To publish:"
echo
echo "  git push origin $branch"
echo "  git push origin $tag"
if [ -z "$prerelease" ]; then echo "  git push --force origin $major"; fi
echo
echo "Then create the GitHub release from $tag (Releases > Draft a new release), with the"
echo "CHANGELOG.md section for $version as its notes."
