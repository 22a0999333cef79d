// The bridge between Meet's wasm front end and livekit-client (npm), which no Rust crate wraps
// for the browser. scripts/build-site.sh bundles it with esbuild into one ES module,
// pkg/livekit-bridge.<hash>.js; pages find it through their import map as `livekit-bridge`, so
// Rust binds it with `#[wasm_bindgen(module = "livekit-bridge")]`. Its API is plain values and
// JSON, nothing of livekit-client's classes.
import { version } from "livekit-client";

/** The livekit-client version bundled into the site. */
export function livekitVersion() {
  return version;
}
