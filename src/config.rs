//! Optional site settings (`kbgen.yaml` at the root): title, base URL, source-repository URL.
