//! One generated article: its head (id, title, the words a reader would search
//! for) and its body, drawn from the pools with a generator forked per article so
//! article `i` is the same whatever the corpus size.

use crate::errors::{Topic, error_text};
use crate::pools::*;
use crate::rng::Rng;

/// A title word a reader may type, with another inflection of it.
pub struct Keyword {
    pub used: String,
    pub other: String,
}

pub struct Head {
    pub id: String,
    pub title: String,
    pub product: usize,
    pub verb: usize,
    pub object: usize,
    pub fail: usize,
    pub component: usize,
    pub event: usize,
    /// Verb, object and a product word: the known-item query words.
    pub keywords: Vec<Keyword>,
}

pub struct Doc {
    pub head: Head,
    pub summary: String,
    pub products: Vec<String>,
    pub tags: Vec<String>,
    pub created: String,
    pub updated: Option<String>,
    pub symptoms: Vec<String>,
    pub errors: Vec<String>,
    pub environment: Vec<String>,
    pub conditions: Vec<String>,
    pub cause: Vec<String>,
    pub intro: String,
    pub steps: Vec<String>,
    pub outro: Option<String>,
    /// (id, title) of related articles.
    pub related: Vec<(String, String)>,
    pub references: Vec<(String, String)>,
}

pub fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn kw(forms: &[&str], used: usize, other: usize) -> Keyword {
    Keyword {
        used: forms[used].to_string(),
        other: forms[other].to_string(),
    }
}

/// The head of article `i`: cheap, so related links can name other articles.
pub fn head(base: &Rng, i: usize) -> Head {
    let mut r = base.fork(2 * i as u64 + 1);
    let (product, verb, object) = (
        r.below(PRODUCTS.len()),
        r.below(VERBS.len()),
        r.below(OBJECTS.len()),
    );
    let (fail, component, event) = (
        r.below(FAILS.len()),
        r.below(COMPONENTS.len()),
        r.below(EVENTS.len()),
    );
    let (p, v, o, f) = (PRODUCTS[product], VERBS[verb], OBJECTS[object], FAILS[fail]);
    let (c, e) = (COMPONENTS[component], EVENTS[event]);
    let (title, vk, ok) = match r.below(6) {
        0 => (
            format!("{} {} to {p} {} after {e}", cap(v[3]), o[1], f[1]),
            kw(&v, 3, 0),
            kw(&o, 1, 0),
        ),
        1 => (
            format!("{} not {} in {p} for {}", cap(o[1]), v[2], r.pick(USERS)),
            kw(&v, 2, 3),
            kw(&o, 1, 0),
        ),
        2 => (
            format!("Cannot {} {} in the {p} {c}", v[0], o[0]),
            kw(&v, 0, 3),
            kw(&o, 0, 1),
        ),
        3 => (
            format!("{p} {c} {} when {} {}", f[1], v[3], o[1]),
            kw(&v, 3, 2),
            kw(&o, 1, 0),
        ),
        4 => (
            format!("{p}: {} {} twice after {e}", o[1], v[2]),
            kw(&v, 2, 0),
            kw(&o, 1, 0),
        ),
        _ => (
            format!(
                "{} {} {} for {} in {p}",
                cap(o[0]),
                v[3],
                f[1],
                r.pick(USERS)
            ),
            kw(&v, 3, 1),
            kw(&o, 0, 1),
        ),
    };
    let pword = p
        .split(' ')
        .max_by_key(|w| w.len())
        .unwrap_or(p)
        .to_string();
    let words: Vec<&str> = title.split_whitespace().take(7).collect();
    let id = format!("{}-{}", slug(&words.join(" ")), i);
    let keywords = vec![
        vk,
        ok,
        Keyword {
            used: pword.clone(),
            other: pword,
        },
    ];
    Head {
        id,
        title,
        product,
        verb,
        object,
        fail,
        component,
        event,
        keywords,
    }
}

