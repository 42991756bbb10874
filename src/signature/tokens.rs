//! The tokeniser: one left-to-right scan over normalised text with bounded
//! look-ahead (no regular expressions, so no backtracking), turning variable values
//! into mask tokens and keeping error codes whole. `match.js` ports it line by line.
//!
//! At a word start that can only be a word (a letter, not followed by `-` or `:`,
//! not a month or weekday name, on a line without `://` or `@`) it takes the word
//! at once; at any other it tries, in order: a URL (`scheme://…` up to a space, quote, `<>`,
//! or the query `?`/fragment `#`, whose words stay tokens) → `<url>`; a UUID → `<uuid>`; an IPv4 (optional `:port`) or IPv6 address →
//! `<ip>`; a date or time → `<date>` (ISO `2022-11-01t15:52:08.123z`, `11/01/2022`,
//! `01 nov 2022`, `nov 1, 2022`, `tue, 01 nov 2022 15:52:08 gmt`, ctime, `15:52:08`,
//! with am/pm and zones; adjacent dates merge); an e-mail address → `<email>`; a
//! short code with a dash (`ora-00942`: 2–5 letters, 3–8 digits) kept whole; a number
//! (`1,234.5`) → `<num>`. Otherwise it takes the run of word characters (letters,
//! digits, `_`): `0x…` codes and codes such as `aadsts50105`, `e0000001`,
//! `request_badrequest` stay whole; long ids become `<hex>` (all hex digits with a
//! digit and a letter and either 16+ long or 8+ long starting with a digit; 20+
//! letters and digits mixed; or longer than 40). Everything else separates tokens.
//! In a signature, `<placeholder>` (1–40 characters, no `<>`, with a letter) becomes
//! the wildcard `*`.

use std::sync::LazyLock;

/// The wildcard token a `<placeholder>` turns into.
pub const WILDCARD: &str = "*";
/// Every mask token the tokeniser produces.
pub const MASKS: [&str; 7] = [
    "<email>", "<url>", "<ip>", "<uuid>", "<hex>", "<date>", "<num>",
];

/// Whether `ch` belongs to a word: ASCII letters and digits, `_`, or any Unicode
/// alphabetic or numeric character.
pub fn is_word(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '_' || (!ch.is_ascii() && ch.is_alphanumeric())
}

/// Tokens of one normalised line; `signature` turns placeholders into wildcards.
pub fn tokenize(text: &str, signature: bool, emit: impl FnMut(&str)) {
    tokenize_with(text, signature, &mut Vec::new(), emit);
}

/// [`tokenize`] reusing `buf` for the characters of a non-ASCII line (an ASCII
/// line is scanned as bytes, with no copy).
pub fn tokenize_with(text: &str, signature: bool, buf: &mut Vec<char>, mut emit: impl FnMut(&str)) {
    if text.is_ascii() {
        scan_line(text.as_bytes(), signature, |t| match t {
            Scanned::Mask(mask) => emit(mask),
            Scanned::Word(from, to) => emit(classify(&text[from..to])),
            Scanned::Plain(from, to) => emit(&text[from..to]),
        });
        return;
    }
    buf.clear();
    buf.extend(text.chars());
    let mut word = String::new();
    scan_line(buf, signature, |t| match t {
        Scanned::Mask(mask) => emit(mask),
        Scanned::Word(from, to) | Scanned::Plain(from, to) => {
            word.clear();
            word.extend(&buf[from..to]);
            emit(classify(&word));
        }
    });
}

/// A character of the text scanned: a `char`, or a byte of an ASCII line.
trait Unit: Copy {
    fn ch(self) -> char;

    /// What the line `c` holds that some scanners need.
    fn hints(c: &[Self]) -> Hints {
        let ch = |k: usize| c[k].ch();
        Hints {
            at_sign: (0..c.len()).any(|k| ch(k) == '@'),
            scheme: (2..c.len()).any(|k| ch(k) == '/' && ch(k - 1) == '/' && ch(k - 2) == ':'),
        }
    }
}

