//! What a user sees while a request has no answer: when the wait shows, and its words.
//!
//! A request that has had no answer for [`SHOW_AFTER_MS`] shows which service it waits for
//! and for how long, with a Cancel; a read that meets its deadline says so at once, with the
//! try that follows; a job poll that meets it says when it checks again.

/// A wait shows after this long without an answer: shorter waits are ordinary.
pub const SHOW_AFTER_MS: i64 = 3000;

/// How many times a read is sent before its failure is shown (the first and two retries).
pub const READ_TRIES: u32 = 3;

/// "Waiting for Glance… 12 s", or `None` while the wait is too short to show.
pub fn waiting_text(service: &str, waited_ms: i64) -> Option<String> {
    (waited_ms >= SHOW_AFTER_MS).then(|| format!("Waiting for {service}… {} s", waited_ms / 1000))
}

/// The read's deadline passed and it is sent again: "No answer from Glance in 30 s — trying
/// again (2 of 3)". `next_try` counts from 1.
pub fn retrying_text(service: &str, deadline_s: u32, next_try: u32) -> String {
    format!(
        "No answer from {service} in {deadline_s} s — trying again ({next_try} of {READ_TRIES})"
    )
}

/// A job poll met its deadline: "IMS does not answer: checked again in 4 s".
pub fn poll_hang_text(service: &str, next_in_ms: u32) -> String {
    format!(
        "{service} does not answer: checked again in {} s",
        next_in_ms.div_ceil(1000).max(1)
    )
}

/// What Cancel says beside a wait: a write may still be carried out.
pub fn cancel_hint(write: bool) -> &'static str {
    if write {
        "Cancel stops waiting; the change may still be carried out."
    } else {
        "Cancel stops waiting; nothing more is sent."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_shows_after_three_seconds_with_the_service_and_the_count() {
        assert_eq!(waiting_text("Glance", 2999), None);
        assert_eq!(
            waiting_text("Glance", 3000).as_deref(),
            Some("Waiting for Glance… 3 s")
        );
        assert_eq!(
            waiting_text("IAM", 12_400).as_deref(),
            Some("Waiting for IAM… 12 s")
        );
    }

    #[test]
    fn the_deadline_speaks_with_the_next_try() {
        assert_eq!(
            retrying_text("Glance", 30, 2),
            "No answer from Glance in 30 s — trying again (2 of 3)"
        );
        assert_eq!(
            poll_hang_text("IMS", 3500),
            "IMS does not answer: checked again in 4 s"
        );
        assert_eq!(
            poll_hang_text("IMS", 0),
            "IMS does not answer: checked again in 1 s"
        );
        assert!(cancel_hint(true).contains("may still be carried out"));
    }
}
