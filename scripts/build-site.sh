#!/usr/bin/env bash
# Builds Meet's front end into the site root that the `meet` binary serves:
#   1. the wasm library (crate meet-frontend) for wasm32-unknown-unknown, twice: the site bundle
#      (`meet`, every page but the meeting page) and the meeting bundle (`meeting`);
#   2. the meeting bundle split in two by wasm-split (the call's code, `conference`, in a module
#      of its own that the pre-join screen fetches in the background: app/src/meeting.rs), then
#      wasm-bindgen --target web (CLI version = the wasm-bindgen crate in Cargo.lock);
#   3. release only: wasm-opt -Oz from npm `binaryen` (never Debian's binaryen 108, whose output
#      breaks hydration);
#   4. the ES modules of frontend/js/*.mjs, each bundled with its npm imports by esbuild into one
#      module (nothing is fetched at run time);
#   5. the stylesheet (style/*.css joined in name order), and the files of public/;
#   6. content-hashed names for every bundle (meet.<hash>.js|wasm|css, livekit-bridge.<hash>.js,
#      …) listed in pkg/manifest.json by bundle name, so browsers may cache them for good, plus
#      gzip and brotli copies the server sends to browsers that accept them.
#
# Usage: scripts/build-site.sh debug|release   (env: SITE_ROOT, default target/site)
set -euo pipefail

mode=${1:?usage: build-site.sh debug|release}
site=${SITE_ROOT:-target/site}
target_dir=${CARGO_TARGET_DIR:-target}
name=meet
crate=meet_frontend

# Both modes erase the components' view types (Leptos' `erase_components`, as .cargo/config.toml
# does for the server's debug build, whose HTML the debug bundle hydrates): a quarter less wasm,
# and no type too deep to compile. wasm-split reads the linker's relocations (`--emit-relocs`) to
# move functions between modules. RUSTFLAGS replaces the configuration's flags, so it names
# both; with --target, only the wasm build gets them. The dependencies' source paths in panic
# messages lose the builder's home directory (`crates/…` instead of `$CARGO_HOME/registry/src/…`).
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components -C link-arg=--emit-relocs \
--remap-path-prefix=$cargo_home/registry/src=crates"
case "$mode" in
  debug) profile_args=(); profile_dir=debug ;;
  release)
    profile_args=(--profile wasm-release)
    profile_dir=wasm-release
    ;;
  *) echo "build-site.sh: unknown mode '$mode' (debug or release)" >&2; exit 2 ;;
esac

