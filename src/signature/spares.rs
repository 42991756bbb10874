//! Buffers handed back for reuse while one input is matched: a chunk's tokens once
//! they are in a window, a window once it is matched. A long input then fills the
//! same few buffers again instead of allocating (and faulting in) fresh ones for
//! every chunk and window.

use std::sync::Mutex;

/// Most spares kept: as many as can be in flight at once, a few more at most.
const MAX_SPARES: usize = 16;

/// A pool of emptied buffers, shared by the threads matching one input.
pub(super) struct Spares<T> {
    free: Mutex<Vec<T>>,
}

impl<T> Default for Spares<T> {
    fn default() -> Self {
        Spares {
            free: Mutex::new(Vec::new()),
        }
    }
}

impl<T: Default> Spares<T> {
    /// A spare buffer (as it was given back: the taker clears what it reuses), or a
    /// new one.
    pub fn take(&self) -> T {
        let spare = self.free.lock().ok().and_then(|mut free| free.pop());
        spare.unwrap_or_default()
    }

    /// Keeps `item` for a later [`Spares::take`], unless enough are kept already.
    pub fn give(&self, item: T) {
        if let Ok(mut free) = self.free.lock()
            && free.len() < MAX_SPARES
        {
            free.push(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_buffer_is_taken_again_with_its_room() {
        let spares: Spares<Vec<u8>> = Spares::default();
        assert_eq!(spares.take().capacity(), 0);
        spares.give(Vec::with_capacity(4096));
        assert!(spares.take().capacity() >= 4096);
        assert_eq!(spares.take().capacity(), 0, "each spare is taken once");
    }

    #[test]
    fn no_more_than_the_most_are_kept() {
        let spares: Spares<Vec<u8>> = Spares::default();
        for _ in 0..MAX_SPARES + 5 {
            spares.give(Vec::with_capacity(8));
        }
        let kept = (0..MAX_SPARES + 5)
            .filter(|_| spares.take().capacity() > 0)
            .count();
        assert_eq!(kept, MAX_SPARES);
    }
}
