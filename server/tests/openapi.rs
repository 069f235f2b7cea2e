//! The OpenAPI document lists every route the service has, and nothing it does not: the routes are
//! read from the sources (`.route("…"`), the document from `api/openapi.json`.

use std::collections::BTreeSet;
use std::path::Path;

fn routes_in(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            routes_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            // `.route("/path"` possibly with the path on the next line.
            for piece in text.split(".route(").skip(1) {
                if let Some(path) = piece
                    .trim_start()
                    .strip_prefix('"')
                    .and_then(|p| p.split('"').next())
                {
                    out.insert(path.to_owned());
                }
            }
        }
    }
}

#[test]
fn the_document_lists_exactly_the_routes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut routes = BTreeSet::new();
    routes_in(&root.join("src"), &mut routes);
    let doc: serde_json::Value =
        serde_json::from_str(onshi_server::http::OPENAPI).unwrap_or_else(|e| panic!("{e}"));
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap_or_else(|| panic!("no paths"))
        .keys()
        .cloned()
        .collect();
    assert!(routes.len() > 30, "{routes:?}");
    assert_eq!(routes, documented);
    assert_eq!(doc["openapi"], "3.1.0");
}