# Two bundles of the same crate (meet-app's `bundle`): `meet` hydrates every page but the
# meeting page, `meeting` the meeting page. Each feature set has its own artifacts in the target
# directory, so switching between them rebuilds nothing that did not change.
bundles=(meet:site-bundle meeting:meeting-bundle)
out_dir="$target_dir/wasm32-unknown-unknown/$profile_dir"
for entry in "${bundles[@]}"; do
  bundle=${entry%%:*} feature=${entry#*:}
  echo "==> wasm: cargo build -p meet-frontend --features $feature --target wasm32-unknown-unknown ($mode)"
  cargo build -p meet-frontend --lib --features "$feature" --target wasm32-unknown-unknown \
    "${profile_args[@]}"
  cp "$out_dir/$crate.wasm" "$out_dir/$crate-$bundle.wasm"
done

# Everything the site is made from: when none of it changed, the site is already built.
fingerprint=$( { echo "$mode"; sha256sum "$out_dir/$crate"-*.wasm "$0" scripts/precompress.mjs \
  style/*.css package-lock.json; find public frontend/js -type f -print0 | sort -z |
  xargs -0 sha256sum; } | sha256sum | cut -c1-32)
if [ -f "$site/.fingerprint" ] && [ "$(cat "$site/.fingerprint")" = "$fingerprint" ]; then
  echo "==> site root $site is up to date"
  exit 0
fi

staging=$(mktemp -d "${TMPDIR:-/tmp}/meet-site.XXXXXX")
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/pkg"

wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$wanted" ]; then
  echo "build-site.sh: wasm-bindgen CLI ${have:-missing}, but Cargo.lock has wasm-bindgen $wanted;" >&2
  echo "  install it with: cargo install wasm-bindgen-cli --version $wanted   (or: make tools)" >&2
  exit 1
fi

# wasm-split-cli has no --version: cargo's list of installed packages says which it is.
split_wanted=$(awk '/^WASM_SPLIT_VERSION/ { print $3; exit }' Makefile)
split_have=$(cargo install --list 2>/dev/null |
  awk '/^wasm_split_cli_support v/ { sub(/^v/, "", $2); sub(/:$/, "", $2); print $2 }')
if ! command -v wasm-split-cli >/dev/null || [ "$split_have" != "$split_wanted" ]; then
  echo "build-site.sh: wasm-split-cli ${split_have:-missing}, but the Makefile wants $split_wanted;" >&2
  echo "  install it with: make tools" >&2
  exit 1
fi

wasm_opt=${WASM_OPT:-node_modules/.bin/wasm-opt}
# optimize FILE: wasm-opt -Oz in place (release only).
optimize() {
  [ "$mode" = release ] || return 0
  echo "==> wasm-opt -Oz ($("$wasm_opt" --version)): $(basename "$1")"
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$1" -o "$1.opt"
  mv "$1.opt" "$1"
}

# The site bundle must not carry the call's split point: its export would keep the whole call in
# the site bundle, and no module would be split off to hold it.
if grep -q '__wasm_split_00' "$out_dir/$crate-meet.wasm"; then
  echo "build-site.sh: the site bundle carries the call's split point (only the meeting bundle may)" >&2
  exit 1
fi

# wasm-split, for both bundles: it leaves out the linker's relocations (which wasm-opt cannot
# read), and it splits the meeting bundle in two: meeting.wasm (what the page needs first),
# meeting-conference.wasm (the call), and meeting-split.js, which fetches the latter when the
# page asks for it. Bare module names (`meeting`, `meeting-split`) link the two scripts through
# the page's import map, so that each may carry its content hash.
split_dir="$staging/split"
for entry in "${bundles[@]}"; do
  bundle=${entry%%:*}
  echo "==> wasm-split $split_have: $bundle"
  wasm-split-cli --target web --out-name "$bundle" "$out_dir/$crate-$bundle.wasm" \
    "$split_dir/$bundle"
done
[ -f "$split_dir/meeting/split_conference.wasm" ] || {
  echo "build-site.sh: wasm-split found no conference split point in the meeting bundle" >&2
  exit 1
}
mv "$split_dir/meeting/split_conference.wasm" "$staging/pkg/meeting-conference.wasm"
sed -e 's|from "./meeting.js"|from "meeting"|' "$split_dir/meeting/__wasm_split.js" \
  > "$staging/pkg/meeting-split.js"

for entry in "${bundles[@]}"; do
  bundle=${entry%%:*}
  keep=()
  # The call's module shares the main module's function table, which only lld exports.
  [ "$bundle" = meeting ] && keep=(--keep-lld-exports)
  echo "==> wasm-bindgen $have --target web: $bundle"
  wasm-bindgen --target web --no-typescript "${keep[@]}" --out-dir "$staging/pkg" \
    --out-name "$bundle" "$split_dir/$bundle/$bundle.wasm"
  mv "$staging/pkg/${bundle}_bg.wasm" "$staging/pkg/$bundle.wasm"
  optimize "$staging/pkg/$bundle.wasm"
done
optimize "$staging/pkg/meeting-conference.wasm"
rm -r "$split_dir"
sed -i 's|from "./__wasm_split.js"|from "meeting-split"|' "$staging/pkg/meeting.js"
grep -q 'from "meeting-split"' "$staging/pkg/meeting.js" || {
  echo "build-site.sh: meeting.js does not import the split loader" >&2
  exit 1
}

esbuild=${ESBUILD:-node_modules/.bin/esbuild}
for entry in frontend/js/*.mjs; do
  bundle=$(basename "$entry" .mjs)
  echo "==> esbuild $($esbuild --version): $entry -> $bundle.js"
  minify=()
  [ "$mode" = release ] && minify=(--minify)
  "$esbuild" "$entry" --bundle --format=esm --target=es2020 --platform=browser \
    --legal-comments=none --log-level=warning "${minify[@]}" --outfile="$staging/pkg/$bundle.js"
done

if grep -l "$cargo_home/registry" "$staging"/pkg/*.wasm; then
  echo "build-site.sh: a wasm bundle names the builder's Cargo directory" >&2
  exit 1
fi

echo "==> stylesheet and public files"
# The stylesheet's parts, in name order (the order of the cascade).
cat style/*.css > "$staging/pkg/$name.css"
cp -R public/. "$staging/"

echo "==> content hashes"
# Every bundle (a file at the top of pkg/) gets its hash in its name; manifest.json maps bundle
# names (meet.js, livekit-bridge.js, …) to the hashed files.
hash_of() { sha256sum "$1" | cut -c1-16; }
manifest=()
# The call's module first: the split loader names it.
conference=meeting-conference.$(hash_of "$staging/pkg/meeting-conference.wasm").wasm
mv "$staging/pkg/meeting-conference.wasm" "$staging/pkg/$conference"
manifest+=("  \"meeting-conference.wasm\": \"$conference\"")
sed -i "s|\"./split_conference.wasm\"|\"./$conference\"|" "$staging/pkg/meeting-split.js"
grep -q "$conference" "$staging/pkg/meeting-split.js" || {
  echo "build-site.sh: meeting-split.js does not name the call's module" >&2
  exit 1
}
for file in "$staging"/pkg/*.js "$staging"/pkg/*.wasm "$staging"/pkg/*.css; do
  case "$file" in */meeting-conference.*) continue ;; esac
  bundle=$(basename "$file")
  hash=$(hash_of "$file")
  hashed="${bundle%.*}.$hash.${bundle##*.}"
  mv "$file" "$staging/pkg/$hashed"
  manifest+=("  \"$bundle\": \"$hashed\"")
done
{ echo "{"; (IFS=$'\n'; echo "${manifest[*]}" | sed '$!s/$/,/'); echo "}"; } > "$staging/pkg/manifest.json"

if [ "$mode" = release ]; then
  # Debug builds skip this (brotli 11 on a debug wasm takes seconds): the server compresses
  # on the fly instead.
  echo "==> gzip and brotli copies"
  find "$staging" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \) \
    -print0 | xargs -0 node scripts/precompress.mjs
fi

echo "$fingerprint" > "$staging/.fingerprint"
echo "==> site root: $site"
rm -rf "$site"
mkdir -p "$(dirname "$site")"
mv "$staging" "$site"
trap - EXIT
ls -l "$site/pkg" | awk 'NR > 1 { printf "    %10d  %s\n", $5, $9 }'
