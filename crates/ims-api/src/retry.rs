//! When a failed call of a client job is sent again, and whether its slot waits for it.
//!
//! Two kinds of failure look alike on the wire (a 5xx, a dropped connection, a deadline):
//! - the service is down or overwhelmed, and answers nothing else: waiting longer each time
//!   and keeping the slot busy meanwhile keeps the console from pressing it;
//! - a passing failure while the service answers the other calls (Glance on SQLite answers
//!   500 "database is locked" at once when two writes meet): the call is put back in the queue
//!   for a short while and its slot takes the next call, so the job loses no time to it.

use std::collections::VecDeque;

use crate::ApiError;

/// The first wait before a call that failed while the service answered nothing else.
pub const RETRY_FIRST_MS: u32 = crate::backoff::OUTAGES.first_ms;
/// Tries after the first while the service answers nothing else.
pub const RETRIES: u32 = 3;
/// The first wait before a call that failed while the service answered other calls.
pub const RETRY_PASSING_MS: u32 = crate::backoff::PASSING.first_ms;
/// Tries after the first while the service answers other calls: a passing failure may meet
/// the same lock again, and each costs the job nothing but the call's own time. Their waits
/// double, 0.1 s to 3.2 s, 6.3 s in all.
pub const PASSING_RETRIES: u32 = 6;
/// Throttled answers a call waits out before it gives up.
pub const THROTTLED_TRIES: u32 = 8;

/// The wait before the `n`th (from 0) retry of a call that failed while the service answered
/// nothing else: [`crate::backoff::OUTAGES`].
pub fn outage_retry_ms(n: u32) -> u32 {
    crate::backoff::OUTAGES.wait_ms(n)
}

/// The wait before the `n`th (from 0) retry of a call that failed while the service answered
/// other calls: [`crate::backoff::PASSING`].
pub fn passing_retry_ms(n: u32) -> u32 {
    crate::backoff::PASSING.wait_ms(n)
}

/// What to do after a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// The service asked to slow down: the slot waits this long, then sends again.
    Throttled { wait_ms: u32 },
    /// The service answers nothing else: the slot waits this long, then sends again.
    Hold { wait_ms: u32 },
    /// A passing failure: the call goes back in the queue, due in this long.
    Requeue { wait_ms: u32 },
    /// Not worth another try: the failure is the call's result.
    GiveUp,
}

/// The tries of one call so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attempts {
    outages: u32,
    passing: u32,
    throttled: u32,
}

impl Attempts {
    /// After the call failed with `e`. `answered_meanwhile`: other calls of the job were
    /// answered while this one was in flight.
    pub fn after_failure(&mut self, e: &ApiError, answered_meanwhile: bool) -> Retry {
        if e.is_throttled() && self.throttled < THROTTLED_TRIES {
            self.throttled += 1;
            let wait_ms = e
                .retry_after_s()
                .map_or(1000 * self.throttled, |s| s.saturating_mul(1000));
            return Retry::Throttled { wait_ms };
        }
        if !e.is_retryable() {
            return Retry::GiveUp;
        }
        if answered_meanwhile && self.passing < PASSING_RETRIES {
            let wait_ms = passing_retry_ms(self.passing);
            self.passing += 1;
            return Retry::Requeue { wait_ms };
        }
        if self.outages >= RETRIES {
            return Retry::GiveUp;
        }
        let wait_ms = outage_retry_ms(self.outages);
        self.outages += 1;
        Retry::Hold { wait_ms }
    }
}

/// The calls of a job not yet sent, and those put back to be sent again once due.
#[derive(Debug)]
pub struct CallQueue<T> {
    fresh: VecDeque<T>,
    /// (due at, call), in no particular order: there are few.
    back: Vec<(f64, T)>,
}

/// What a free slot should do next.
#[derive(Debug, PartialEq)]
pub enum Next<T> {
    Send(T),
    /// Nothing to send until a call put back is due, in this many milliseconds.
    Wait(f64),
    /// Nothing left in the queue.
    Empty,
}

impl<T> CallQueue<T> {
    pub fn new(calls: impl IntoIterator<Item = T>) -> Self {
        Self {
            fresh: calls.into_iter().collect(),
            back: Vec::new(),
        }
    }

    /// Puts `call` back, to be sent again at `due_ms`.
    pub fn put_back(&mut self, call: T, due_ms: f64) {
        self.back.push((due_ms, call));
    }

