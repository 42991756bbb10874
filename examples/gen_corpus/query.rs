//! Known-item queries: for a spread of target articles, the words a reader would
//! type to find it again — as written in the title, in another inflection, and
//! with one typo — written as JSON `[{"q", "expect_id", "kind"}]`.

use crate::article::head;
use crate::rng::Rng;

/// One typo in the longest word: a letter dropped or two letters swapped.
pub fn typo(r: &mut Rng, q: &str) -> String {
    let words: Vec<&str> = q.split(' ').collect();
    let Some((at, w)) = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.chars().count())
    else {
        return q.to_string();
    };
    let mut chars: Vec<char> = w.chars().collect();
    if chars.len() < 4 {
        return q.to_string();
    }
    let k = r.range(1, chars.len() - 2);
    if r.chance(50) {
        chars.remove(k);
    } else {
        chars.swap(k, k + 1);
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[at] = chars.into_iter().collect();
    out.join(" ")
}

fn json_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn known_items(base: &Rng, n: usize, count: usize) -> String {
    let targets = count.div_ceil(3).min(n);
    let mut r = base.fork(u64::MAX - 1);
    let mut rows = Vec::with_capacity(targets * 3);
    for t in 0..targets {
        let i = t * n / targets.max(1);
        let h = head(base, i);
        let used: Vec<&str> = h.keywords.iter().map(|k| k.used.as_str()).collect();
        let other: Vec<&str> = h.keywords.iter().map(|k| k.other.as_str()).collect();
        let exact = used.join(" ").to_lowercase();
        let inflected = other.join(" ").to_lowercase();
        let typoed = typo(&mut r, &exact);
        for (kind, q) in [("exact", exact), ("inflected", inflected), ("typo", typoed)] {
            rows.push(format!(
                "{{\"q\":{},\"expect_id\":{},\"kind\":\"{kind}\"}}",
                json_str(&q),
                json_str(&h.id)
            ));
        }
    }
    format!("[\n{}\n]\n", rows.join(",\n"))
}
