//! Live reload over Server-Sent Events: the hub that rebuilds publish to, the `/_live`
//! stream every open page listens on, and the `/_live.js` client injected into pages.
//!
//! A page learns the build generation it was served from; a client that connects
//! after it missed a reload or an error is told the current state at once.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

/// The browser side: reconnects, reloads keeping the scroll position, shows the overlay.
pub const CLIENT_JS: &str = include_str!("live.js");

/// What a rebuild tells the open pages.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// New files of this generation are completely in place.
    Reload(u64),
    /// The last rebuild failed; the JSON document lists its diagnostics.
    Error(Arc<String>),
    /// The server is stopping: end every stream so shutdown does not wait on them.
    Shutdown,
}

/// The state a newly connected page needs: the current generation and the error, if any.
#[derive(Debug, Default)]
struct Current {
    generation: u64,
    error: Option<Arc<String>>,
}

/// Fan-out point between the rebuild worker and every `/_live` stream.
#[derive(Debug)]
pub struct LiveHub {
    tx: broadcast::Sender<LiveEvent>,
    current: Mutex<Current>,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub::new()
    }
}

impl LiveHub {
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(64);
        LiveHub {
            tx,
            current: Mutex::new(Current::default()),
        }
    }

    /// The generation pages served now belong to.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Records a good build whose files are all written, and tells the pages.
    pub fn publish_reload(&self) -> u64 {
        let generation = {
            let mut cur = self.lock();
            cur.generation += 1;
            cur.error = None;
            cur.generation
        };
        // No receivers is fine: nobody has a page open.
        let _ = self.tx.send(LiveEvent::Reload(generation));
        generation
    }

    /// Records a failed build (the last good files keep being served) and tells the pages.
    pub fn publish_error(&self, diagnostics_json: String) {
        let json = Arc::new(diagnostics_json);
        self.lock().error = Some(json.clone());
        let _ = self.tx.send(LiveEvent::Error(json));
    }

    /// Ends every open stream.
    pub fn shutdown(&self) {
        let _ = self.tx.send(LiveEvent::Shutdown);
    }

    /// Open `/_live` streams (each holds one receiver).
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The event a page served at generation `seen` must get on connecting, if any.
    fn catch_up(&self, seen: Option<u64>) -> Option<LiveEvent> {
        let cur = self.lock();
        if let Some(err) = &cur.error {
            return Some(LiveEvent::Error(err.clone()));
        }
        match seen {
            Some(seen) if seen < cur.generation => Some(LiveEvent::Reload(cur.generation)),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LiveQuery {
    /// The generation the page was served from.
    #[serde(rename = "gen")]
    generation: Option<u64>,
}

/// `GET /_live`: one SSE stream per open page; it holds no task, only a receiver,
/// so a closed tab frees everything when hyper drops the connection.
pub async fn stream(
    State(hub): State<Arc<LiveHub>>,
    Query(query): Query<LiveQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state so nothing published in between is lost.
    let rx = hub.tx.subscribe();
    let first = hub.catch_up(query.generation);
    let updates = BroadcastStream::new(rx).filter_map(Result::ok);
    let events = tokio_stream::iter(first)
        .chain(updates)
        .map_while(to_sse)
        .map(Ok);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn to_sse(event: LiveEvent) -> Option<Event> {
    match event {
        LiveEvent::Reload(generation) => Some(
            Event::default()
                .event("reload")
                .data(format!("{{\"generation\":{generation}}}")),
        ),
        LiveEvent::Error(json) => Some(Event::default().event("error").data(json.as_str())),
        LiveEvent::Shutdown => None,
    }
}

/// `GET /_live.js`.
pub async fn client_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        CLIENT_JS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_client_gets_the_error_it_missed() {
        let hub = LiveHub::new();
        hub.publish_reload();
        hub.publish_error("{\"diagnostics\":[]}".into());
        assert!(matches!(hub.catch_up(Some(1)), Some(LiveEvent::Error(_))));
        hub.publish_reload();
        assert!(hub.catch_up(Some(2)).is_none());
    }

    #[test]
    fn page_served_before_a_reload_is_told_to_reload() {
        let hub = LiveHub::new();
        hub.publish_reload();
        hub.publish_reload();
        assert!(matches!(hub.catch_up(Some(1)), Some(LiveEvent::Reload(2))));
        assert!(hub.catch_up(Some(2)).is_none());
        assert!(hub.catch_up(None).is_none());
    }
}
