//! Progress bar for long builds (indicatif). It stays invisible for quick builds,
//! with `--quiet`, and when stderr is not a terminal (CI logs, pipes); otherwise
//! it appears once a build has run for about a second, names the stage running,
//! counts its items when it has some, and is cleared at the end.
//!
//! Cheap to call from many threads: every method is a no-op when hidden, and the
//! bar is shared by reference (`&Progress` is `Sync`).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a build runs before the bar shows.
pub const DEFAULT_DELAY: Duration = Duration::from_secs(1);

/// Overrides [`DEFAULT_DELAY`] (milliseconds), so tests can see the bar at once.
pub const DELAY_ENV: &str = "KBGEN_PROGRESS_DELAY_MS";

const BAR: &str = "{spinner} {msg:>10} [{bar:30}] {pos}/{len} ({elapsed})";
/// For stages without a count (checking, the final swap).
const SPINNER: &str = "{spinner} {msg:>10} ({elapsed})";
/// How often the reveal timer looks whether the build is over.
const POLL: Duration = Duration::from_millis(20);

/// A progress bar that is a no-op when hidden and shows only after a delay.
pub struct Progress {
    bar: Option<ProgressBar>,
    reveal: Arc<Reveal>,
}

/// What the bar and its reveal timer share.
struct Reveal {
    started: Instant,
    delay: Duration,
    shown: AtomicBool,
    finished: AtomicBool,
    /// Where the bar draws once shown; taken on the first reveal.
    target: Mutex<Option<ProgressDrawTarget>>,
}

impl Progress {
    /// The bar for a command: drawn on stderr unless `quiet` or stderr is not a
    /// terminal, after [`DEFAULT_DELAY`] or the delay in `KBGEN_PROGRESS_DELAY_MS`.
    pub fn for_stderr(total: u64, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let delay = std::env::var(DELAY_ENV)
            .ok()
            .and_then(|ms| ms.trim().parse().ok())
            .map_or(DEFAULT_DELAY, Duration::from_millis);
        let p = Progress::with_target(total, ProgressDrawTarget::stderr(), delay);
        p.start_timer();
        p
    }

    /// A bar that never draws.
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            reveal: Arc::new(Reveal::new(Duration::MAX, None)),
        }
    }

    /// A bar that draws on `target` once `delay` has passed since it was made and
    /// the next stage or item is counted (see [`Progress::start_timer`]).
    pub fn with_target(total: u64, target: ProgressDrawTarget, delay: Duration) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        // Until the first stage names itself, a spinner.
        set_style(&bar, SPINNER);
        Progress {
            bar: Some(bar),
            reveal: Arc::new(Reveal::new(delay, Some(target))),
        }
    }

    /// Reveals the bar when the delay passes even if nothing is counted meanwhile
    /// (a long check reports no items), from a timer thread that ends with the bar.
    pub fn start_timer(&self) {
        let Some(bar) = self.bar.clone() else {
            return;
        };
        let reveal = Arc::clone(&self.reveal);
        std::thread::spawn(move || {
            while !reveal.finished.load(Ordering::Relaxed) {
                if reveal.due() {
                    reveal.show(&bar);
                    return;
                }
                std::thread::sleep(POLL.min(reveal.delay));
            }
        });
    }

    /// Whether the bar has started drawing.
    pub fn is_shown(&self) -> bool {
        self.reveal.shown.load(Ordering::Relaxed)
    }

    /// Names the stage now running (`check`, `render`, `search`, `write`); with a
    /// total, counts its items from 0, without one shows only the stage and a spinner.
    pub fn stage(&self, name: &'static str, total: Option<u64>) {
        if let Some(bar) = &self.bar {
            // Count first, then style and name: each setter may draw.
            bar.set_position(0);
            bar.set_length(total.unwrap_or(0));
            set_style(bar, if total.is_some() { BAR } else { SPINNER });
            bar.set_message(name);
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
        // Under the reveal lock, so the timer cannot draw the bar after this.
        let slot = self.reveal.target.lock();
        self.reveal.finished.store(true, Ordering::Relaxed);
        drop(slot);
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
        if !self.is_shown() && self.reveal.due() {
            self.reveal.show(bar);
        }
    }
}

impl Reveal {
    fn new(delay: Duration, target: Option<ProgressDrawTarget>) -> Reveal {
        Reveal {
            started: Instant::now(),
            delay,
            shown: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            target: Mutex::new(target),
        }
    }

    fn due(&self) -> bool {
        !self.finished.load(Ordering::Relaxed) && self.started.elapsed() >= self.delay
    }

    fn show(&self, bar: &ProgressBar) {
        let Ok(mut slot) = self.target.lock() else {
            return;
        };
        // Checked under the lock: `finish` may have run since `due`.
        if self.finished.load(Ordering::Relaxed) {
            return;
        }
        if let Some(target) = slot.take() {
            bar.set_draw_target(target);
            self.shown.store(true, Ordering::Relaxed);
            // draw now: once the steady tick runs, `tick` no longer draws by itself
            bar.tick();
            bar.enable_steady_tick(Duration::from_millis(100));
        }
    }
}

fn set_style(bar: &ProgressBar, template: &str) {
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
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
    fn the_timer_reveals_a_bar_that_counts_nothing() {
        let (p, screen) = on_screen(Duration::ZERO);
        p.stage("check", None);
        p.start_timer();
        // Polls rather than times: the timer thread shows the bar as soon as it runs.
        for _ in 0..500 {
            if p.is_shown() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(p.is_shown());
        assert!(screen.text().contains("check"), "{:?}", screen.text());
    }

    #[test]
    fn a_finished_bar_is_never_revealed() {
        let (p, screen) = on_screen(Duration::ZERO);
        p.finish();
        p.start_timer();
        p.stage("render", Some(3));
        p.inc(1);
        assert!(!p.is_shown());
        assert_eq!(screen.text(), "");
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