impl Unit for char {
    fn ch(self) -> char {
        self
    }
}

impl Unit for u8 {
    fn ch(self) -> char {
        char::from(self)
    }

    fn hints(c: &[u8]) -> Hints {
        // built once: building a searcher costs more than most lines take to search
        static SCHEME: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new(b"://"));
        Hints {
            at_sign: memchr::memchr(b'@', c).is_some(),
            scheme: SCHEME.find(c).is_some(),
        }
    }
}

/// A token found by [`scan_line`].
enum Scanned {
    /// A mask or the wildcard.
    Mask(&'static str),
    /// The range of a word still to classify.
    Word(usize, usize),
    /// The range of a word that [`classify`] keeps as it is (letters first, no
    /// ASCII digit, at most 40 characters).
    Plain(usize, usize),
}

/// Scans one line into tokens.
fn scan_line<T: Unit>(c: &[T], signature: bool, mut emit: impl FnMut(Scanned)) {
    let hints = T::hints(c);
    let mut last_date = false;
    let mut i = 0;
    while i < c.len() {
        if let Some(end) = signature.then(|| placeholder(c, i)).flatten() {
            emit(Scanned::Mask(WILDCARD));
            last_date = false;
            i = end;
            continue;
        }
        if !is_word(c[i].ch()) {
            i += 1;
            continue;
        }
        if let Some((end, plain)) = plain_word(c, i, hints) {
            last_date = false;
            emit(if plain {
                Scanned::Plain(i, end)
            } else {
                Scanned::Word(i, end)
            });
            i = end;
            continue;
        }
        let (end, mask) = scan_at(c, i, hints);
        if mask == Some("<date>") && last_date {
            i = end;
            continue;
        }
        last_date = mask == Some("<date>");
        emit(mask.map_or(Scanned::Word(i, end), Scanned::Mask));
        i = end;
    }
}

/// What a whole line holds that some scanners need: a line without `@` has no
/// e-mail address, one without `://` no URL, so those scans are skipped.
#[derive(Clone, Copy)]
struct Hints {
    at_sign: bool,
    scheme: bool,
}

/// The end of the token starting at word start `i`, and its mask if it is one:
/// the first scanner that recognises something there wins.
fn scan_at<T: Unit>(c: &[T], i: usize, hints: Hints) -> (usize, Option<&'static str>) {
    let found = hints
        .scheme
        .then(|| url(c, i))
        .flatten()
        .map(|e| (e, Some("<url>")))
        .or_else(|| uuid(c, i).map(|e| (e, Some("<uuid>"))))
        .or_else(|| ipv4(c, i).map(|e| (e, Some("<ip>"))))
        .or_else(|| date(c, i).map(|e| (e, Some("<date>"))))
        .or_else(|| ipv6(c, i).map(|e| (e, Some("<ip>"))))
        .or_else(|| {
            hints
                .at_sign
                .then(|| email(c, i))
                .flatten()
                .map(|e| (e, Some("<email>")))
        })
        .or_else(|| dash_code(c, i).map(|e| (e, None)))
        .or_else(|| number(c, i).map(|e| (e, Some("<num>"))));
    if let Some(hit) = found {
        return hit;
    }
    let mut end = i;
    while end < c.len() && is_word(c[end].ch()) {
        end += 1;
    }
    (end, None)
}

/// The end of the word at `i` when no scanner but the word's own can match there
/// (most words, so the scanners are not tried one by one): it starts with a
/// letter, so it is no number, IPv4 address or numeric date; it is not followed by
/// `-` or `:`, so it is no UUID, IPv6 address or dash code; it is no month or
/// weekday name, so no date starts there; and the line has no `://` or `@` for a
/// URL or an e-mail address. With it, whether [`classify`] keeps the word as it is
/// (no ASCII digit, at most 40 characters).
fn plain_word<T: Unit>(c: &[T], i: usize, hints: Hints) -> Option<(usize, bool)> {
    if hints.scheme || hints.at_sign || !c[i].ch().is_ascii_lowercase() {
        return None;
    }
    let (mut end, mut digit) = (i + 1, false);
    while end < c.len() && is_word(c[end].ch()) {
        digit |= c[end].ch().is_ascii_digit();
        end += 1;
    }
    let named =
        (3..=9).contains(&(end - i)) && name_in(c, i, |w| is_month(w) || is_weekday(w)).is_some();
    let plain = !digit && end - i <= 40;
    (!matches!(at(c, end), '-' | ':') && !named).then_some((end, plain))
}

/// A plain word, or `<hex>`/`<num>` when it is a long id or digits only.
pub fn classify(w: &str) -> &str {
    // one pass over the bytes: a byte of a multi-byte character is neither a digit
    // nor `_`, and only the first byte of each character counts towards `len`
    let (mut len, mut digit, mut letter, mut under, mut hex) = (0, false, false, false, true);
    for &b in w.as_bytes() {
        len += usize::from(b & 0xc0 != 0x80);
        digit |= b.is_ascii_digit();
        under |= b == b'_';
        letter |= !b.is_ascii_digit() && b != b'_';
        hex &= b.is_ascii_hexdigit();
    }
    if !letter && !under {
        return "<num>";
    }
    if w.len() > 2 && w.starts_with("0x") && w[2..].bytes().all(|b| b.is_ascii_hexdigit()) {
        return w;
    }
    let starts_digit = w.as_bytes()[0].is_ascii_digit();
    if len > 40
        || (hex && digit && letter && (len >= 16 || (len >= 8 && starts_digit)))
        || (digit && letter && len >= 20 && !under)
    {
        return "<hex>";
    }
    w
}

fn at<T: Unit>(c: &[T], i: usize) -> char {
    c.get(i).map_or(' ', |u| u.ch())
}

fn boundary<T: Unit>(c: &[T], i: usize) -> bool {
    !is_word(at(c, i))
}

/// Number of ASCII digits from `i`, at most `max`.
fn digits<T: Unit>(c: &[T], i: usize, max: usize) -> usize {
    (0..max)
        .take_while(|&k| at(c, i + k).is_ascii_digit())
        .count()
}

fn hexes<T: Unit>(c: &[T], i: usize, max: usize) -> usize {
    (0..max)
        .take_while(|&k| at(c, i + k).is_ascii_hexdigit())
        .count()
}

fn letters<T: Unit>(c: &[T], i: usize, max: usize) -> usize {
    (0..max)
        .take_while(|&k| at(c, i + k).is_ascii_lowercase())
        .count()
}

fn spaces<T: Unit>(c: &[T], i: usize) -> usize {
    (0..3).take_while(|&k| at(c, i + k) == ' ').count()
}

fn placeholder<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    if c[i].ch() != '<' {
        return None;
    }
    let mut letter = false;
    for (k, ch) in c.iter().enumerate().take(i + 42).skip(i + 1) {
        match ch.ch() {
            '>' if k > i + 1 && letter => return Some(k + 1),
            '<' | '>' => return None,
            ch => letter |= ch.is_alphabetic(),
        }
    }
    None
}

