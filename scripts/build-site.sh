#!/usr/bin/env bash
# Builds Meet's front end into the site root that the `meet` binary serves:
#   1. the wasm library (crate meet-frontend) for wasm32-unknown-unknown, twice: the site bundle
#      (`meet`, every page but the meeting page) and the meeting bundle (`meeting`);
#   2. wasm-bindgen --target web (CLI version = the wasm-bindgen crate in Cargo.lock);
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

case "$mode" in
  debug) profile_args=(); profile_dir=debug ;;
  # Release erases the components' view types (Leptos' `erase_components`): a quarter less wasm,
  # and no type too deep to compile. Only the wasm build gets it (RUSTFLAGS with --target).
  release)
    profile_args=(--profile wasm-release)
    profile_dir=wasm-release
    export RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components"
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

for entry in "${bundles[@]}"; do
  bundle=${entry%%:*}
  echo "==> wasm-bindgen $have --target web: $bundle"
  wasm-bindgen --target web --no-typescript --out-dir "$staging/pkg" --out-name "$bundle" \
    "$out_dir/$crate-$bundle.wasm"
  mv "$staging/pkg/${bundle}_bg.wasm" "$staging/pkg/$bundle.wasm"

  if [ "$mode" = release ]; then
    wasm_opt=${WASM_OPT:-node_modules/.bin/wasm-opt}
    echo "==> wasm-opt -Oz ($("$wasm_opt" --version)): $bundle"
    "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      "$staging/pkg/$bundle.wasm" -o "$staging/pkg/$bundle.opt.wasm"
    mv "$staging/pkg/$bundle.opt.wasm" "$staging/pkg/$bundle.wasm"
  fi
done

esbuild=${ESBUILD:-node_modules/.bin/esbuild}
for entry in frontend/js/*.mjs; do
  bundle=$(basename "$entry" .mjs)
  echo "==> esbuild $($esbuild --version): $entry -> $bundle.js"
  minify=()
  [ "$mode" = release ] && minify=(--minify)
  "$esbuild" "$entry" --bundle --format=esm --target=es2020 --platform=browser \
    --legal-comments=none --log-level=warning "${minify[@]}" --outfile="$staging/pkg/$bundle.js"
done

echo "==> stylesheet and public files"
# The stylesheet's parts, in name order (the order of the cascade).
cat style/*.css > "$staging/pkg/$name.css"
cp -R public/. "$staging/"

echo "==> content hashes"
# Every bundle (a file at the top of pkg/) gets its hash in its name; manifest.json maps bundle
# names (meet.js, livekit-bridge.js, …) to the hashed files.
hash_of() { sha256sum "$1" | cut -c1-16; }
manifest=()
for file in "$staging"/pkg/*.js "$staging"/pkg/*.wasm "$staging"/pkg/*.css; do
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
