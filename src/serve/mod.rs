//! `kbgen serve`: build, serve the output over HTTP, watch for changes, rebuild and live-reload.
