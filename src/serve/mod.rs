//! `kbgen serve`: build, serve the output over HTTP, watch for changes, rebuild and live-reload.
//!
//! `http` serves the folder and injects the live script, `live` streams reload and
//! error events, `watch` turns file events into change sets, `rebuild` redoes what a
//! change affects: `site_pipeline` re-checks the changed files and renders what
//! `plan` says they touched; `output` writes files atomically and `worker` runs
//! rebuilds and search indexing off the async runtime.

pub mod http;
#[cfg(test)]
mod incremental_tests;
mod list_orders;
pub mod live;
pub mod output;
pub mod plan;
pub mod rebuild;
pub mod site_pipeline;
pub mod watch;
pub mod worker;

use anyhow::Context;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How long shutdown waits for open connections before leaving anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Everything `kbgen serve` is told on the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub kb: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
    pub config: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub poll: bool,
    pub quiet: bool,
    /// Colour in terminal diagnostics.
    pub color: bool,
    /// Absolute URL for sitemap.xml and feed.xml (as in `kbgen build`).
    pub base_url: Option<String>,
    /// Which articles and notes the preview shows (drafts always, marked).
    pub audience: crate::model::Audience,
}

/// Serves until Ctrl-C or SIGTERM. `Err` (exit 2) when the port is taken or the
/// folders cannot be read; a failing build never ends it.
pub fn run(opts: ServeOptions) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(opts))
}

async fn serve(opts: ServeOptions) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        opts.kb.is_dir(),
        "the articles folder {} does not exist (use --kb)",
        opts.kb.display()
    );
    let listener = bind(&opts).await?;
    let addr = listener.local_addr().context("reading the bound address")?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "kbgen: warning: serving on {}, reachable from other machines; \
             the default --bind 127.0.0.1 keeps it local",
            addr.ip()
        );
    }
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("creating {}", opts.out.display()))?;
    let roots = watch::Roots::new(&opts.kb, &opts.templates, &opts.config, &opts.out);
    let hub = Arc::new(live::LiveHub::new());
    let term = worker::Terminal { quiet: opts.quiet };

    let (index_tx, indexer) = worker::spawn_indexer(opts.out.clone(), opts.config.clone());
    let pipeline = site_pipeline::SitePipeline::new(crate::site::BuildOptions {
        kb: opts.kb.clone(),
        templates: opts.templates.clone(),
        out: opts.out.clone(),
        config: opts.config.clone(),
        base_url: opts.base_url.clone(),
        quiet: opts.quiet,
        color: opts.color,
        publish: crate::publish::Publish {
            drafts: true,
            audience: opts.audience,
        },
    });
    let mut rebuilder = rebuild::Rebuilder::new(pipeline, &opts.out, &opts.kb, &roots.kb);
    worker::first_build(&mut rebuilder, &hub, term, &index_tx);

    let (change_tx, change_rx) = std::sync::mpsc::channel();
    let watcher = watch::start(&roots, opts.poll, change_tx)?;
    let rebuilds = worker::spawn_rebuilds(rebuilder, change_rx, hub.clone(), term, index_tx);

    let url = format!("http://{addr}/");
    let stop = stop_signals();
    if !opts.quiet {
        println!(
            "Serving {} at {url} (watching {}{}; Ctrl-C to stop)",
            opts.out.display(),
            opts.kb.display(),
            if opts.poll { " by polling" } else { "" }
        );
    }
    if opts.open {
        open_browser(&url);
    }
    let state = http::AppState {
        hub: hub.clone(),
        root: roots.out.clone(),
    };
    run_server(listener, http::router(state), hub, stop).await?;

    // Dropping the watcher closes the change channel, which ends the rebuild worker,
    // which drops the indexer's sender, which ends the indexer.
    drop(watcher);
    let _ = rebuilds.join();
    let _ = indexer.join();
    if !opts.quiet {
        println!("Stopped.");
    }
    Ok(ExitCode::SUCCESS)
}

async fn bind(opts: &ServeOptions) -> anyhow::Result<TcpListener> {
    match TcpListener::bind((opts.bind.as_str(), opts.port)).await {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
            "port {} on {} is already in use (is another server running?); \
             choose another with --port",
            opts.port,
            opts.bind
        ),
        Err(e) => Err(e).with_context(|| format!("cannot listen on {}:{}", opts.bind, opts.port)),
    }
}

/// Serves until `stop`; then ends the live streams and waits a little for the rest.
async fn run_server(
    listener: TcpListener,
    app: axum::Router,
    hub: Arc<live::LiveHub>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let signal = async move {
        stop.await;
        hub.shutdown();
        let _ = stop_tx.send(true);
    };
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signal);
    let deadline = async move {
        let _ = stop_rx.wait_for(|stopped| *stopped).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = server => result.context("serving HTTP"),
        () = deadline => Ok(()),
    }
}

/// Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// it is first awaited, so that a signal sent as soon as the server says it serves
/// stops it cleanly instead of killing it.
#[cfg(unix)]
fn stop_signals() -> impl Future<Output = ()> {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    let term = signal(SignalKind::terminate()).ok();
    let interrupt = signal(SignalKind::interrupt()).ok();
    let wait = |s: Option<Signal>| async move {
        match s {
            Some(mut s) => {
                s.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    async move {
        tokio::select! {
            () = wait(term) => {},
            () = wait(interrupt) => {},
        }
    }
}

/// Ctrl-C.
#[cfg(not(unix))]
fn stop_signals() -> impl Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Opens `url` in the default browser; a failure is only a warning.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reap the opener when it exits so it does not linger as a zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("kbgen: warning: could not open a browser ({e}); open {url} yourself"),
    }
}
