//! The error-signature index and matcher: an error text an author pasted into an
//! article's `errors:` becomes a signature of weighted tokens; a reader's paste or a
//! whole log is tokenised the same way and the signatures are aligned against it.
//! The browser runs the same rules in `templates/static/match.js` on the tokens
//! precomputed in `signatures.json`; `tests/match-vectors.json` drives both.
//!
//! The rules, in order (each submodule documents its own in detail):
//! 1. [`normalise`]: escapes undone (`\"`, `\n`, `&quot;` and other HTML entities,
//!    `%3a` and `+` URL encoding), then Unicode NFKC and lower case.
//! 2. [`tokens`]: a hand-written linear scanner (no backtracking regular
//!    expressions, so no ReDoS) masks e-mails, URLs, IPs, UUIDs, long hex ids,
//!    dates and times, and numbers; error codes (`AADSTS50105`, `E0000001`,
//!    `0x80072030`, `Request_BadRequest`) stay whole; `<placeholder>` in a
//!    signature becomes a wildcard.
//! 3. [`weights`]: rarity across all signatures (IDF), framing words and masks
//!    and stack frames weigh little, codes and the quoted vendor message weigh more.
//! 4. [`scan`]: only signatures with an anchor (a content token they cannot score
//!    without) in the input are looked at, only where a window of their span holds
//!    enough of their content tokens to reach the threshold; the anchors chosen
//!    change how much is looked at, never what is found. A region that cannot
//!    hold what the evidence rules ask for ([`needs`]) is not aligned either.
//! 5. [`align`]: a local alignment finds a signature inside longer input, across
//!    line breaks and JSON punctuation, or only its distinctive part; the score
//!    multiplies the share of the signature's weight found by the share of the
//!    matched input stretch the signature explains.
//! 6. [`stream`]: input is read in windows, so a 1 GB log needs little memory.

pub mod align;
mod bound;
mod chunk;
pub mod common;
pub mod evidence;
pub mod index;
pub mod json;
pub mod named;
mod needs;
pub mod normalise;
pub mod scan;
mod spares;
pub mod spelling;
pub mod stream;
pub mod tokens;
pub mod weights;

pub use index::{ArticleRef, Signature, SignatureIndex};
pub use stream::ArticleMatch;
