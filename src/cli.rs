//! The command line (clap derive): global flags and one subcommand per `cmd` module.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "kbgen",
    version,
    about = "Troubleshooting articles in YAML to a searchable static site and an error-signature index"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Print errors only: no progress, no summary.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to use colours (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
}

/// Where the articles, templates and output live.
#[derive(Debug, Clone, Args)]
pub struct Paths {
    /// Folder of YAML articles.
    #[arg(long, default_value = "kb")]
    pub kb: PathBuf,
    /// Folder of templates overriding the built-in ones, file by file.
    #[arg(long, default_value = "templates")]
    pub templates: PathBuf,
    /// Output folder of the site.
    #[arg(long, default_value = "site")]
    pub out: PathBuf,
    /// Site settings file (every field optional).
    #[arg(long, default_value = "kbgen.yaml")]
    pub config: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate the articles, print diagnostics.
    Check(CheckArgs),
    /// Check, then render the whole site into --out atomically.
    Build(BuildArgs),
    /// Build, serve on loopback, watch for changes and reload the browser.
    Serve(ServeArgs),
    /// Write kb/ID.yaml from a skeleton (never overwrites).
    New(NewArgs),
    /// Rank articles for a pasted error or a whole log.
    Match(MatchArgs),
    /// Print the JSON Schema of an article (for editors).
    Schema,
    /// Write one article per source from Markdown files or a Zendesk Guide export.
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Markdown files, or folders searched recursively for `*.md`.
    Markdown(ImportArgs),
    /// JSON pages of the Zendesk Help Center "List Articles" response, or single articles.
    Zendesk(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Source files (or, for Markdown, folders).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Folder of YAML articles to write into.
    #[arg(long, default_value = "kb")]
    pub kb: PathBuf,
    /// Overwrite articles edited since they were imported.
    #[arg(long)]
    pub force: bool,
    /// Print what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// `human` for people (compiler style, with snippets), `json` for editors and CI.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Which articles a site shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AudienceArg {
    /// Readers: public articles, no internal notes.
    #[default]
    Public,
    /// Support staff: every article and internal note, marked.
    Internal,
}

impl From<AudienceArg> for crate::model::Audience {
    fn from(a: AudienceArg) -> Self {
        match a {
            AudienceArg::Public => crate::model::Audience::Public,
            AudienceArg::Internal => crate::model::Audience::Internal,
        }
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Include drafts (`status: draft`), marked "Draft".
    #[arg(long)]
    pub drafts: bool,
    /// `public` leaves internal articles and notes out of every file; `internal`
    /// builds the staff site with them.
    #[arg(long, value_enum, default_value_t)]
    pub audience: AudienceArg,
    /// Absolute URL the site is published at (used in sitemap.xml and feed.xml).
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// `internal` previews the staff site (internal articles and notes); drafts are
    /// always shown, marked.
    #[arg(long, value_enum, default_value_t)]
    pub audience: AudienceArg,
    /// Address to listen on; anything but loopback is reachable by others (warned).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Port to listen on; a port in use is an error (exit 2).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of native file events.
    #[arg(long)]
    pub poll: bool,
    /// Absolute URL the site is published at (used in sitemap.xml and feed.xml).
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Article id (a slug such as `okta-saml-clock-skew`).
    pub id: String,
    /// Title of the new article (default: made from the id).
    #[arg(long)]
    pub title: Option<String>,
    /// Folder of YAML articles.
    #[arg(long, default_value = "kb")]
    pub kb: PathBuf,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// A file with the error text or log; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// `human` for people, `json` for tools: {"matches":[{"id","title","url","score","lines"}]}.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// At most this many articles.
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
    /// Folder of YAML articles whose error texts are matched.
    #[arg(long, default_value = "kb")]
    pub kb: PathBuf,
    /// Folder of a site built by `kbgen build`: match against its signatures.json
    /// instead of checking the knowledge base (same matches, starts much faster).
    #[arg(long, value_name = "DIR", conflicts_with = "kb")]
    pub site: Option<PathBuf>,
    /// Match drafts too (with `--kb`).
    #[arg(long)]
    pub drafts: bool,
    /// `internal` matches internal articles too (with `--kb`).
    #[arg(long, value_enum, default_value_t)]
    pub audience: AudienceArg,
    /// Say why each article matched: the error text that matched, the input lines,
    /// and its tokens found and missing with their weights (in JSON: `explain`).
    #[arg(long)]
    pub explain: bool,
    /// Print the knowledge base's signatures.json instead of matching (for tools and tests).
    #[arg(long, hide = true)]
    pub dump_signatures: bool,
}