fn url<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let mut k = i + letters(c, i, 16);
    while k - i < 16 && matches!(at(c, k), 'a'..='z' | '0'..='9' | '+' | '.' | '-') {
        k += 1;
    }
    if k == i || at(c, k) != ':' || at(c, k + 1) != '/' || at(c, k + 2) != '/' {
        return None;
    }
    k += 3;
    let stop =
        |ch: char| ch.is_whitespace() || matches!(ch, '"' | '\'' | '<' | '>' | '`' | '?' | '#');
    while k < c.len() && !stop(c[k].ch()) {
        k += 1;
    }
    while k > i
        && matches!(
            c[k - 1].ch(),
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}'
        )
    {
        k -= 1;
    }
    Some(k)
}

fn uuid<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let mut k = i;
    for (n, group) in [8, 4, 4, 4, 12].into_iter().enumerate() {
        if n > 0 {
            if at(c, k) != '-' {
                return None;
            }
            k += 1;
        }
        if hexes(c, k, group + 1) != group {
            return None;
        }
        k += group;
    }
    boundary(c, k).then_some(k)
}

fn ipv4<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let mut k = i;
    for n in 0..4 {
        if n > 0 {
            if at(c, k) != '.' {
                return None;
            }
            k += 1;
        }
        let d = digits(c, k, 4);
        if d == 0 || d > 3 {
            return None;
        }
        k += d;
    }
    if !boundary(c, k) || (at(c, k) == '.' && at(c, k + 1).is_ascii_digit()) {
        return None;
    }
    if at(c, k) == ':' {
        let d = digits(c, k + 1, 6);
        if (1..=5).contains(&d) && boundary(c, k + 1 + d) {
            k += 1 + d;
        }
    }
    Some(k)
}

