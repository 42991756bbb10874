//! The HTTP side of `kbgen serve`: the output folder through tower-http's `ServeDir`
//! (404 page for missing paths), a guard that keeps every response inside that folder,
//! the live-reload routes, and the script tag injected into HTML responses.

use super::live::{self, LiveHub};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};

/// HTML pages larger than this are passed through without the live-reload script.
const MAX_INJECT_BYTES: usize = 32 * 1024 * 1024;

/// What the request handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    pub hub: Arc<LiveHub>,
    /// The output folder, canonical, so symlinks out of it can be recognised.
    pub root: PathBuf,
}

/// The whole application: live routes, then the guarded, script-injecting file server.
pub fn router(state: AppState) -> Router {
    let files = ServeDir::new(&state.root)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(state.root.join("404.html")));
    let site = Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            inject_live_script,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), guard));
    Router::new()
        .route("/_live", get(live::stream).with_state(state.hub.clone()))
        .route("/_live.js", get(live::client_js))
        .merge(site)
}

/// Refuses any request whose path, once decoded and resolved, leaves the output folder.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match resolve(&state.root, req.uri().path()) {
        Resolved::Inside => next.run(req).await,
        Resolved::Bad => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
        Resolved::Outside => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// Inside the folder, or missing (ServeDir answers 404 then).
    Inside,
    /// Not a path a browser would send: `..`, backslashes, NUL, invalid UTF-8.
    Bad,
    /// Exists, but only through a symlink that points out of the folder.
    Outside,
}

/// ServeDir already drops `..`; this also catches encoded forms and symlinks.
fn resolve(root: &Path, uri_path: &str) -> Resolved {
    let Ok(decoded) = percent_decode_str(uri_path).decode_utf8() else {
        return Resolved::Bad;
    };
    if decoded.contains(['\\', '\0']) {
        return Resolved::Bad;
    }
    let rel = Path::new(decoded.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Resolved::Bad;
    }
    let candidate = root.join(rel);
    let Ok(real) = candidate.canonicalize() else {
        return Resolved::Inside;
    };
    if !real.starts_with(root) {
        return Resolved::Outside;
    }
    let index = real
        .is_dir()
        .then(|| real.join("index.html").canonicalize());
    match index {
        Some(Ok(index)) if !index.starts_with(root) => Resolved::Outside,
        _ => Resolved::Inside,
    }
}

/// Serves fresh bytes on every request and adds the live-reload script to HTML.
async fn inject_live_script(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    // A development server must never answer "not modified" with a stale page.
    for name in [
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_UNMODIFIED_SINCE,
        header::RANGE,
    ] {
        req.headers_mut().remove(name);
    }
    let is_get = req.method() == Method::GET;
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !is_get || !is_html(&res) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_INJECT_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large\n").into_response();
    };
    let page = with_live_script(&bytes, state.hub.generation());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The page with `<script src="/_live.js">` before its last `</body>` (or at the end).
/// An external script, so the site's `script-src 'self'` policy still allows it.
fn with_live_script(page: &[u8], generation: u64) -> Bytes {
    let tag = format!("<script src=\"/_live.js\" data-generation=\"{generation}\" defer></script>");
    let at = rfind_ascii_ci(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    Bytes::from(out)
}

fn rfind_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_closing_body_tag() {
        let page = with_live_script(b"<html><body><p>x</p></BODY></html>", 7);
        let page = String::from_utf8(page.to_vec()).unwrap_or_default();
        assert_eq!(
            page,
            "<html><body><p>x</p><script src=\"/_live.js\" data-generation=\"7\" defer></script></BODY></html>"
        );
    }

    #[test]
    fn script_is_appended_when_there_is_no_body_tag() {
        let page = with_live_script(b"<p>x", 1);
        assert!(page.ends_with(b"defer></script>"));
        assert!(page.starts_with(b"<p>x"));
    }

    #[test]
    fn traversal_forms_are_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/a%5c..%5cb",
            "/%00",
        ] {
            assert_eq!(resolve(&root, bad), Resolved::Bad, "{bad}");
        }
        assert_eq!(resolve(&root, "/"), Resolved::Inside);
        assert_eq!(resolve(&root, "/missing/page/"), Resolved::Inside);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_out_of_the_folder_is_not_served() {
        let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let site = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let root = site.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "s").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(&secret, root.join("leak.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(outside.path(), root.join("dir"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(resolve(&root, "/leak.txt"), Resolved::Outside);
        assert_eq!(resolve(&root, "/dir/secret.txt"), Resolved::Outside);
        assert_eq!(resolve(&root, "/dir/"), Resolved::Outside);
    }

    /// Many open tabs and reconnects must not leave streams (or tasks) behind.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn closed_live_connections_free_their_streams() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        let hub = Arc::new(LiveHub::new());
        let app = router(AppState {
            hub: hub.clone(),
            root,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await;
        let listener = listener.unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        for round in 0..3 {
            let mut tabs = Vec::new();
            for _ in 0..40 {
                let mut s = tokio::net::TcpStream::connect(addr)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let req = "GET /_live HTTP/1.1\r\nHost: x\r\n\r\n";
                s.write_all(req.as_bytes())
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let mut buf = [0u8; 64];
                let n = s.read(&mut buf).await.unwrap_or(0);
                assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "round {round}");
                tabs.push(s);
            }
            assert_eq!(hub.listeners(), 40);
            drop(tabs);
            let mut waited = 0;
            while hub.listeners() > 0 && waited < 200 {
                hub.publish_reload();
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                waited += 1;
            }
            assert_eq!(hub.listeners(), 0, "round {round}: streams left behind");
        }
        server.abort();
    }
}
