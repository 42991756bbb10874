//! The rules of one article's lifecycle fields (`status`, `audience`, `reviewed`,
//! `superseded_by`, `aliases`, `internal`) and their model values. What
//! `superseded_by` and `aliases` name is checked across articles, in
//! `validate::lifecycle`.

use super::{Ctx, S, at, codes, is_slug, opt};
use crate::diagnostic::Diagnostic;
use crate::model::{Audience, Date, Lifecycle, Status, slugify};
use crate::raw::{AUDIENCES, RawArticle, STATUSES};

/// Checks the lifecycle fields; their model values (defaults where a value is wrong,
/// which is then an error in `out`).
pub(super) fn check(
    c: &Ctx,
    raw: &RawArticle,
    created: Option<Date>,
    out: &mut Vec<Diagnostic>,
) -> Lifecycle {
    let status = match one_of(c, raw.status.as_ref(), "status", STATUSES, out) {
        Some(1) => Status::Draft,
        Some(2) => Status::Retired,
        _ => Status::Published,
    };
    let audience = match one_of(c, raw.audience.as_ref(), "audience", AUDIENCES, out) {
        Some(1) => Audience::Internal,
        _ => Audience::Public,
    };
    let reviewed = raw.reviewed.as_ref().and_then(|d| c.date(d, out));
    if let (Some(r), Some(cr), Some(rs)) = (reviewed, created, &raw.reviewed)
        && r < cr
    {
        let msg = format!("`reviewed` ({r}) is before `created` ({cr})");
        let hint = "an article is reviewed after it is written: fix either date".into();
        out.push(c.error(codes::REVIEWED_BEFORE_CREATED, rs, msg, hint));
    }
    if let Some(s) = &raw.superseded_by {
        superseded_by(c, s, status, out);
    }
    for alias in raw.aliases.iter().flatten() {
        self::alias(c, alias, out);
    }
    Lifecycle {
        status,
        audience,
        superseded_by: raw
            .superseded_by
            .as_ref()
            .map(|s| s.value.trim().to_string()),
        aliases: (raw.aliases.iter().flatten())
            .map(|a| a.value.trim().to_string())
            .collect(),
        internal: opt(&raw.internal),
        reviewed,
        review_at: (raw.reviewed.as_ref())
            .or(raw.updated.as_ref())
            .or(raw.created.as_ref())
            .map_or((1, 1), at),
        source_withheld: false,
    }
}

/// The index of `value` in `allowed`, or an error with a did-you-mean.
fn one_of(
    c: &Ctx,
    value: Option<&S>,
    field: &str,
    allowed: &[&str],
    out: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let value = value?;
    let v = value.value.trim();
    if let Some(k) = allowed.iter().position(|a| *a == v) {
        return Some(k);
    }
    let best = crate::validate::closest(v, allowed.iter().copied());
    let list = allowed.join("`, `");
    let hint = match best {
        Some(a) => format!("did you mean `{a}`? (`{field}` is one of `{list}`)"),
        None => format!("`{field}` is one of `{list}`"),
    };
    let msg = format!("unknown {field} `{v}`");
    out.push(c.error(codes::UNKNOWN_VALUE, value, msg, hint));
    None
}

fn superseded_by(c: &Ctx, s: &S, status: Status, out: &mut Vec<Diagnostic>) {
    let target = s.value.trim();
    if target == c.p.id {
        let msg = format!("article `{target}` is superseded by itself");
        let hint = "name the article that replaces this one".into();
        out.push(c.error(codes::BAD_SUCCESSOR, s, msg, hint));
    } else if status != Status::Retired {
        let msg = "`superseded_by` on an article that is not retired".into();
        let hint = "add `status: retired`, or remove `superseded_by`".into();
        out.push(c.error(codes::BAD_SUCCESSOR, s, msg, hint));
    }
}

fn alias(c: &Ctx, a: &S, out: &mut Vec<Diagnostic>) {
    let v = a.value.trim();
    if !is_slug(v) {
        let msg = format!("alias `{v}` is not an article id");
        let hint = format!(
            "aliases are former file names, slugs such as `{}`",
            slugify(v)
        );
        out.push(c.error(codes::BAD_ALIAS, a, msg, hint));
    } else if v == c.p.id {
        let msg = format!("alias `{v}` is the article's own id");
        out.push(c.error(codes::BAD_ALIAS, a, msg, "remove this alias".into()));
    }
}