fn ipv6<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let (mut k, mut colons, mut double) = (i, 0, false);
    while k - i < 45 {
        let h = hexes(c, k, 5);
        if h > 4 {
            return None;
        }
        k += h;
        if at(c, k) != ':' {
            break;
        }
        colons += 1;
        k += 1;
        if at(c, k) == ':' {
            double = true;
            colons += 1;
            k += 1;
        }
    }
    (colons >= 2 && (double || colons == 7) && boundary(c, k)).then_some(k)
}

fn email<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let local = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '%' | '-');
    let mut k = i;
    while k - i < 64 && (local(at(c, k)) || (!at(c, k).is_ascii() && is_word(at(c, k)))) {
        k += 1;
    }
    if at(c, k) != '@' {
        return None;
    }
    k += 1;
    let (mut dots, mut label) = (0, 0);
    loop {
        let ch = at(c, k);
        if is_word(ch) || ch == '-' {
            label += 1;
        } else if ch == '.' && label > 0 && is_word(at(c, k + 1)) {
            dots += 1;
            label = 0;
        } else {
            break;
        }
        k += 1;
    }
    (dots > 0 && label >= 2).then_some(k)
}

fn dash_code<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let l = letters(c, i, 6);
    if !(2..=5).contains(&l) || at(c, i + l) != '-' {
        return None;
    }
    let d = digits(c, i + l + 1, 9);
    let end = i + l + 1 + d;
    ((3..=8).contains(&d) && boundary(c, end)).then_some(end)
}

fn number<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let mut k = i + digits(c, i, usize::MAX);
    if k == i {
        return None;
    }
    while matches!(at(c, k), '.' | ',') && at(c, k + 1).is_ascii_digit() {
        k += 1 + digits(c, k + 1, usize::MAX);
    }
    boundary(c, k).then_some(k)
}

fn is_month(w: &[u8]) -> bool {
    matches!(
        w,
        b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"may"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"oct"
            | b"nov"
            | b"dec"
            | b"january"
            | b"february"
            | b"march"
            | b"april"
            | b"june"
            | b"july"
            | b"august"
            | b"sept"
            | b"september"
            | b"october"
            | b"november"
            | b"december"
    )
}

fn is_weekday(w: &[u8]) -> bool {
    matches!(
        w,
        b"mon"
            | b"tue"
            | b"wed"
            | b"thu"
            | b"fri"
            | b"sat"
            | b"sun"
            | b"monday"
            | b"tuesday"
            | b"tues"
            | b"wednesday"
            | b"thursday"
            | b"friday"
            | b"saturday"
            | b"sunday"
    )
}