fn menu(r: &mut Rng, product: &str) -> String {
    let mut path = vec![r.pick(MENU_ROOTS).to_string()];
    if r.chance(50) {
        path.push(product.to_string());
    }
    for _ in 0..r.range(1, 3) {
        path.push(r.pick(MENU_ITEMS).to_string());
    }
    path.join(" > ")
}

fn date(r: &mut Rng, year_lo: usize) -> (usize, usize, usize) {
    (r.range(year_lo, 2025), r.range(1, 12), r.range(1, 28))
}

/// The whole article `i` of a corpus of `n`.
pub fn doc(base: &Rng, i: usize, n: usize) -> Doc {
    let head = head(base, i);
    let mut r = base.fork(2 * i as u64 + 2);
    let p = PRODUCTS[head.product];
    let v = VERBS[head.verb];
    let o = OBJECTS[head.object];
    let f = FAILS[head.fail];
    let c = COMPONENTS[head.component];
    let e = EVENTS[head.event];
    let p2 = *r.pick(PRODUCTS);
    let users = *r.pick(USERS);
    let setting = *r.pick(SETTINGS);
    let reason = *r.pick(REASONS);
    let topic = Topic {
        product: p,
        verb: v[0],
        object: o[0],
        component: c,
    };

    let mut products = vec![p.to_string()];
    if p2 != p && r.chance(60) {
        products.push(p2.to_string());
    }
    let ntags = r.range(1, 4);
    let tags = r
        .sample(TAGS, ntags)
        .into_iter()
        .map(|t| t.to_string())
        .collect();
    let (y, m, d) = date(&mut r, 2018);
    let created = format!("{y:04}-{m:02}-{d:02}");
    let updated = r.chance(50).then(|| {
        let (y2, m2, d2) = (r.range(y, 2025), r.range(1, 12), r.range(1, 28));
        let later = (y2, m2, d2) >= (y, m, d);
        let (y2, m2, d2) = if later { (y2, m2, d2) } else { (y, m, d) };
        format!("{y2:04}-{m2:02}-{d2:02}")
    });

    let summary = format!(
        "{} {} to {p} {} for {users} after {e}. The fix is to review **{setting}** and {} {} again.",
        cap(v[3]),
        o[1],
        f[1],
        v[0],
        o[1]
    );
    let symptoms = crate::body::symptoms(&mut r, &head, p, p2, users, setting);
    // 0 to 3 error texts; most articles have one or two, as in a real knowledge base
    let n_errors = [0, 1, 1, 1, 1, 2, 2, 2, 3, 3][r.below(10)];
    let errors = (0..n_errors).map(|_| error_text(&mut r, &topic)).collect();
    let environment = crate::body::environment(&mut r, p, p2, c);
    let conditions = crate::body::conditions(&mut r, p, v, o, setting, users);
    let cause = crate::body::cause(&mut r, p, p2, v, o, c, reason, setting);
    let intro = format!(
        "Presuming the environment cannot be changed on the {p2} side, {} {} again from the {p} end with these steps:",
        v[0], o[1]
    );
    let steps = crate::body::steps(&mut r, p, v, o, setting, |r| menu(r, p));
    let outro = r.chance(70).then(|| crate::body::outro(&mut r, p, v, o, f));

    let related = (0..r.below(4))
        .map(|_| r.below(n))
        .filter(|&j| j != i)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|j| {
            let h = self::head(base, j);
            (h.id, h.title)
        })
        .collect();
    let references = (0..r.below(3))
        .map(|k| {
            (
                format!("{p} documentation: {} {}", v[3], o[1]),
                format!(
                    "https://docs.example.com/{}/{}-{}-{k}",
                    slug(p),
                    slug(v[0]),
                    slug(o[1])
                ),
            )
        })
        .collect();
    Doc {
        head,
        summary,
        products,
        tags,
        created,
        updated,
        symptoms,
        errors,
        environment,
        conditions,
        cause,
        intro,
        steps,
        outro,
        related,
        references,
    }
}
