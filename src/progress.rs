//! Progress bar for long builds (indicatif). It stays invisible for quick builds,
//! with `--quiet`, and when stderr is not a terminal (CI logs, pipes); otherwise
//! it appears once a build has run for about a second and is cleared at the end.
//!
//! Cheap to call from many threads: every method is a no-op when hidden, and the
//! bar is shared by reference (`&Progress` is `Sync`).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a build runs before the bar shows.
pub const DEFAULT_DELAY: Duration = Duration::from_secs(1);

const TEMPLATE: &str = "{spinner} {msg:>10} [{bar:30}] {pos}/{len} ({elapsed})";

/// A progress bar that is a no-op when hidden and shows only after a delay.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    delay: Duration,
    shown: AtomicBool,
    /// Where the bar draws once shown; taken on the first reveal.
    target: Mutex<Option<ProgressDrawTarget>>,
}

impl Progress {
    /// The bar for a command: drawn on stderr unless `quiet` or stderr is not a terminal.
    pub fn for_stderr(total: u64, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        Progress::with_target(total, ProgressDrawTarget::stderr(), DEFAULT_DELAY)
    }

    /// A bar that never draws.
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            started: Instant::now(),
            delay: Duration::MAX,
            shown: AtomicBool::new(false),
            target: Mutex::new(None),
        }
    }

    /// A bar that draws on `target` once `delay` has passed since it was made.
    pub fn with_target(total: u64, target: ProgressDrawTarget, delay: Duration) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress {
            bar: Some(bar),
            started: Instant::now(),
            delay,
            shown: AtomicBool::new(false),
            target: Mutex::new(Some(target)),
        }
    }

    /// Whether the bar has started drawing.
    pub fn is_shown(&self) -> bool {
        self.shown.load(Ordering::Relaxed)
    }

    /// Names the stage now running (`check`, `render`, `search`, `write`) and
    /// optionally resets the count for it.
    pub fn stage(&self, name: &'static str, total: Option<u64>) {
        if let Some(bar) = &self.bar {
            bar.set_message(name);
            if let Some(total) = total {
                bar.set_length(total);
                bar.set_position(0);
            }
            self.reveal_if_due(bar);
        }
    }

    /// Counts `n` more items done in the current stage.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
            self.reveal_if_due(bar);
        }
    }

    /// Items done in the current stage (0 when hidden).
    pub fn position(&self) -> u64 {
        self.bar.as_ref().map_or(0, ProgressBar::position)
    }

    /// Removes the bar from the terminal, so the summary line prints cleanly.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Runs `f` (which prints) with the bar taken off the screen meanwhile.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn reveal_if_due(&self, bar: &ProgressBar) {
        if self.is_shown() || self.started.elapsed() < self.delay {
            return;
        }
        let Ok(mut slot) = self.target.lock() else {
            return;
        };
        if let Some(target) = slot.take() {
            bar.set_draw_target(target);
            self.shown.store(true, Ordering::Relaxed);
            // draw now: once the steady tick runs, `tick` no longer draws by itself
            bar.tick();
            bar.enable_steady_tick(Duration::from_millis(100));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::TermLike;
    use std::io;
    use std::sync::Arc;

    /// A terminal that records what the bar writes.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl Screen {
        fn text(&self) -> String {
            self.0.lock().map(|s| s.clone()).unwrap_or_default()
        }
        fn push(&self, s: &str) -> io::Result<()> {
            if let Ok(mut t) = self.0.lock() {
                t.push_str(s);
            }
            Ok(())
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.push(s)?;
            self.push("\n")
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.push(s)
        }
        fn clear_line(&self) -> io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn on_screen(delay: Duration) -> (Progress, Screen) {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        (Progress::with_target(10, target, delay), screen)
    }

    #[test]
    fn hidden_bar_draws_nothing_and_counts_nothing() {
        let p = Progress::hidden();
        p.stage("render", Some(5));
        p.inc(3);
        assert!(!p.is_shown());
        assert_eq!(p.position(), 0);
    }

    #[test]
    fn quiet_gives_a_hidden_bar_even_on_a_terminal() {
        let p = Progress::for_stderr(10, true);
        p.inc(1);
        assert!(!p.is_shown());
        assert_eq!(p.position(), 0);
    }

    #[test]
    fn quick_build_stays_invisible_until_the_delay_passes() {
        // An hour of delay: no test run gets there, so the bar must not draw.
        let (p, screen) = on_screen(Duration::from_secs(3600));
        p.stage("render", Some(10));
        p.inc(4);
        assert!(!p.is_shown());
        assert_eq!(p.position(), 4, "progress is still counted while invisible");
        p.finish();
        assert_eq!(screen.text(), "");
    }

    #[test]
    fn long_build_shows_stage_and_count() {
        let (p, screen) = on_screen(Duration::ZERO);
        p.stage("render", Some(10));
        p.inc(3);
        assert!(p.is_shown());
        let text = screen.text();
        assert!(text.contains("render"), "stage name on screen: {text:?}");
        assert!(text.contains("/10"), "total on screen: {text:?}");
    }

    #[test]
    fn a_new_stage_resets_the_count() {
        let (p, _screen) = on_screen(Duration::ZERO);
        p.stage("render", Some(10));
        p.inc(10);
        p.stage("write", Some(40));
        assert_eq!(p.position(), 0);
        p.inc(2);
        assert_eq!(p.position(), 2);
    }

    #[test]
    fn counting_from_many_threads_adds_up() {
        let (p, _screen) = on_screen(Duration::from_secs(3600));
        p.stage("render", Some(1000));
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| (0..250).for_each(|_| p.inc(1)));
            }
        });
        assert_eq!(p.position(), 1000);
    }
}