/// A month or weekday name (`is_name`) of lower-case ASCII letters at `i`.
fn name_in<T: Unit>(c: &[T], i: usize, is_name: fn(&[u8]) -> bool) -> Option<usize> {
    // every month and weekday name starts with one of these
    if !matches!(
        at(c, i),
        'a' | 'd' | 'f' | 'j' | 'm' | 'n' | 'o' | 's' | 't' | 'w'
    ) {
        return None;
    }
    let l = letters(c, i, 10);
    if !(3..=9).contains(&l) || is_word(at(c, i + l)) {
        return None;
    }
    let mut word = [0u8; 9];
    for (k, b) in word.iter_mut().enumerate().take(l) {
        // `letters` counted lower-case ASCII letters only
        *b = at(c, i + k) as u8;
    }
    is_name(&word[..l]).then_some(i + l)
}

/// A date, a time, or both, starting at `i` (see the module docs).
fn date<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    if let Some(end) = numeric_date(c, i).or_else(|| text_date(c, i)) {
        return Some(time_after(c, end));
    }
    if let Some(k) = name_in(c, i, is_weekday) {
        let k = k + usize::from(at(c, k) == ',');
        let s = spaces(c, k);
        let found = (s > 0)
            .then(|| text_date(c, k + s).or_else(|| month_day(c, k + s)))
            .flatten();
        // the ctime form puts the year after the time
        let end = time_after(c, found?);
        let s = spaces(c, end);
        let year = s > 0 && digits(c, end + s, 5) == 4 && boundary(c, end + s + 4);
        return Some(if year { end + s + 4 } else { end });
    }
    time(c, i)
}

fn numeric_date<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let a = digits(c, i, 5);
    let sep = at(c, i + a);
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let b = digits(c, i + a + 1, 3);
    if b == 0 || b > 2 || at(c, i + a + 1 + b) != sep {
        return None;
    }
    let k = i + a + 2 + b;
    let d = digits(c, k, 5);
    let ok = (a == 4 && (1..=2).contains(&d)) || ((1..=2).contains(&a) && (d == 2 || d == 4));
    let ok = ok && (sep != '.' || a == 4 || d == 4);
    let end = k + d;
    let tail_ok = !(at(c, end) == sep && at(c, end + 1).is_ascii_digit());
    let t = at(c, end) == 't' && at(c, end + 1).is_ascii_digit();
    (ok && tail_ok && (boundary(c, end) || t)).then_some(end)
}

/// `01 nov 2022`, `01-nov-2022` or `nov 1, 2022`.
fn text_date<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let d = digits(c, i, 3);
    if (1..=2).contains(&d) {
        let sep = at(c, i + d);
        if sep != ' ' && sep != '-' {
            return None;
        }
        let m = name_in(c, i + d + 1, is_month)?;
        if at(c, m) != sep || digits(c, m + 1, 5) != 4 {
            return None;
        }
        return boundary(c, m + 5).then_some(m + 5);
    }
    let k = month_day(c, i)?;
    let k2 = k + usize::from(at(c, k) == ',');
    let s = spaces(c, k2);
    (s > 0 && digits(c, k2 + s, 5) == 4 && boundary(c, k2 + s + 4)).then_some(k2 + s + 4)
}

/// `nov 1` (the ctime form, also the start of `nov 1, 2022`).
fn month_day<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let m = name_in(c, i, is_month)?;
    let s = spaces(c, m);
    let d = digits(c, m + s, 3);
    (s > 0 && (1..=2).contains(&d) && boundary(c, m + s + d)).then_some(m + s + d)
}

/// A time after a date (`t`, one or more spaces, or `, `), or `end` unchanged.
fn time_after<T: Unit>(c: &[T], end: usize) -> usize {
    let gap = match at(c, end) {
        't' => 1,
        ',' => 1 + spaces(c, end + 1),
        _ => spaces(c, end),
    };
    if gap == 0 {
        return end;
    }
    time(c, end + gap).unwrap_or(end)
}