    /// A call put back goes first once due, so the job does not end on it; then the calls in
    /// the order given.
    pub fn next(&mut self, now_ms: f64) -> Next<T> {
        let earliest = self
            .back
            .iter()
            .enumerate()
            .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
            .map(|(i, (due, _))| (i, *due));
        if let Some((i, due)) = earliest {
            if due <= now_ms {
                return Next::Send(self.back.swap_remove(i).1);
            }
        }
        if let Some(call) = self.fresh.pop_front() {
            return Next::Send(call);
        }
        match earliest {
            Some((_, due)) => Next::Wait(due - now_ms),
            None => Next::Empty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn http(status: u16, retry_after_s: Option<u32>) -> ApiError {
        ApiError::Http {
            status,
            code: None,
            message: String::new(),
            request_id: None,
            retry_after_s,
        }
    }

    #[test]
    fn a_retry_waits_three_times_longer_while_the_service_answers_nothing() {
        assert_eq!(outage_retry_ms(0), RETRY_FIRST_MS);
        assert_eq!(outage_retry_ms(1), 1200);
        assert_eq!(outage_retry_ms(2), 3600);
    }

    #[test]
    fn a_passing_failure_waits_twice_as_long_each_time_from_the_short_wait() {
        let waits: Vec<u32> = (0..PASSING_RETRIES).map(passing_retry_ms).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1600, 3200]);
    }

    #[test]
    fn a_passing_failure_puts_the_call_back_and_an_outage_holds_the_slot() {
        let mut a = Attempts::default();
        assert_eq!(
            a.after_failure(&http(500, None), true),
            Retry::Requeue { wait_ms: 100 }
        );
        assert_eq!(
            a.after_failure(&http(503, None), false),
            Retry::Hold { wait_ms: 400 }
        );
        assert_eq!(
            a.after_failure(&http(500, None), true),
            Retry::Requeue { wait_ms: 200 }
        );
        assert_eq!(
            a.after_failure(&http(503, None), false),
            Retry::Hold { wait_ms: 1200 }
        );
        assert_eq!(
            a.after_failure(&http(503, None), false),
            Retry::Hold { wait_ms: 3600 }
        );
        assert_eq!(
            a.after_failure(&http(503, None), false),
            Retry::GiveUp,
            "three retries at most while the service answers nothing"
        );
    }

    #[test]
    fn passing_failures_have_their_own_retries_and_then_count_as_an_outage() {
        let mut a = Attempts::default();
        for _ in 0..PASSING_RETRIES {
            assert!(matches!(
                a.after_failure(&http(500, None), true),
                Retry::Requeue { .. }
            ));
        }
        assert_eq!(
            a.after_failure(&http(500, None), true),
            Retry::Hold { wait_ms: 400 }
        );
    }

    #[test]
    fn errors_that_another_try_cannot_mend_give_up_at_once() {
        let mut a = Attempts::default();
        assert_eq!(a.after_failure(&http(400, None), true), Retry::GiveUp);
        let forbidden = ApiError::Unauthorized {
            message: String::new(),
            request_id: None,
        };
        assert_eq!(a.after_failure(&forbidden, false), Retry::GiveUp);
    }

    #[test]
    fn throttling_waits_as_long_as_asked_up_to_eight_times_without_using_the_retries() {
        let mut a = Attempts::default();
        assert_eq!(
            a.after_failure(&http(429, Some(2)), true),
            Retry::Throttled { wait_ms: 2000 }
        );
        assert_eq!(
            a.after_failure(&http(429, None), true),
            Retry::Throttled { wait_ms: 2000 },
            "without Retry-After: one more second each time"
        );
        for _ in 2..THROTTLED_TRIES {
            assert!(matches!(
                a.after_failure(&http(429, None), true),
                Retry::Throttled { .. }
            ));
        }
        assert_eq!(
            a.after_failure(&http(429, None), true),
            Retry::Requeue {
                wait_ms: RETRY_PASSING_MS
            },
            "a ninth 429 counts as a failure to try again"
        );
    }

    #[test]
    fn a_call_put_back_waits_until_due_then_goes_before_the_fresh_ones() {
        let mut q = CallQueue::new(["a", "b"]);
        assert_eq!(q.next(0.0), Next::Send("a"));
        q.put_back("a", 100.0);
        assert_eq!(q.next(50.0), Next::Send("b"));
        assert_eq!(q.next(60.0), Next::Wait(40.0));
        assert_eq!(q.next(100.0), Next::Send("a"));
        assert_eq!(q.next(100.0), Next::Empty);
    }

    #[test]
    fn the_earliest_due_call_goes_first() {
        let mut q = CallQueue::new(Vec::<&str>::new());
        q.put_back("late", 300.0);
        q.put_back("early", 200.0);
        assert_eq!(q.next(250.0), Next::Send("early"));
        assert_eq!(q.next(250.0), Next::Wait(50.0));
    }

    proptest! {
        #[test]
        fn every_call_comes_out_once_however_often_it_is_put_back(
            n in 0usize..50,
            backs in proptest::collection::vec((0usize..50, 0u32..500), 0..40),
        ) {
            let mut q = CallQueue::new(0..n);
            let (mut now, mut done, mut backs) = (0.0, Vec::new(), backs.into_iter());
            loop {
                match q.next(now) {
                    Next::Send(c) => match backs.next() {
                        Some((_, wait)) => q.put_back(c, now + f64::from(wait)),
                        None => done.push(c),
                    },
                    Next::Wait(ms) => {
                        prop_assert!(ms > 0.0);
                        now += ms;
                    }
                    Next::Empty => break,
                }
            }
            done.sort_unstable();
            prop_assert_eq!(done, (0..n).collect::<Vec<_>>());
        }
    }
}
