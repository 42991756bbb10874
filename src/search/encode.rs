//! A compact text encoding for integer lists that sits inside JSON strings without
//! escaping: base64url digits, five payload bits each, the sixth bit meaning "more
//! digits follow" (little-endian). Small numbers, the common case after delta
//! coding, take one character. The client decodes it with a few lines of JS.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `v` to `out`.
pub fn push(out: &mut String, mut v: u32) {
    loop {
        let low = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(ALPHABET[low] as char);
            return;
        }
        out.push(ALPHABET[low | 32] as char);
    }
}

/// Encodes ascending document numbers as gaps from the previous one.
pub fn doc_list(docs: impl IntoIterator<Item = u32>) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for d in docs {
        push(&mut out, d - prev);
        prev = d;
    }
    out
}

/// Decodes what `push` wrote.
#[cfg(test)]
pub fn decode(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u32, 0u32);
    for c in s.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == c)? as u32;
        v |= (digit & 31).checked_shl(shift)?;
        if digit & 32 == 0 {
            out.push(v);
            (v, shift) = (0, 0);
        } else {
            shift += 5;
        }
    }
    (shift == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_small_and_large_values() {
        let mut s = String::new();
        let vals = [0, 1, 31, 32, 1023, 1024, 123_456, u32::MAX];
        for v in vals {
            push(&mut s, v);
        }
        assert_eq!(decode(&s).unwrap(), vals);
        assert!(
            s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn small_values_take_one_character() {
        let mut s = String::new();
        push(&mut s, 31);
        assert_eq!(s.len(), 1);
        push(&mut s, 32);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn doc_lists_are_gap_coded() {
        assert_eq!(decode(&doc_list([3, 4, 40])).unwrap(), [3, 1, 36]);
    }
}