/// `15:52`, `15:52:08.123`, with `am`/`pm` and a zone (`z`, `+01:00`, ` gmt`, ` utc+1`).
fn time<T: Unit>(c: &[T], i: usize) -> Option<usize> {
    let h = digits(c, i, 3);
    if !(1..=2).contains(&h) || at(c, i + h) != ':' || digits(c, i + h + 1, 3) != 2 {
        return None;
    }
    let mut k = i + h + 3;
    if at(c, k) == ':' && digits(c, k + 1, 3) == 2 {
        k += 3;
        if matches!(at(c, k), '.' | ',') {
            let f = digits(c, k + 1, 10);
            if (1..=9).contains(&f) {
                k += 1 + f;
            }
        }
    }
    let s = spaces(c, k);
    if matches!(at(c, k + s), 'a' | 'p') && at(c, k + s + 1) == 'm' && boundary(c, k + s + 2) {
        k += s + 2;
    }
    k = zone(c, k);
    boundary(c, k).then_some(k)
}

fn zone<T: Unit>(c: &[T], k: usize) -> usize {
    let offset = |k: usize| -> usize {
        if !matches!(at(c, k), '+' | '-') || digits(c, k + 1, 3) != 2 {
            return k;
        }
        let colon = usize::from(at(c, k + 3) == ':');
        if digits(c, k + 3 + colon, 3) == 2 {
            k + 5 + colon
        } else {
            k + 3
        }
    };
    if at(c, k) == 'z' && boundary(c, k + 1) {
        return k + 1;
    }
    let s = spaces(c, k);
    if s > 0 {
        for name in ["gmt", "utc", "z"] {
            let l = name.len();
            let hit = (0..l).all(|n| at(c, k + s + n) == name.as_bytes()[n] as char);
            if hit && !at(c, k + s + l).is_ascii_alphanumeric() {
                return offset(k + s + l);
            }
        }
    }
    offset(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str, sig: bool) -> Vec<String> {
        let mut v = Vec::new();
        tokenize(s, sig, |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn masks_variable_values() {
        let t = toks(
            "jane.doe@contoso.com 10.0.0.1:443 https://graph.microsoft.com/v1.0/users/x, 8a1f2c3d-0000-4b5e-9f00-123456789abc",
            false,
        );
        assert_eq!(t, ["<email>", "<ip>", "<url>", "<uuid>"]);
        let t = toks(
            "timestamp='tue, 01 nov 2022 15:52:08 gmt' 2022-11-01t15:52:08.123z 11/01/2022 3:52 pm",
            false,
        );
        assert_eq!(t, ["timestamp", "<date>"]);
        assert_eq!(
            toks("at 12:30 took 1,234.5 ms", false),
            ["at", "<date>", "took", "<num>", "ms"]
        );
        assert_eq!(
            toks("fe80::1 2001:db8:0:0:0:0:2:1", false),
            ["<ip>", "<ip>"]
        );
        assert_eq!(
            toks("nov 1, 2022 then tue nov  1 15:52:08 2022", false),
            ["<date>", "then", "<date>"]
        );
    }

    #[test]
    fn keeps_error_codes_whole() {
        let t = toks(
            "aadsts50105 e0000001 0x80072030 request_badrequest ora-00942",
            false,
        );
        assert_eq!(
            t,
            [
                "aadsts50105",
                "e0000001",
                "0x80072030",
                "request_badrequest",
                "ora-00942"
            ]
        );
        let t = toks("id 1a2b3c4d deadbeefcafe1234 office-365 v1.0", false);
        assert_eq!(
            t,
            ["id", "<hex>", "<hex>", "office", "<num>", "v1", "<num>"]
        );
    }

    #[test]
    fn placeholders_become_wildcards_in_signatures_only() {
        let s = "user <firstname> <lastname> url=https://x.com/users/<immutable id>";
        assert_eq!(toks(s, true), ["user", "*", "*", "url", "<url>", "*"]);
        assert_eq!(toks("user <firstname>", false), ["user", "firstname"]);
    }
}
