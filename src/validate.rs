//! Turns raw articles into the checked `model`, collecting every problem as a `Diagnostic`.
